"""Writes of resume screening: checklists and their versions, screenings, the
recruiter's review of each flag and the decision. Each write that matters to a
hiring decision leaves an event on the candidate's timeline."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.candidates.models import Candidate, EventKind
from assessments.candidates.services import candidate_event_record, candidate_scores_changed
from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record
from hiring_platform.errors import ApplicationError, ConflictError
from hiring_platform.queue import enqueue_on_commit

from . import selectors
from .analyzer import analyse
from .checklists import checklist_validate, content_hash, flag_validate
from .extraction import ExtractionError, extract_text
from .models import (
    Checklist,
    ChecklistVersion,
    Decision,
    FlagSource,
    FlagStatus,
    Screening,
    ScreeningFlag,
    ScreeningState,
)


@transaction.atomic
def checklist_store(
    *,
    slug: str,
    role: str,
    title_en: str,
    title_ru: str,
    flags: list[dict[str, Any]],
    actor: User | None = None,
    note: str = "",
) -> tuple[Checklist, bool]:
    """Create the checklist or add a version when its flags changed; (checklist, new version written)."""
    validated = checklist_validate(flags)  # raises ChecklistError naming flag and field
    checklist, _created = Checklist.objects.select_for_update().get_or_create(
        slug=slug, defaults={"role": role, "title_en": title_en, "title_ru": title_ru}
    )
    Checklist.objects.filter(pk=checklist.pk).update(role=role, title_en=title_en, title_ru=title_ru)
    digest = content_hash(validated)
    if checklist.current is not None and checklist.current.content_hash == digest:
        return checklist, False
    number = (checklist.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = ChecklistVersion.objects.create(
        checklist=checklist, number=number, flags=validated, content_hash=digest, note=note, created_by=actor
    )
    Checklist.objects.filter(pk=checklist.pk).update(current=version)
    checklist.refresh_from_db()
    return checklist, True


def checklist_flag_update(*, actor: User, checklist: Checklist, flag: dict[str, Any], note: str = "") -> Checklist:
    """Change (or add) one flag: a new version; screenings made before keep theirs."""
    current = checklist.current
    if current is None:
        raise ConflictError(_("The checklist has no version yet."), code="screening.no_version")
    validated = flag_validate(flag)
    flags = [validated if item["key"] == validated["key"] else item for item in current.flags]
    if not any(item["key"] == validated["key"] for item in current.flags):
        flags.append(validated)
    checklist, _written = checklist_store(
        slug=checklist.slug,
        role=checklist.role,
        title_en=checklist.title_en,
        title_ru=checklist.title_ru,
        flags=flags,
        actor=actor,
        note=note or f"flag {validated['key']} changed",
    )
    return checklist


@transaction.atomic
def screening_start(*, actor: User, candidate: Candidate, checklist: Checklist) -> Screening:
    """Screen the candidate's current resume against the checklist's current version (in the worker)."""
    from .tasks import screening_run_task

    if not candidate.resume:
        raise ApplicationError(_("Upload a resume first."), code="screening.no_resume")
    current = Checklist.objects.select_related("current").get(pk=checklist.pk).current  # the latest, not a stale copy
    if current is None:
        raise ConflictError(_("The checklist has no version yet."), code="screening.no_version")
    screening = Screening.objects.create(
        candidate=candidate, version=current, resume_name=candidate.resume_name, created_by=actor
    )
    enqueue_on_commit(screening_run_task, screening.pk)
    return screening


def screening_run(*, screening_id: int) -> Screening | None:
    """Extract the resume's text and suggest flags. Idempotent (guarded state move)."""
    moved = Screening.objects.filter(pk=screening_id, state=ScreeningState.QUEUED).update(
        state=ScreeningState.EXTRACTING
    )
    if moved != 1:
        return None
    screening = Screening.objects.select_related("candidate", "version").get(pk=screening_id)
    candidate = screening.candidate
    try:
        with candidate.resume.open("rb") as handle:
            data = handle.read()
        text = extract_text(data, candidate.resume_content_type)
    except (ExtractionError, OSError) as error:
        message = str(error) if isinstance(error, ExtractionError) else _("The resume file could not be read.")
        Screening.objects.filter(pk=screening_id, state=ScreeningState.EXTRACTING).update(
            state=ScreeningState.FAILED, detail=message[:500], finished_at=timezone.now()
        )
        return Screening.objects.get(pk=screening_id)
    began = time.perf_counter()
    suggestions = analyse(text, screening.version.flags)
    analysis_ms = (time.perf_counter() - began) * 1000
    weights = {flag["key"]: flag["weight"] for flag in screening.version.flags}
    with transaction.atomic():
        moved = Screening.objects.filter(pk=screening_id, state=ScreeningState.EXTRACTING).update(
            state=ScreeningState.DONE, resume_text=text, analysis_ms=analysis_ms, finished_at=timezone.now()
        )
        if moved != 1:
            return None
        ScreeningFlag.objects.bulk_create(
            ScreeningFlag(
                screening=screening,
                key=suggestion.key,
                kind=suggestion.kind,
                weight=weights[suggestion.key],
                source=FlagSource.SUGGESTED,
                evidence=[vars(item) for item in suggestion.evidence],
                whole_text=suggestion.whole_text,
            )
            for suggestion in suggestions
        )
        screening.refresh_from_db()
        summary = selectors.screening_summary(screening)
        candidate_event_record(
            candidate=candidate,
            kind=EventKind.SCREENING_DONE,
            actor=screening.created_by,
            after={
                "screening": screening.pk,
                "checklist": str(screening.version),
                "summary": f"{summary.green} green, {summary.red} red, score {summary.score}",
            },
        )
        candidate_scores_changed(candidate_id=candidate.pk)
    return screening


def _done(screening: Screening) -> None:
    if screening.state != ScreeningState.DONE:
        raise ConflictError(_("The screening has not finished yet."), code="screening.not_done")


@transaction.atomic
def screening_flag_review(*, actor: User, screening: Screening, key: str, status: str, note: str = "") -> ScreeningFlag:
    """Confirm or reject a flag (suggested or added)."""
    _done(screening)
    if status not in (FlagStatus.CONFIRMED, FlagStatus.REJECTED):
        raise ApplicationError(_("Confirm or reject."), code="screening.invalid_status", extra={"field": "status"})
    flag = ScreeningFlag.objects.select_for_update().filter(screening=screening, key=key).first()
    if flag is None:
        raise ApplicationError(_("This flag is not on the screening."), code="screening.unknown_flag")
    flag.status = status
    flag.note = note or flag.note
    flag.decided_by = actor
    flag.save(update_fields=["status", "note", "decided_by", "updated_at"])
    candidate_scores_changed(candidate_id=screening.candidate_id)
    return flag


@transaction.atomic
def screening_flag_add(*, actor: User, screening: Screening, key: str, note: str) -> ScreeningFlag:
    """A flag the analyser missed, from the screening's checklist version, with the recruiter's note."""
    _done(screening)
    definition = screening.version.flag(key)
    if definition is None:
        raise ApplicationError(
            _("This flag is not in the checklist."), code="screening.unknown_flag", extra={"field": "key"}
        )
    if not note.strip():
        raise ApplicationError(
            _("Say why: a flag added by hand needs a note."), code="screening.note_required", extra={"field": "note"}
        )
    if ScreeningFlag.objects.filter(screening=screening, key=key).exists():
        raise ConflictError(
            _("This flag is already listed; confirm it instead."), code="screening.flag_exists", extra={"field": "key"}
        )
    candidate_scores_changed(candidate_id=screening.candidate_id)
    return ScreeningFlag.objects.create(
        screening=screening,
        key=key,
        kind=str(definition["kind"]),
        weight=int(str(definition["weight"])),
        source=FlagSource.MANUAL,
        status=FlagStatus.CONFIRMED,
        note=note.strip(),
        decided_by=actor,
    )


@transaction.atomic
def screening_decide(*, actor: User, screening: Screening, decision: str, reason: str) -> Screening:
    """Record advance / hold / reject with a reason; the timeline keeps before and after."""
    _done(screening)
    if decision not in Decision.values:
        raise ApplicationError(_("Choose a decision."), code="screening.invalid_decision", extra={"field": "decision"})
    if not reason.strip():
        raise ApplicationError(
            _("Give a reason for the decision."), code="screening.reason_required", extra={"field": "reason"}
        )
    locked = Screening.objects.select_for_update().get(pk=screening.pk)
    before = {"decision": locked.decision, "reason": locked.decision_reason}
    locked.decision, locked.decision_reason = decision, reason.strip()
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    summary = selectors.screening_summary(locked)
    candidate_event_record(
        candidate=locked.candidate,
        kind=EventKind.SCREENING_DECIDED,
        actor=actor,
        before=before,
        after={
            "screening": locked.pk,
            "decision": decision,
            "summary": (
                f"{locked.get_decision_display()}: {summary.green} green, {summary.red} red, score {summary.score}"
            ),
        },
        reason=locked.decision_reason,
    )
    audit_record(
        action=AuditAction.SCREENING_DECISION,
        actor=actor,
        target=locked,
        detail={"candidate": locked.candidate_id, "decision": decision, "before": before["decision"]},
    )
    return locked
