"""The audit log: who did what sensitive thing, when, and from where.

Append-only: the model refuses to change or delete a row, the admin is
read-only, and a PostgreSQL trigger (migration 0001) refuses UPDATE and DELETE
of the table whatever the caller. Rows never hold a candidate's personal data
(labels are "Candidate #12", never a name), because an erasure cannot touch them.
The actor is a snapshot (id and username), not a foreign key: deleting a user
must neither cascade into the log nor rewrite it."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SCORECARD_SUBMITTED = "scorecard_submitted", _("Scorecard submitted")
    SCORECARD_REOPENED = "scorecard_reopened", _("Scorecard reopened")
    HIRING_DECISION = "hiring_decision", _("Hiring decision")
    SCREENING_DECISION = "screening_decision", _("Screening decision")
    TAKEHOME_LINK_ISSUED = "takehome_link_issued", _("Take-home link issued")
    TAKEHOME_LINK_REPLACED = "takehome_link_replaced", _("Take-home link replaced")
    TAKEHOME_LINK_EXTENDED = "takehome_link_extended", _("Take-home time extended")
    TAKEHOME_LINK_REVOKED = "takehome_link_revoked", _("Take-home link revoked")
    EXPORT = "export", _("Data exported")
    CANDIDATE_ERASED = "candidate_erased", _("Candidate's personal data erased")
    ROLES_CHANGED = "roles_changed", _("Roles changed")
    ADMIN_DELETED = "admin_deleted", _("Deleted in the admin")


class AuditLogIsAppendOnly(RuntimeError):
    """Raised by any attempt of the application to change or delete an audit row."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AuditLogIsAppendOnly("the audit log is append-only")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    update = _refuse  # type: ignore[assignment]
    delete = _refuse  # type: ignore[assignment]


class AuditEvent(models.Model):
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)  # app_label.model
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=200, blank=True)  # never personal data
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Where the action came from: "POST /api/v1/...", "task:<name>", "command:<name>" or "system".
    origin = models.CharField(_("origin"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at"]), models.Index(fields=["target_type", "target_id"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=AuditAction.values), name="audit_action_valid")
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username or 'system'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _refuse()
