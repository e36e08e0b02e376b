"""Writes about users and roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record

from .roles import Role, ensure_role_groups, stored_roles


@transaction.atomic
def user_ensure(
    *, username: str, email: str, password: str, role: Role, first_name: str = "", last_name: str = ""
) -> Any:
    """Create the user with `role` if missing (the password is set only on creation).
    A role granted here is recorded in the audit log (by the system: seeding)."""
    ensure_role_groups()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    before = [] if created else stored_roles(user.pk)
    if created:
        user.set_password(password)
        if role is Role.ADMIN:
            user.is_staff = user.is_superuser = True
        user.save()
    if role is not Role.ADMIN:
        user.groups.add(Group.objects.get(name=role.value))
    after = stored_roles(user.pk)
    if after != before:
        audit_record(
            action=AuditAction.ROLES_CHANGED, actor=None, target=user, detail={"before": before, "after": after}
        )
    return user
