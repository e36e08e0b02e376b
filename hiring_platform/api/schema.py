"""The OpenAPI schema generator of the API (drf-spectacular's, plus the answers
every view can give that no view should have to repeat)."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi

from .permissions import PublicEndpoint
from .serializers import ErrorSerializer

# Answers that come from the framework around a view rather than from the view:
# authentication and the view's rule, an id in the path that names nothing (or
# does not match the URL pattern), and a page number past the last page.
_GUARDED_ANSWERS = {
    "401": "No credentials, or credentials that are not valid.",
    "403": "The user's role or relation to the object does not allow this.",
}
_PATH_ANSWERS = {"404": "Nothing has this id."}
_PAGINATED_ANSWERS = {"404": "The page number is past the last page."}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        answers: dict[str, str] = {}
        if not any(permission is PublicEndpoint for permission in self.view.permission_classes):
            answers |= _GUARDED_ANSWERS
        if any(parameter.get("in") == "path" for parameter in operation.get("parameters", [])):
            answers |= _PATH_ANSWERS
        if self._is_list_view() and getattr(self.view, "pagination_class", None) is not None:
            answers |= _PAGINATED_ANSWERS
        error = self.resolve_serializer(ErrorSerializer, "response")
        responses = operation.setdefault("responses", {})
        for status, description in answers.items():
            responses.setdefault(
                status, {"description": description, "content": {"application/json": {"schema": error.ref}}}
            )
        return operation
