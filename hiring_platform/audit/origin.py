"""Where an audited action comes from. A request's client address and path are
put in a context variable by `AuditOriginMiddleware`; outside a request (Celery
tasks, management commands) there is no address and the origin names the task
or the command."""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from celery import current_task
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hiring_platform.request_log import loggable_path


@dataclass(frozen=True)
class Origin:
    ip_address: str | None
    where: str


request_origin: ContextVar[Origin | None] = ContextVar("audit_request_origin", default=None)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless TRUSTED_PROXY_COUNT says that many proxies of ours stand
    in front: then the address the outermost of them saw, read from the right of
    X-Forwarded-For (entries further left are the client's to forge)."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid_ip(forwarded[-proxies]) or remote


def current_origin() -> Origin:
    """The origin of the action being recorded now."""
    origin = request_origin.get()
    if origin is not None:
        return origin
    if current_task and current_task.request.id:
        return Origin(None, f"task:{current_task.name}"[:300])
    if len(sys.argv) > 1 and Path(sys.argv[0]).name == "manage.py":
        return Origin(None, f"command:{sys.argv[1]}"[:300])
    return Origin(None, "system")


class AuditOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = f"{request.method} {loggable_path(request.path)}"[:300]
        token = request_origin.set(Origin(client_ip(request), where))
        try:
            return self.get_response(request)
        finally:
            request_origin.reset(token)
