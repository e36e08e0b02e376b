"""Rate limits per client address on the endpoints open to anyone: signing in,
password reset and the candidate's link (`/t/<token>/...`). The counters are
django-ratelimit's, in the shared Redis cache; the rates are the RATELIMIT_*
settings (`hiring_platform/settings/ratelimits.py`). A refused request gets 429
with a Retry-After header: a page for browsers, the API's error shape for JSON.
The lockout after failed sign-ins is django-axes'; its answer is built here too."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from hiring_platform.api.errors import error_body
from hiring_platform.audit.origin import client_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    group: str  # the counter's name
    setting: str  # the RATELIMIT_* setting holding its rate
    message: Promise
    methods: tuple[str, ...] = ()  # empty: every method counts


LOGIN = Limit("login", "RATELIMIT_LOGIN", gettext_lazy("Too many sign-in attempts from your address."), ("POST",))
PASSWORD_RESET = Limit(
    "password-reset",
    "RATELIMIT_PASSWORD_RESET",
    gettext_lazy("Too many password reset requests from your address."),
    ("POST",),
)
CANDIDATE_LINK = Limit(
    "candidate-link", "RATELIMIT_CANDIDATE_LINK", gettext_lazy("Too many requests for this page from your address.")
)
CANDIDATE_UPLOAD = Limit(
    "candidate-upload", "RATELIMIT_CANDIDATE_UPLOAD", gettext_lazy("Too many uploads from your address."), ("POST",)
)
# Counted only when a link is unknown (404), checked on every candidate request.
CANDIDATE_LINK_MISSES = Limit(
    "candidate-link-miss",
    "RATELIMIT_CANDIDATE_LINK_MISSES",
    gettext_lazy("Too many wrong task links were tried from your address."),
)
CANDIDATE_NAMESPACE = "takehome-candidate"

# Every limited endpoint, by URL name. tests/platform/test_rate_limits.py checks that
# every URL of the candidate's namespace is listed.
LIMITS: dict[str, tuple[Limit, ...]] = {
    "accounts:login": (LOGIN,),
    "admin:login": (LOGIN,),
    "accounts:password_reset": (PASSWORD_RESET,),
    "accounts:password_reset_confirm": (PASSWORD_RESET,),
    f"{CANDIDATE_NAMESPACE}:task": (CANDIDATE_LINK,),
    f"{CANDIDATE_NAMESPACE}:start": (CANDIDATE_LINK,),
    f"{CANDIDATE_NAMESPACE}:data": (CANDIDATE_LINK,),
    f"{CANDIDATE_NAMESPACE}:status": (CANDIDATE_LINK,),
    f"{CANDIDATE_NAMESPACE}:upload": (CANDIDATE_LINK, CANDIDATE_UPLOAD),
}
# Endpoints that answer JSON outside /api/ (fetched by the page's script).
JSON_ENDPOINTS = {f"{CANDIDATE_NAMESPACE}:status"}


def client_address(request: HttpRequest) -> str:
    """The address rate limits count by (see TRUSTED_PROXY_COUNT)."""
    return client_ip(request) or "unknown"


def _usage(request: HttpRequest, limit: Limit, *, increment: bool) -> dict[str, Any] | None:
    """The counter's state, or None when Redis does not answer: a brief cache outage
    lets requests through unlimited rather than failing them all (the lockout after
    failed sign-ins lives in the database and still holds)."""
    try:
        return get_usage(
            request,
            group=limit.group,
            key="ip",
            rate=getattr(settings, limit.setting),
            method=list(limit.methods) or get_usage.ALL,
            increment=increment,
        )
    except (RedisError, OSError) as error:
        logger.warning("rate limit %s not checked, the cache is unavailable: %s", limit.group, error)
        return None


def _wants_json(request: HttpRequest, view_name: str) -> bool:
    return (
        request.path.startswith("/api/")
        or view_name in JSON_ENDPOINTS
        or "application/json" in request.headers.get("Accept", "")
    )


def too_many_requests(request: HttpRequest, *, reason: str, retry_after: int, view_name: str = "") -> HttpResponse:
    """429 saying why and when to try again, with a Retry-After header."""
    retry_after = max(1, retry_after)
    minutes = math.ceil(retry_after / 60)
    wait = ngettext("Try again in %(count)d minute.", "Try again in %(count)d minutes.", minutes) % {"count": minutes}
    message = f"{reason} {wait}"
    response: HttpResponse
    if _wants_json(request, view_name):
        response = JsonResponse(error_body(message, "rate_limited", {"retry_after": retry_after}), status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """Axes' answer to a sign-in on a locked account (AXES_LOCKOUT_CALLABLE). Every
    attempt during the cool-off starts it again, so the whole cool-off is the wait."""
    cool_off = get_cool_off(request)
    return too_many_requests(
        request,
        reason=_("Too many failed sign-in attempts for this account: signing in is blocked for a while."),
        retry_after=int(cool_off.total_seconds()) if cool_off else 3600,
    )


class RateLimitMiddleware:
    """Checks the LIMITS of the resolved view before it runs (and before the body
    of an upload is parsed, so it sits before the CSRF middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and match.namespace == CANDIDATE_NAMESPACE and response.status_code == 404:
            _usage(request, CANDIDATE_LINK_MISSES, increment=True)
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        limits = LIMITS.get(view_name, ())
        for limit in limits:
            usage = _usage(request, limit, increment=True)
            if usage is not None and usage["should_limit"]:
                return too_many_requests(
                    request, reason=str(limit.message), retry_after=usage["time_left"], view_name=view_name
                )
        if match is not None and match.namespace == CANDIDATE_NAMESPACE:
            misses = _usage(request, CANDIDATE_LINK_MISSES, increment=False)
            if misses is not None and misses["count"] >= misses["limit"]:
                return too_many_requests(
                    request,
                    reason=str(CANDIDATE_LINK_MISSES.message),
                    retry_after=misses["time_left"],
                    view_name=view_name,
                )
        return None
