"""`GET /metrics` in the Prometheus text format, for the monitoring system only.

Who may read it: with METRICS_TOKEN set, only a caller sending
`Authorization: Bearer <METRICS_TOKEN>`; without it, only a direct caller on this
machine (127.0.0.1 / ::1). A request that came through a proxy (it carries a
forwarding header) is not a direct one: behind a proxy on the same machine every
visitor would otherwise look local. A signed-in session never adds access, and a
signed-in user other than an admin is refused even from this machine.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from hiring_platform.accounts.permissions import can

from .collectors import PlatformCollector

LOOPBACK = {"127.0.0.1", "::1"}
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def metrics_allowed(request: HttpRequest) -> bool:
    if request.user.is_authenticated and not can(request.user, "web.metrics"):
        return False
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    direct = not any(header in request.META for header in FORWARDING_HEADERS)
    return direct and request.META.get("REMOTE_ADDR") in LOOPBACK


class _ProcessRegistry(Collector):
    """This process's own metrics (the default registry), when there are no multiprocess files."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def _registry() -> CollectorRegistry:
    """What this scrape reports: every process's request figures plus the platform's."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessRegistry())
    registry.register(PlatformCollector())
    return registry


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponseForbidden(
            _("Metrics are for the monitoring system: send the metrics token, or ask from this machine."),
            content_type="text/plain; charset=utf-8",
        )
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encoder(_registry()), content_type=content_type)
