"""Roles of DESIGN.md. Recruiter, interviewer and hiring manager are Django
groups; admin is a superuser. Everything that asks "what may this user do"
goes through `permissions.can`, which reads these."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    INTERVIEWER = "interviewer", _("Interviewer")
    HIRING_MANAGER = "hiring_manager", _("Hiring manager")
    ADMIN = "admin", _("Administrator")


GROUP_ROLES = (Role.RECRUITER, Role.INTERVIEWER, Role.HIRING_MANAGER)


def user_roles(user: User | AnonymousUser) -> frozenset[Role]:
    """The roles of `user`, read once per user object (one query)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_roles_cache", None)
    if cached is None:
        names = set(Group.objects.filter(user=user).values_list("name", flat=True))
        roles = {role for role in GROUP_ROLES if role.value in names}
        if getattr(user, "is_superuser", False):
            roles.add(Role.ADMIN)
        cached = frozenset(roles)
        user._roles_cache = cached  # type: ignore[union-attr,attr-defined]
    return cached


def stored_roles(user_id: int) -> list[str]:
    """The role values a user holds in the database now (uncached, sorted): what
    the audit log records before and after a change of roles."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return []
    names = set(user.groups.values_list("name", flat=True))
    roles = {role.value for role in GROUP_ROLES if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMIN.value)
    return sorted(roles)


def ensure_role_groups() -> None:
    """Create the role groups if missing (idempotent; called by migrations and seeding)."""
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)
