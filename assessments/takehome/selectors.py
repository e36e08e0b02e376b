"""Reads of the take-home domain: links, progress, results and comparisons."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from hiring_platform.accounts.roles import Role, user_roles

from .datafiles import evaluation_questions
from .models import (
    PLATFORM_ERROR,
    Assignment,
    GradingRun,
    RunPurpose,
    RunState,
    Submission,
    SubmissionState,
    TakeHomeReview,
)

# The take-home score combines the auto-score of the latest graded submission
# with the reviewers' manual ratings (1-4, mapped to 0-100): the auto-score
# measures the service, the review measures the engineering behind it.
AUTO_WEIGHT = 0.6
MANUAL_WEIGHT = 0.4
RATED = ("code_quality", "tool_choice", "evaluation_quality", "report_quality")


def token_hash(token: str) -> str:
    """Links are stored as this hash only (services/assignments.py)."""
    return hashlib.sha256(token.encode()).hexdigest()


def assignment_for_token(token: str) -> Assignment | None:
    if not token or len(token) > 100:
        return None
    return (
        Assignment.objects.select_related("task", "task__dataset", "candidate")
        .filter(token_hash=token_hash(token))
        .first()
    )


def assignments_visible(user: Any) -> QuerySet[Assignment]:
    queryset = Assignment.objects.select_related("task", "candidate")
    roles = user_roles(user)
    if Role.RECRUITER in roles or Role.HIRING_MANAGER in roles:
        return queryset
    return queryset.filter(candidate__interviewers=user)


def identity_visible(user: Any, assignment: Assignment) -> bool:
    """Anonymous review: the candidate's name shows once the user has scored the take-home."""
    if not assignment.task.anonymous_review:
        return True
    return TakeHomeReview.objects.filter(assignment=assignment, reviewer=user).exists()


def candidate_label(user: Any, assignment: Assignment) -> str:
    return assignment.candidate.full_name if identity_visible(user, assignment) else str(assignment.alias)


@dataclass(frozen=True)
class Progress:
    step: str  # checking | public | hidden | done | invalid | platform_error
    label: str
    percent: int
    done: bool


def submission_progress(submission: Submission) -> Progress:
    """Where a submission is in the pipeline, for the live status on both pages."""
    if submission.state == SubmissionState.INVALID:
        return Progress("invalid", _("Not a valid submission"), 100, True)
    if submission.state == SubmissionState.RECEIVED:
        return Progress("checking", _("Unpacking and checking the archive"), 10, False)
    runs = list(submission.runs.all())
    public = next((run for run in runs if run.purpose == RunPurpose.PUBLIC), None)
    hidden = [run for run in runs if run.purpose == RunPurpose.HIDDEN]
    if public is None or public.state != RunState.DONE:
        state = public.state if public else RunState.QUEUED
        percent = {RunState.QUEUED: 20, RunState.RUNNING: 35, RunState.SCORING: 50}.get(RunState(state), 35)
        return Progress("public", _("Running the public check"), percent, False)
    if not hidden or hidden[-1].state != RunState.DONE:
        state = hidden[-1].state if hidden else RunState.QUEUED
        percent = {RunState.QUEUED: 60, RunState.RUNNING: 75, RunState.SCORING: 90}.get(RunState(state), 75)
        return Progress("hidden", _("Final evaluation on the hidden questions"), percent, False)
    if hidden[-1].verdict == PLATFORM_ERROR:
        label = _(
            "Our platform could not run the final evaluation. It is not your fault and does not count against "
            "you; the hiring team has been told and will run it again."
        )
        return Progress("platform_error", label, 100, True)
    return Progress("done", _("Finished"), 100, True)


def submissions_status(assignment: Assignment) -> dict[str, Any]:
    """The live status both pages poll: public progress only, never a score."""
    rows = []
    for submission in submissions_with_runs(assignment):
        progress = submission_progress(submission)
        rows.append(
            {
                "number": submission.number,
                "step": progress.step,
                "label": progress.label,
                "percent": progress.percent,
                "done": progress.done,
            }
        )
    return {"submissions": rows, "all_done": all(row["done"] for row in rows)}


def submissions_with_runs(assignment: Assignment) -> list[Submission]:
    return list(
        assignment.submissions.prefetch_related(
            Prefetch("runs", queryset=GradingRun.objects.select_related("sandbox_job").order_by("created_at"))
        )
    )


@dataclass(frozen=True)
class AssignmentResult:
    submission: Submission | None  # the latest submission with a finished hidden run
    run: GradingRun | None
    auto_score: float | None
    manual_score: float | None
    combined: float | None
    reviews: int


def assignment_result(assignment: Assignment) -> AssignmentResult:
    """What the scorecard takes: the last upload counts, graded by its latest hidden run."""
    run = (
        GradingRun.objects.filter(submission__assignment=assignment, purpose=RunPurpose.HIDDEN, state=RunState.DONE)
        .exclude(verdict=PLATFORM_ERROR)  # the platform's failure is never the candidate's score
        .select_related("submission")
        .order_by("-submission__number", "-created_at")
        .first()
    )
    reviews = list(TakeHomeReview.objects.filter(assignment=assignment))
    manual = None
    if reviews:
        ratings = [getattr(review, name) for review in reviews for name in RATED]
        manual = round((sum(ratings) / len(ratings) - 1) / 3 * 100, 1)
    auto = run.auto_score if run else None
    combined = None
    if auto is not None and manual is not None:
        combined = round(AUTO_WEIGHT * auto + MANUAL_WEIGHT * manual, 1)
    elif auto is not None:
        combined = auto
    return AssignmentResult(
        submission=run.submission if run else None,
        run=run,
        auto_score=auto,
        manual_score=manual,
        combined=combined,
        reviews=len(reviews),
    )


SOURCE_MAX_BYTES = 200_000


def submission_file_bytes(submission: Submission, index: int, limit: int = SOURCE_MAX_BYTES + 4) -> bytes:
    """The start of one file of the unpacked submission, by its index in the listing."""
    path = Path(settings.MEDIA_ROOT) / submission.workspace / str(submission.files[index]["path"])
    with path.open("rb") as handle:
        return handle.read(limit)


def submission_sources(submission: Submission) -> dict[str, str]:
    """Path -> text of the submission's text files (what the code browser shows)."""
    from .untrusted import decode_text

    sources = {}
    for index, item in enumerate(submission.files):
        if int(item["size"]) > SOURCE_MAX_BYTES:
            continue
        text, _ = decode_text(submission_file_bytes(submission, index), limit=SOURCE_MAX_BYTES)
        if text is not None:
            sources[str(item["path"])] = text
    return sources


def run_questions(run: GradingRun) -> list[dict[str, Any]]:
    """The run's per-question results with the question, the reference answer and the gold ids."""
    questions = evaluation_questions(run.dataset, hidden=run.purpose == RunPurpose.HIDDEN)
    source = {question["id"]: question for question in questions}
    calls = run_model_calls(run)
    rows = []
    for result in run.questions:
        question = source.get(result["id"], {})
        rows.append(
            {
                **result,
                "question": question.get("question", ""),
                "reference_answer": question.get("reference_answer", ""),
                "gold_ids": question.get("gold_ids", []),
                "lang": question.get("lang", ""),
                "model_calls": calls.get(result["id"], []),
            }
        )
    return rows


def run_model_calls(run: GradingRun) -> dict[str, list[dict[str, Any]]]:
    """The model gateway's calls of the run by the question they were charged to
    ("startup" for those before the first question), in order."""
    job = run.sandbox_job
    result = job.result if job is not None and isinstance(job.result, dict) else {}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for call in result.get("model_calls", []):
        if isinstance(call, dict):
            grouped.setdefault(str(call.get("question", "")), []).append(call)
    return grouped
