"""Erasing a candidate's personal data on request.

The candidate is anonymised, not deleted, so that every statistic stays correct:
the row keeps its role, level, stage and dates, and every score stays (screening
flags' weights and statuses, grading runs' metrics, scorecards' ratings, the
stored `CandidateScore`). What identifies the person goes:

- the candidate's own fields: the name becomes "Erased candidate #<id>"; contact
  details, notes and the resume are blanked;
- what the candidate wrote or sent: the resume file, its extracted text and the
  quotes taken from it, take-home archives and unpacked workspaces, REPORT.md,
  file listings, the service's logs and answers;
- free text the hiring team wrote about them (notes, reasons, justifications) is
  kept with every mention of the name, e-mail, phone or link replaced by
  "[erased]"; so are the timeline's before/after values of personal fields and
  the admin's history.

Open take-home links are revoked so nothing new arrives. Files are deleted, and
the sandbox worker asked to remove any container of the candidate's jobs, only
once the transaction commits: a failure half-way leaves everything as it was.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.interviews.models import Scorecard
from assessments.screening.models import Screening, ScreeningFlag, ScreeningState
from assessments.takehome.checks import checks_erased
from assessments.takehome.models import (
    Assignment,
    GradingRun,
    RunState,
    SimilarityFlag,
    Submission,
    SubmissionState,
    TakeHomeReview,
)
from assessments.takehome.services.grading import submission_workspace_folder
from assessments.takehome.services.static_checks import tests_job_key
from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record
from hiring_platform.errors import ApplicationError, ConflictError
from hiring_platform.queue import enqueue_on_commit
from sandbox.models import SandboxAttempt, SandboxJobRecord

from .models import Candidate, CandidateEvent, EventKind
from .services import candidate_event_record

logger = logging.getLogger(__name__)

ERASED = "[erased]"
# Timeline before/after keys holding personal data (candidate_create / _update, resume uploads).
PERSONAL_EVENT_FIELDS = frozenset({"full_name", "email", "phone", "profile_url", "notes", "file"})
CONTAINERS_REMOVE_TASK = "sandbox.tasks.sandbox_job_containers_remove_task"


def erased_name(candidate_id: int) -> str:
    return f"Erased candidate #{candidate_id}"


@dataclass(frozen=True)
class Redactor:
    """Replaces every mention of the candidate (full name, each part of it of three
    letters or more, e-mail, phone, link) in free text, whole words only, any case."""

    needles: tuple[str, ...]
    pattern: re.Pattern[str] | None

    @classmethod
    def for_candidate(cls, candidate: Candidate) -> Redactor:
        parts = [part for part in re.findall(r"\w+", candidate.full_name) if len(part) >= 3]
        found = {candidate.full_name, candidate.email, candidate.phone, candidate.profile_url, *parts}
        # Longest first, so that the full name is replaced whole rather than part by part.
        needles = tuple(sorted({needle.strip() for needle in found if len(needle.strip()) >= 2}, key=len, reverse=True))
        if not needles:
            return cls(needles, None)
        alternatives = "|".join(map(re.escape, needles))
        return cls(needles, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))

    def text(self, value: str) -> str:
        return self.pattern.sub(ERASED, value) if self.pattern is not None and value else value

    def json(self, value: Any) -> Any:
        """The strings of a JSON value redacted (keys and other values unchanged)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value


def _refuse_while_processing(candidate: Candidate) -> None:
    """A worker busy with the resume or a take-home would write what it read after the erasure."""
    busy = (
        Screening.objects.filter(
            candidate=candidate, state__in=[ScreeningState.QUEUED, ScreeningState.EXTRACTING]
        ).exists()
        or Submission.objects.filter(assignment__candidate=candidate, state=SubmissionState.RECEIVED).exists()
        or GradingRun.objects.filter(submission__assignment__candidate=candidate).exclude(state=RunState.DONE).exists()
    )
    if busy:
        raise ConflictError(
            _("The candidate's resume or take-home is being processed right now; erase once it has finished."),
            code="candidates.erase_busy",
        )


def _scrub_timeline(candidate: Candidate, redact: Redactor) -> None:
    events = list(CandidateEvent.objects.filter(candidate=candidate))
    for event in events:
        for side in ("before", "after"):
            values = getattr(event, side)
            personal = {key: ERASED for key, value in values.items() if key in PERSONAL_EVENT_FIELDS and value}
            setattr(event, side, redact.json({**values, **personal}))
        event.reason = redact.text(event.reason)
    CandidateEvent.objects.bulk_update(events, ["before", "after", "reason"])


def _scrub_screenings(candidate: Candidate, redact: Redactor) -> None:
    screenings = list(Screening.objects.filter(candidate=candidate))
    for screening in screenings:
        screening.resume_text = screening.resume_name = ""
        screening.detail = redact.text(screening.detail)
        screening.decision_reason = redact.text(screening.decision_reason)
    Screening.objects.bulk_update(screenings, ["resume_text", "resume_name", "detail", "decision_reason"])
    flags = list(ScreeningFlag.objects.filter(screening__candidate=candidate))
    for flag in flags:
        flag.evidence = [{**item, "quote": ""} for item in flag.evidence]  # keeps line, span and rule
        flag.note = redact.text(flag.note)
    ScreeningFlag.objects.bulk_update(flags, ["evidence", "note"])


def _scrub_takehomes(candidate: Candidate, redact: Redactor, now: Any) -> tuple[list[Path], list[str]]:
    """Blank what the candidate sent; (files and folders to delete, sandbox job keys)."""
    Assignment.objects.filter(candidate=candidate, revoked_at=None).update(revoked_at=now)
    submissions = list(Submission.objects.filter(assignment__candidate=candidate))
    paths = []
    for submission in submissions:
        if submission.archive:
            paths.append(Path(submission.archive.path))
        paths.append(submission_workspace_folder(submission))
        submission.archive.name = submission.archive_name = submission.workspace = submission.report = ""
        submission.files, submission.start_command = [], []
        submission.detail = ""  # why it was invalid, naming the candidate's paths
        # The checks' counts and score stay; their test output, lint messages and quoted lines go.
        submission.static_checks = checks_erased(submission.static_checks)
    Submission.objects.bulk_update(
        submissions,
        ["archive", "archive_name", "workspace", "report", "files", "start_command", "detail", "static_checks"],
    )
    runs = list(GradingRun.objects.filter(submission__in=submissions))
    for run in runs:
        run.logs = ""
        run.detail = redact.text(run.detail)
        run.questions = [{**redact.json(item), "answer": ""} for item in run.questions]  # scores stay
    GradingRun.objects.bulk_update(runs, ["logs", "detail", "questions"])
    run_jobs = [run.sandbox_job_id for run in runs if run.sandbox_job_id]
    tests_jobs = [tests_job_key(submission.pk) for submission in submissions]  # their output is the candidate's
    jobs = list(SandboxJobRecord.objects.filter(Q(pk__in=run_jobs) | Q(key__in=tests_jobs)))
    for job in jobs:
        job.spec = {**redact.json(job.spec), "command": []}
        job.result = {**redact.json(job.result), "logs": "", "answers": []} if job.result else {}
    SandboxJobRecord.objects.bulk_update(jobs, ["spec", "result"])
    attempts = list(SandboxAttempt.objects.filter(job__in=jobs))
    for attempt in attempts:
        attempt.detail = redact.text(attempt.detail)
    SandboxAttempt.objects.bulk_update(attempts, ["detail"])
    ids = {submission.pk for submission in submissions}
    flags = list(SimilarityFlag.objects.filter(Q(submission_a__in=ids) | Q(submission_b__in=ids)))
    for flag in flags:
        # The other submission's side stays: it belongs to another candidate.
        erased_sides = [side for side in ("a", "b") if getattr(flag, f"submission_{side}_id") in ids]
        flag.matches = [{**match, **{f"file_{side}": "" for side in erased_sides}} for match in flag.matches]
    SimilarityFlag.objects.bulk_update(flags, ["matches"])
    reviews = list(TakeHomeReview.objects.filter(assignment__candidate=candidate))
    for review in reviews:
        review.notes = redact.text(review.notes)
    TakeHomeReview.objects.bulk_update(reviews, ["notes"])
    return paths, [job.key for job in jobs]


def _scrub_scorecards(candidate: Candidate, redact: Redactor) -> None:
    scorecards = list(Scorecard.objects.filter(interview__candidate=candidate))
    for scorecard in scorecards:
        scorecard.answers = redact.json(scorecard.answers)  # ratings are numbers: untouched
        scorecard.competencies = redact.json(scorecard.competencies)
        scorecard.justification = redact.text(scorecard.justification)
    Scorecard.objects.bulk_update(scorecards, ["answers", "competencies", "justification"])


def _scrub_admin_history(redact: Redactor) -> None:
    """The admin's history names objects by their str(): the candidate's name, and
    "task → name" for assignments, "name / stage" for interviews."""
    mentions = Q()
    for needle in redact.needles:
        mentions |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
    entries = list(LogEntry.objects.filter(mentions)) if redact.needles else []
    for entry in entries:
        entry.object_repr = redact.text(entry.object_repr)[:200]
        entry.change_message = redact.text(entry.change_message)
    LogEntry.objects.bulk_update(entries, ["object_repr", "change_message"])


def _delete_files(paths: list[Path]) -> None:
    """Runs after the commit: a file that cannot be removed is logged, not retried."""
    root = Path(settings.MEDIA_ROOT).resolve()
    for path in paths:
        resolved = path.resolve()
        if resolved == root or not resolved.is_relative_to(root):
            logger.error("erasure: refusing to delete %s, outside MEDIA_ROOT", path)
            continue
        try:
            if resolved.is_dir():
                shutil.rmtree(resolved)
            elif resolved.exists():
                resolved.unlink()
                if resolved.parent != root and not any(resolved.parent.iterdir()):
                    resolved.parent.rmdir()  # a resume's random folder, now empty
        except OSError:
            logger.exception("erasure: could not delete %s", path)


@transaction.atomic
def candidate_erase(*, actor: User, candidate: Candidate, reason: str) -> Candidate:
    """Erase the candidate's personal data (see the module's docstring). Refused
    twice, and while a worker is still reading the resume or running a take-home."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Give the reason for the erasure (e.g. the candidate's request)."),
            code="candidates.erase_reason_required",
            extra={"field": "reason"},
        )
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.erased_at is not None:
        raise ConflictError(_("This candidate's personal data was already erased."), code="candidates.already_erased")
    _refuse_while_processing(locked)
    redact = Redactor.for_candidate(locked)
    now = timezone.now()
    paths = [Path(locked.resume.path)] if locked.resume else []

    _scrub_timeline(locked, redact)
    _scrub_screenings(locked, redact)
    takehome_paths, job_keys = _scrub_takehomes(locked, redact, now)
    paths += takehome_paths
    _scrub_scorecards(locked, redact)
    _scrub_admin_history(redact)
    Candidate.objects.filter(pk=locked.pk, erased_at=None).update(
        full_name=erased_name(locked.pk),
        email="",
        phone="",
        profile_url="",
        notes="",
        resume="",
        resume_name="",
        resume_content_type="",
        resume_size=0,
        erased_at=now,
    )
    locked.refresh_from_db()
    candidate_event_record(candidate=locked, kind=EventKind.ERASED, actor=actor, reason=redact.text(reason))
    # No reason here: the log cannot be erased later, and a reason may name people.
    audit_record(
        action=AuditAction.CANDIDATE_ERASED,
        actor=actor,
        target=locked,
        detail={"files": len(paths), "sandbox_jobs": len(job_keys)},
    )
    transaction.on_commit(partial(_delete_files, paths))
    if job_keys:
        enqueue_on_commit(CONTAINERS_REMOVE_TASK, job_keys)
    return locked
