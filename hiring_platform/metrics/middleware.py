"""Request latency per view, method and status class.

Gunicorn runs several worker processes, each with its own memory. With
PROMETHEUS_MULTIPROC_DIR set (scripts/run.sh and the load test set it),
prometheus_client writes every process's samples to files in that folder and
`/metrics` adds them up, so a scrape sees all workers, not the one that
answered. Without it (tests, `manage.py runserver`) the figures are per process.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from prometheus_client import Histogram

# Labels are bounded: view names come from the URL configuration, never from the path.
REQUEST_LATENCY = Histogram(
    "hiring_http_request_duration_seconds",
    "Time to answer a request, by view name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def view_label(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return "<unmatched>"  # 404 before any view, or a middleware answered first
    return match.view_name or "<unnamed>"


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in KNOWN_METHODS else "other"
        REQUEST_LATENCY.labels(view_label(request), method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response
