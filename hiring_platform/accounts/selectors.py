"""Reads about users and roles."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from .roles import Role


def users_with_role(role: Role) -> QuerySet[User]:
    """Active users holding `role` (a group role), by username."""
    return User.objects.filter(groups__name=role.value, is_active=True).order_by("username")
