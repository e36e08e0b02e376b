"""DRF side of the permission layer: views name a `rule` of `accounts.permissions`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission

from hiring_platform.accounts.permissions import can

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class RuleRequired(BasePermission):
    """DRF views: set `rule` on the view (the default permission class of the API)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        rule = getattr(view, "rule", "")
        return bool(rule) and can(request.user, rule)

    def has_object_permission(self, request: Request, view: APIView, obj: object) -> bool:
        return can(request.user, getattr(view, "rule", ""), obj)


class PublicEndpoint(BasePermission):
    """For the few API views that anyone may call (the schema, health). Explicit, so
    that a view without a rule is still refused."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return True
