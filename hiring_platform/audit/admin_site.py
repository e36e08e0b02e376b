"""The project's admin site: every ModelAdmin registered on it records its
deletions in the audit log, in the transaction that deletes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import AuditAction
from .services import audit_record


class AuditedDeletionsMixin:
    """Deleting one object (its page) or many (the "delete selected" action)."""

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit_record(action=AuditAction.ADMIN_DELETED, actor=request.user, target=obj)
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(action=AuditAction.ADMIN_DELETED, actor=request.user, target=obj)
            super().delete_queryset(request, queryset)  # type: ignore[misc]


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedDeletionsMixin):
            admin_class = type(
                admin_class.__name__, (AuditedDeletionsMixin, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)
