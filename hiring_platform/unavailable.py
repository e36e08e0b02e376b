"""When PostgreSQL is briefly away (a restart, a failover), answer 503 with a
clear "nothing was saved, try again" instead of a bare 500: the request's
transaction was rolled back, and the scoring form retries its saves by itself.
The API says the same through its exception handler (hiring_platform.api.errors)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from hiring_platform.queue import TRANSIENT_ERRORS

RETRY_AFTER_SECONDS = "5"
UNAVAILABLE_MESSAGE = _("The database is briefly unavailable, so nothing was saved. Try again in a few seconds.")


class ServiceUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TRANSIENT_ERRORS):
            return None
        # No template context processors: they may need the database that just failed.
        body = render_to_string("503.html", {"message": UNAVAILABLE_MESSAGE})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
