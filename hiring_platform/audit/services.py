"""The one way to write the audit log. Call it inside the transaction of the
action it records, so that the entry exists exactly when the action does."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db import models
from django.utils import translation
from django.utils.text import capfirst

from .models import AuditEvent
from .origin import current_origin


def _target_label(target: models.Model) -> str:
    """A short label without a candidate's personal data: staff users by their
    username, groups by name, anything else as "<Model> #<id>"."""
    if isinstance(target, AbstractBaseUser):
        return target.get_username()
    if isinstance(target, Group):
        return target.name
    with translation.override("en"):
        return f"{capfirst(target._meta.verbose_name)} #{target.pk}"[:200]


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | None,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry: `actor` (None for the system), `action` (an AuditAction),
    the `target` object and a `detail` that must hold no personal data."""
    origin = current_origin()
    user = actor if isinstance(actor, AbstractBaseUser) else None
    return AuditEvent.objects.create(
        actor_id=user.pk if user is not None else None,
        actor_username=user.get_username() if user is not None else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=_target_label(target) if target is not None else "",
        detail=detail or {},
        ip_address=origin.ip_address,
        origin=origin.where,
    )
