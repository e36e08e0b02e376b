"""The one permission layer, used by web views and DRF views alike (the DRF
adapter is `hiring_platform.api.permissions`).

A *rule* is a named predicate `(user, obj) -> bool`. With `obj=None` it answers
"may this user do this at all" (used to let a request in); with an object it
answers for that object (an interviewer reaches only what is assigned to them).
Apps register their rules in `rules.py`, imported by their AppConfig. A view
that names no rule is refused: deny by default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from .roles import Role, user_roles

AnyUser = User | AnonymousUser
Rule = Callable[[Any, Any], bool]

_RULES: dict[str, Rule] = {}


def register(name: str) -> Callable[[Rule], Rule]:
    """Register a rule under `name` (`<app>.<action>`)."""

    def decorator(func: Rule) -> Rule:
        if name in _RULES:
            raise ValueError(f"rule {name!r} registered twice")
        _RULES[name] = func
        return func

    return decorator


def has_any_role(*roles: Role) -> Rule:
    """A rule that passes for users holding any of `roles` (admins always pass)."""

    def rule(user: Any, obj: Any = None) -> bool:
        held = user_roles(user)
        return Role.ADMIN in held or bool(held.intersection(roles))

    return rule


def can(user: AnyUser, name: str, obj: object | None = None) -> bool:
    """Whether `user` may do `name` (on `obj`, when given). Unknown rules deny."""
    if not user.is_authenticated or not user.is_active:
        return False
    rule = _RULES.get(name)
    if rule is None:
        return False
    return bool(rule(user, obj))


def acting_user(request: Any) -> User:
    """The signed-in user of a (Django or DRF) request that a rule already let in."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


class RuleRequiredMixin(AccessMixin):
    """Web views: set `rule`; anonymous users go to login, others get 403.

    Object views call `self.check_object_rule(obj)` once they hold the object.
    """

    rule: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.rule or not can(request.user, self.rule):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def check_object_rule(self, obj: object, rule: str | None = None) -> None:
        if not can(self.request.user, rule or self.rule, obj):  # type: ignore[attr-defined]
            raise PermissionDenied
