"""Writes about candidates. Each function is one use case, atomic, and leaves
an event on the candidate's timeline."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from hiring_platform.errors import ApplicationError, ConflictError
from hiring_platform.queue import enqueue_on_commit

from .models import CLOSED_STAGES, Candidate, CandidateEvent, EventKind, Stage
from .resumes import resume_validate

# Fields a recruiter edits; the stage and the resume have their own use cases.
EDITABLE_FIELDS = ("full_name", "email", "phone", "profile_url", "role", "level", "source", "owner", "notes")


def _snapshot(candidate: Candidate, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {field: _plain(getattr(candidate, f"{field}_id" if field == "owner" else field)) for field in fields}


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value for the event's before/after."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return str(value)


def candidate_ensure_not_erased(candidate: Candidate) -> None:
    """Refuse any change to a candidate whose personal data was erased (erasure.py).

    Reads the row under a lock held until the caller's transaction ends, so that an
    erasure cannot run between this check and the caller's write."""
    erased_at = (
        Candidate.objects.select_for_update().filter(pk=candidate.pk).values_list("erased_at", flat=True).first()
    )
    if erased_at is not None:
        raise ConflictError(
            _("This candidate's personal data was erased; the record can no longer be changed."),
            code="candidates.erased",
        )


def _event(candidate: Candidate, kind: str, actor: User | None, **data: Any) -> CandidateEvent:
    return CandidateEvent.objects.create(candidate=candidate, kind=kind, actor=actor, **data)


def candidate_event_record(
    *,
    candidate: Candidate,
    kind: str,
    actor: User | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> CandidateEvent:
    """A timeline entry written by another part of the hiring domain (take-homes, interviews)."""
    return _event(candidate, kind, actor, before=before or {}, after=after or {}, reason=reason)


# The interviews app computes the evaluation from screenings, take-homes and
# scorecards, which sit below it; they announce a change through this name.
SCORE_REFRESH_TASK = "assessments.interviews.tasks.candidate_score_refresh_task"


@transaction.atomic  # the row lock needs a transaction; inside the caller's it lasts until that one ends
def candidate_scores_changed(*, candidate_id: int) -> None:
    """A figure of the candidate's evaluation may have changed: mark the stored score
    stale in this transaction and ask for a refresh once it commits (if that message
    is lost, the periodic sweep refreshes every stale score).

    The candidate's row stays locked until this transaction ends, and a refresh locks
    it before reading: so a refresh either finished before (then the flag is clear
    and a new message goes) or reads this change. Already stale therefore means a
    queued refresh will see this change: no second message."""
    was_stale = Candidate.objects.select_for_update().filter(pk=candidate_id).values_list("score_stale", flat=True)
    if was_stale.first() is False:
        Candidate.objects.filter(pk=candidate_id).update(score_stale=True)
        enqueue_on_commit(SCORE_REFRESH_TASK, candidate_id)


@transaction.atomic
def candidate_create(*, actor: User, interviewers: list[Any] | None = None, **fields: Any) -> Candidate:
    """Create a candidate in the `applied` stage (or the given one) and record it."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"stage"}
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    candidate = Candidate(**fields)
    candidate.full_clean(exclude=["resume"])
    candidate.save()
    if interviewers:
        candidate.interviewers.set(interviewers)
    _event(candidate, EventKind.CREATED, actor, after=_snapshot(candidate, [*EDITABLE_FIELDS, "stage"]))
    return candidate


@transaction.atomic
def candidate_update(
    *, actor: User, candidate: Candidate, interviewers: list[Any] | None = None, **changes: Any
) -> Candidate:
    """Change a candidate's details; records what changed (before/after)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    candidate_ensure_not_erased(candidate)
    changed = [field for field, value in changes.items() if getattr(candidate, field) != value]
    before = _snapshot(candidate, changed)
    for field in changed:
        setattr(candidate, field, changes[field])
    candidate.full_clean(exclude=["resume"])
    if changed:
        candidate.save(update_fields=[*changed, "updated_at"])
    if interviewers is not None:
        old_ids = sorted(candidate.interviewers.values_list("pk", flat=True))
        new_ids = sorted(user.pk for user in interviewers)
        if old_ids != new_ids:
            candidate.interviewers.set(interviewers)
            before["interviewers"], changes["interviewers"] = old_ids, new_ids
            changed.append("interviewers")
    if changed:
        after = {field: _plain(changes[field].pk if field == "owner" else changes[field]) for field in changed}
        _event(candidate, EventKind.UPDATED, actor, before=before, after=after)
    return candidate


@transaction.atomic
def candidate_change_stage(*, actor: User, candidate: Candidate, to_stage: str, reason: str = "") -> Candidate:
    """Move a candidate to another pipeline stage.

    Guarded: the UPDATE only applies if the stage is still the one the caller
    saw, so two recruiters moving the same candidate cannot both succeed.
    Rejecting, withdrawing and reopening a closed candidate need a reason.
    """
    candidate_ensure_not_erased(candidate)
    from_stage = candidate.stage
    if to_stage not in Stage.values:
        raise ApplicationError(_("Unknown stage “%(stage)s”.") % {"stage": to_stage}, code="candidates.stage_unknown")
    if to_stage == from_stage:
        raise ApplicationError(_("The candidate is already in this stage."), code="candidates.stage_unchanged")
    reason = reason.strip()
    needs_reason = to_stage in (Stage.REJECTED, Stage.WITHDRAWN) or from_stage in CLOSED_STAGES
    if needs_reason and not reason:
        raise ApplicationError(
            _("Give a reason for this stage change."),
            code="candidates.stage_reason_required",
            extra={"field": "reason"},
        )
    updated = Candidate.objects.filter(pk=candidate.pk, stage=from_stage).update(stage=to_stage)
    if updated != 1:
        raise ConflictError(
            _("Someone changed this candidate's stage meanwhile. Reload the page and try again."),
            code="candidates.stage_conflict",
        )
    candidate.refresh_from_db(fields=["stage", "updated_at"])
    _event(
        candidate,
        EventKind.STAGE_CHANGED,
        actor,
        before={"stage": from_stage},
        after={"stage": to_stage},
        reason=reason,
    )
    return candidate


def candidate_upload_resume(*, actor: User, candidate: Candidate, upload: UploadedFile) -> Candidate:
    """Validate and store a resume, replacing the previous one.

    The file is written before the database row changes; if anything after the
    write fails, the new file is removed so that no orphan survives, and the
    old resume stays in place.
    """
    validated = resume_validate(upload)
    old_file_name = candidate.resume.name if candidate.resume else ""
    upload.seek(0)
    storage = candidate.resume.storage
    stored_name = candidate.resume.field.generate_filename(candidate, validated.file_name)
    stored_name = storage.save(stored_name, ContentFile(upload.read()))
    try:
        with transaction.atomic():
            candidate_ensure_not_erased(candidate)
            Candidate.objects.filter(pk=candidate.pk).update(
                resume=stored_name,
                resume_name=validated.file_name,
                resume_content_type=validated.content_type,
                resume_size=validated.size,
            )
            _event(
                candidate,
                EventKind.RESUME_UPLOADED,
                actor,
                before={"file": candidate.resume_name} if old_file_name else {},
                after={"file": validated.file_name, "size": validated.size, "content_type": validated.content_type},
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    if old_file_name:
        storage.delete(old_file_name)
    candidate.refresh_from_db()
    return candidate
