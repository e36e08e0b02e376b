"""Users in the admin: Django's user admin, plus an audit entry whenever a save
changes the user's roles (role groups or the superuser flag)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record

from .roles import stored_roles


class RoleAuditedUserAdmin(UserAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Read before the save: the groups are saved later, in save_related.
        obj._roles_before = stored_roles(obj.pk) if change else []
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        before, after = getattr(user, "_roles_before", []), stored_roles(user.pk)
        if before != after:
            # The admin's change view runs in one transaction: the entry stands or falls with the change.
            audit_record(
                action=AuditAction.ROLES_CHANGED,
                actor=request.user,
                target=user,
                detail={"before": before, "after": after},
            )


admin.site.unregister(User)
admin.site.register(User, RoleAuditedUserAdmin)
