"""Issuing a take-home to a candidate and managing its secret link.

The link carries a random token (256 bits); only its SHA-256 is stored, so the
link is shown once, when it is made, and a lost link is replaced by a new one
(which stops the old one working). Every change leaves an event on the
candidate's timeline."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.candidates.models import CLOSED_STAGES, Candidate, EventKind
from assessments.candidates.services import candidate_ensure_not_erased, candidate_event_record
from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record
from hiring_platform.errors import ApplicationError, ConflictError

from ..models import Assignment, TakeHomeTask, TimeMode
from ..selectors import token_hash

LINK_OPEN_DAYS = 14  # a working window must be started within this many days
MAX_EXTRA_HOURS = 24 * 30


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _audit(assignment: Assignment, action: str, actor: User, **detail: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        target=assignment,
        detail={"candidate": assignment.candidate_id, "task": assignment.task.slug, **detail},
    )


def _event(assignment: Assignment, kind: str, actor: User | None, reason: str = "", **after: Any) -> None:
    candidate_event_record(
        candidate=assignment.candidate,
        kind=kind,
        actor=actor,
        after={"task": assignment.task.title, "assignment": assignment.pk, **after},
        reason=reason,
    )


@transaction.atomic
def assignment_issue(
    *,
    actor: User,
    task: TakeHomeTask,
    candidate: Candidate,
    time_mode: str,
    due_at: datetime | None = None,
    window_hours: int | None = None,
    max_submissions: int | None = None,
) -> tuple[Assignment, str]:
    """Issue `task` to `candidate`; returns the assignment and its link's token (shown once)."""
    now = timezone.now()
    candidate_ensure_not_erased(candidate)
    if candidate.stage in CLOSED_STAGES:
        raise ApplicationError(
            _("The candidate's process is closed; reopen it before issuing a take-home."),
            code="takehome.candidate_closed",
        )
    active = Assignment.objects.filter(task=task, candidate=candidate, revoked_at=None)
    if any(assignment.link_works(now) or assignment.is_open(now) for assignment in active):
        raise ConflictError(
            _("This candidate already has this task open. Extend it or revoke it first."), code="takehome.already_open"
        )
    fields: dict[str, Any] = {"time_mode": time_mode}
    if time_mode == TimeMode.DEADLINE:
        if due_at is None or due_at <= now:
            raise ApplicationError(
                _("The deadline must be in the future."), code="takehome.invalid_time", extra={"field": "due_at"}
            )
        fields["due_at"] = due_at
    elif time_mode == TimeMode.WINDOW:
        hours = window_hours or task.window_hours
        if not 1 <= hours <= 24 * 30:
            raise ApplicationError(
                _("The working window must be between 1 hour and 30 days."), code="takehome.invalid_time"
            )
        fields |= {"window_hours": hours, "open_by": now + timedelta(days=LINK_OPEN_DAYS)}
    else:
        raise ApplicationError(_("Unknown time mode."), code="takehome.invalid_time", extra={"field": "time_mode"})
    token, hashed = _new_token()
    assignment = Assignment.objects.create(
        task=task,
        candidate=candidate,
        token_hash=hashed,
        max_submissions=max_submissions or task.max_submissions,
        issued_by=actor,
        **fields,
    )
    _event(
        assignment,
        EventKind.TAKEHOME_ISSUED,
        actor,
        summary=_when(assignment.due_at) or _("%(hours)s h window") % {"hours": assignment.window_hours},
    )
    _audit(assignment, AuditAction.TAKEHOME_LINK_ISSUED, actor, time_mode=time_mode, due_at=_when(assignment.due_at))
    return assignment, token


def assignment_start(*, assignment: Assignment) -> Assignment:
    """The candidate opened the task: a working window starts now (once)."""
    if assignment.opened_at is None:
        # Guarded: two tabs opening at once start the clock once.
        Assignment.objects.filter(pk=assignment.pk, opened_at=None).update(opened_at=timezone.now())
        assignment.refresh_from_db()
    return assignment


@transaction.atomic
def assignment_extend(*, actor: User, assignment: Assignment, hours: int, reason: str = "") -> Assignment:
    """Grant extra time; also reopens uploads when the deadline had passed."""
    if assignment.is_revoked:
        raise ConflictError(_("The link was revoked; issue the task again instead."), code="takehome.revoked")
    if not 1 <= hours <= MAX_EXTRA_HOURS or assignment.extra_hours + hours > MAX_EXTRA_HOURS:
        raise ApplicationError(
            _("Extra time must be between 1 hour and 30 days in total."),
            code="takehome.invalid_time",
            extra={"field": "hours"},
        )
    before = _when(assignment.deadline)
    Assignment.objects.filter(pk=assignment.pk).update(extra_hours=F("extra_hours") + hours)
    assignment.refresh_from_db()
    _event(
        assignment,
        EventKind.TAKEHOME_CHANGED,
        actor,
        reason=reason,
        summary=_("%(hours)s h extra time") % {"hours": hours},
        deadline_before=before,
        deadline_after=_when(assignment.deadline),
    )
    _audit(assignment, AuditAction.TAKEHOME_LINK_EXTENDED, actor, hours=hours, deadline=_when(assignment.deadline))
    return assignment


@transaction.atomic
def assignment_revoke(*, actor: User, assignment: Assignment, reason: str = "") -> Assignment:
    moved = Assignment.objects.filter(pk=assignment.pk, revoked_at=None).update(revoked_at=timezone.now())
    if moved != 1:
        raise ConflictError(_("The link was already revoked."), code="takehome.revoked")
    assignment.refresh_from_db()
    _event(assignment, EventKind.TAKEHOME_CHANGED, actor, reason=reason, summary=_("link revoked"))
    _audit(assignment, AuditAction.TAKEHOME_LINK_REVOKED, actor)
    return assignment


@transaction.atomic
def assignment_new_link(*, actor: User, assignment: Assignment) -> str:
    """Replace the link (the old one stops working at once); returns the new token."""
    if assignment.is_revoked:
        raise ConflictError(_("The link was revoked; issue the task again instead."), code="takehome.revoked")
    token, hashed = _new_token()
    Assignment.objects.filter(pk=assignment.pk).update(token_hash=hashed)
    _event(assignment, EventKind.TAKEHOME_CHANGED, actor, summary=_("new link; the old one no longer works"))
    _audit(assignment, AuditAction.TAKEHOME_LINK_REPLACED, actor)
    return token
