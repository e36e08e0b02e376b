"""The grading pipeline of a submission, run by Celery tasks:

    upload (submissions.py) → submission_prepare: unpack, find the start command,
    static checks → the candidate's tests in the sandbox (static_checks.py) →
    public run in the sandbox (the 10 public questions) →
    grading_run_score: score it; start the hidden run → grading_run_score: score
    the hidden run, which gives the auto-score.

Each step moves a state with a guarded UPDATE, so a redelivered task does its
step once. The sandbox records the job and its attempts; when a job is done it
sends its id to `grading_run_score_task` (SandboxJobRecord.notify). A re-grade
adds a new hidden run; every run keeps the image, data and grader versions it
used. `takehome_sweep` picks up anything whose message was lost.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.candidates.services import candidate_scores_changed
from hiring_platform.errors import ConflictError
from hiring_platform.queue import enqueue_on_commit
from sandbox import ClientLimits, ExtractionInfrastructureError, InvalidSubmission, Limits, Verdict
from sandbox.image import gateway_image_tag, image_tag
from sandbox.models import JobKind, JobState
from sandbox.services import sandbox_job_submit

from ..datafiles import evaluation_questions, task_dataset_public_folder
from ..grading import GRADER_VERSION
from ..grading.autoscore import WEIGHTS
from ..grading.evaluate import Evaluation, evaluate
from ..models import PLATFORM_ERROR, GradingRun, RunPurpose, RunState, Submission, SubmissionState, TakeHomeTask
from ..workspace import workspace_unpack

logger = logging.getLogger(__name__)
SCORE_TASK = "takehome.grading_run_score"
SKIPPED_AFTER = {Verdict.FAILED_TO_START, Verdict.INVALID_SUBMISSION}  # the hidden run would fail the same way
LOGS_MAX_CHARS = 200_000


def _media(relative: str | Path) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def submission_workspace_folder(submission: Submission) -> Path:
    """Where the submission is unpacked (its workspace is this folder or one inside it)."""
    return _media(Path("takehome") / "workspaces" / str(submission.pk))


def _image() -> str:
    return settings.SANDBOX_IMAGE or image_tag()


WALL_MARGIN_SECONDS = 30  # the client's own start and the answers' hand-over


def _limits(task: TakeHomeTask, questions: int) -> tuple[Limits, ClientLimits]:
    client = ClientLimits(
        health_seconds=float(task.startup_seconds),
        seconds_per_answer=float(task.seconds_per_answer),
        # Start-up plus every answer at its limit: a service that keeps within the
        # per-answer limit is never cut off as a whole (the client bounds each answer).
        wall_seconds=float(task.startup_seconds + questions * task.seconds_per_answer + WALL_MARGIN_SECONDS),
    )
    return Limits(memory_bytes=task.memory_mb * 1024 * 1024, cpus=float(task.cpus)), client


def _run_start(run: GradingRun) -> None:
    """Hand the run to the sandbox (inside the caller's transaction)."""
    submission = run.submission
    task = submission.assignment.task
    questions = evaluation_questions(run.dataset, hidden=run.purpose == RunPurpose.HIDDEN)
    limits, client_limits = _limits(task, len(questions))
    spec: dict[str, Any] = {
        "image": run.image,
        "command": submission.start_command,
        "workspace": str(_media(submission.workspace)),
        "data": str(task_dataset_public_folder(run.dataset)),  # never the hidden folder
        "limits": {"memory_bytes": limits.memory_bytes, "cpus": limits.cpus},
        "client_limits": {
            "health_seconds": client_limits.health_seconds,
            "seconds_per_answer": client_limits.seconds_per_answer,
            "wall_seconds": client_limits.wall_seconds,
        },
        # Only ids and question texts: reference answers never reach the sandbox.
        "questions": [{"id": question["id"], "question": question["question"]} for question in questions],
    }
    if task.model_gateway:
        spec["gateway"] = {
            "image": settings.SANDBOX_GATEWAY_IMAGE or gateway_image_tag(),
            "cpus": 1.0,  # one llama.cpp thread per CPU of its share: more threads than CPUs collapse
            "budgets": {
                "tokens_per_question": task.model_tokens_per_question,
                "tokens_per_run": task.model_tokens_per_run,
            },
        }
    job = sandbox_job_submit(key=f"takehome-run-{run.pk}", kind=JobKind.SERVICE, spec=spec, notify=SCORE_TASK)
    moved = GradingRun.objects.filter(pk=run.pk, state=RunState.QUEUED, sandbox_job=None).update(
        state=RunState.RUNNING, sandbox_job=job
    )
    if moved != 1:
        raise ConflictError(_("The run was started twice."), code="takehome.run_started")


def _close_run(run: GradingRun, verdict: str, detail: str, **fields: Any) -> bool:
    moved = (
        GradingRun.objects.filter(pk=run.pk)
        .exclude(state=RunState.DONE)
        .update(state=RunState.DONE, verdict=verdict, detail=detail[:500], finished_at=timezone.now(), **fields)
    )
    return moved == 1


def submission_prepare(*, submission_id: int) -> None:
    """Unpack and check the upload, then start its public run. Idempotent."""
    submission = Submission.objects.select_related("assignment__task").get(pk=submission_id)
    if submission.state != SubmissionState.RECEIVED:
        return
    public_run = submission.runs.get(purpose=RunPurpose.PUBLIC)
    target = submission_workspace_folder(submission)
    if target.exists():  # left by an attempt whose worker died
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        workspace = workspace_unpack(Path(submission.archive.path), target)
    except ExtractionInfrastructureError:
        # The worker's disk or file table, not the upload: the submission stays
        # `received` and the task retries (then the sweep re-sends it).
        shutil.rmtree(target, ignore_errors=True)
        raise
    except InvalidSubmission as error:
        shutil.rmtree(target, ignore_errors=True)
        with transaction.atomic():
            moved = Submission.objects.filter(pk=submission.pk, state=SubmissionState.RECEIVED).update(
                state=SubmissionState.INVALID, detail=str(error)[:500]
            )
            if moved == 1:
                _close_run(public_run, Verdict.INVALID_SUBMISSION, str(error))
        return
    with transaction.atomic():
        moved = Submission.objects.filter(pk=submission.pk, state=SubmissionState.RECEIVED).update(
            state=SubmissionState.READY,
            workspace=str(workspace.root.relative_to(Path(settings.MEDIA_ROOT))),
            start_command=workspace.command,
            files=workspace.files,
            report=workspace.report,
            static_checks=workspace.static_checks,
        )
        if moved != 1:
            return
        GradingRun.objects.filter(pk=public_run.pk).update(image=_image())
        # The candidate's tests run first; their job's notification starts the public run.
        from .static_checks import submission_tests_start  # it imports this module

        submission_tests_start(submission_id=submission.pk)
        from ..tasks import submission_compare_task

        enqueue_on_commit(submission_compare_task, submission.pk)


def _questions_for_scoring(run: GradingRun) -> list[dict[str, Any]]:
    return evaluation_questions(run.dataset, hidden=run.purpose == RunPurpose.HIDDEN)


def _stored(evaluation: Evaluation, result: dict[str, Any]) -> dict[str, Any]:
    score = evaluation.score
    retrieval = evaluation.retrieval
    correct = [q.correct for q in evaluation.questions if q.correct is not None]
    return {
        "components": {
            name: {"value": round(score.components[name], 4), "points": score.points[name], "weight": weight}
            for name, weight in WEIGHTS.items()
        },
        "metrics": {
            "hit_at_1": round(retrieval.hit_at_1, 4),
            "hit_at_5": round(retrieval.hit_at_5, 4),
            "mrr_at_10": round(retrieval.mrr_at_10, 4),
            "correct": sum(bool(flag) for flag in correct),
            "answerable": len(correct),
            "latency_p50_seconds": round(evaluation.latency_p50_seconds, 3),
            "latency_p95_seconds": round(evaluation.latency_p95_seconds, 3),
            "error_rate": round(evaluation.error_rate, 4),
            "timeout_rate": round(evaluation.timeout_rate, 4),
            "startup_seconds": result.get("startup_seconds"),
            "duration_seconds": result.get("duration_seconds"),
            "memory_peak_bytes": result.get("memory_peak_bytes"),
        },
        "questions": [vars(question) for question in evaluation.questions],
    }


def _scoring_claim(run: GradingRun) -> uuid.UUID | None:
    """Move the run from `running` to `scoring` under a new claim; None when another
    scorer has it (a second notification) or it is closed already."""
    claim = uuid.uuid4()
    moved = GradingRun.objects.filter(pk=run.pk, state=RunState.RUNNING).update(
        state=RunState.SCORING, scoring_claim=claim, scoring_started_at=timezone.now()
    )
    return claim if moved == 1 else None


def _close_claimed_run(run: GradingRun, claim: uuid.UUID, verdict: str, detail: str, **fields: Any) -> bool:
    """Close the run only while `claim` still holds it: a scorer whose claim the sweep
    took back (it outlived the time limit) must not write a second result."""
    moved = GradingRun.objects.filter(pk=run.pk, state=RunState.SCORING, scoring_claim=claim).update(
        state=RunState.DONE, verdict=verdict, detail=detail[:500], finished_at=timezone.now(), **fields
    )
    return moved == 1


def grading_run_score(*, job_id: int) -> GradingRun | None:
    """The sandbox finished a run's job: score it, store it, start the next run.
    Exactly once per run: the claim decides who scores, and only its holder closes it."""
    run = (
        GradingRun.objects.select_related("submission__assignment__task", "dataset", "sandbox_job")
        .filter(sandbox_job_id=job_id)
        .first()
    )
    if run is None or run.sandbox_job is None or run.sandbox_job.state != JobState.DONE:
        return None
    claim = _scoring_claim(run)
    if claim is None:
        return None
    return grading_run_finish(run=run, claim=claim)


def grading_run_finish(*, run: GradingRun, claim: uuid.UUID) -> GradingRun | None:
    """Score a claimed run and record it, with the next step, in one transaction.
    None when the claim was lost meanwhile: then nothing is written."""
    job = run.sandbox_job
    assert job is not None  # noqa: S101 - a claimed run has its job
    result = job.result or {}
    if job.verdict == Verdict.INFRASTRUCTURE_ERROR:
        return _close_platform_error(run, claim, str(result.get("detail", "")))
    task = run.submission.assignment.task
    evaluation = evaluate(
        _questions_for_scoring(run),
        list(result.get("answers", [])),
        static=run.submission.static_score,
        seconds_per_answer=float(task.seconds_per_answer),
    )
    with transaction.atomic():
        closed = _close_claimed_run(
            run,
            claim,
            job.verdict,
            str(result.get("detail", "")),
            auto_score=evaluation.score.total if run.purpose == RunPurpose.HIDDEN else None,
            logs=str(result.get("logs", ""))[:LOGS_MAX_CHARS],
            **_stored(evaluation, result),
        )
        if not closed:
            return None
        if run.purpose == RunPurpose.PUBLIC:
            _hidden_run_after_public(run, Verdict(job.verdict))
        else:
            candidate_scores_changed(candidate_id=run.submission.assignment.candidate_id)
    run.refresh_from_db()
    return run


def _close_platform_error(run: GradingRun, claim: uuid.UUID, detail: str) -> GradingRun | None:
    """The sandbox gave up on the job for reasons of its own: no score, no candidate
    verdict. A public check's failure still lets the hidden run go ahead (it is the
    one that counts, with retries of its own); a hidden run waits for a recruiter's re-run."""
    with transaction.atomic():
        closed = _close_claimed_run(
            run, claim, PLATFORM_ERROR, detail or "the platform could not run this check", auto_score=None
        )
        if not closed:
            return None
        if run.purpose == RunPurpose.PUBLIC:
            _hidden_run_after_public(run, Verdict.INFRASTRUCTURE_ERROR)
        else:
            candidate_scores_changed(candidate_id=run.submission.assignment.candidate_id)
    logger.error("take-home run %s ended as a platform error: %s", run.pk, detail)
    run.refresh_from_db()
    return run


def _hidden_run_after_public(public_run: GradingRun, verdict: Verdict) -> None:
    submission = public_run.submission
    task = submission.assignment.task
    hidden = GradingRun.objects.create(
        submission=submission,
        purpose=RunPurpose.HIDDEN,
        dataset=task.dataset,
        image=_image(),
        grader_version=GRADER_VERSION,
    )
    if verdict in SKIPPED_AFTER:
        evaluation = evaluate(_questions_for_scoring(hidden), [], static=submission.static_score)
        _close_run(
            hidden,
            verdict,
            "not run: the service did not start in the public check",
            auto_score=evaluation.score.total,
            **_stored(evaluation, {}),
        )
        candidate_scores_changed(candidate_id=submission.assignment.candidate_id)
        return
    _run_start(hidden)


@transaction.atomic
def submission_regrade(*, actor: User, submission: Submission) -> GradingRun:
    """Run the hidden evaluation again with today's image, data and grader (also how a
    recruiter re-runs a run that ended as a platform error)."""
    if submission.assignment.candidate.erased_at is not None:
        raise ConflictError(
            _("The candidate's data was erased: their submission can no longer be graded."), code="takehome.erased"
        )
    if submission.state != SubmissionState.READY or not submission.workspace:
        raise ConflictError(_("Only an unpacked submission can be graded again."), code="takehome.not_ready")
    if not (_media(submission.workspace)).is_dir():
        raise ConflictError(
            _("This submission's unpacked files are gone: it cannot be graded again."), code="takehome.not_ready"
        )
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.runs.exclude(state=RunState.DONE).exists():
        raise ConflictError(_("This submission is being graded right now."), code="takehome.run_in_progress")
    run = GradingRun.objects.create(
        submission=locked,
        purpose=RunPurpose.HIDDEN,
        dataset=locked.assignment.task.dataset,
        image=_image(),
        grader_version=GRADER_VERSION,
        requested_by=actor,
    )
    run.submission = locked
    _run_start(run)
    return run


STALE_AFTER = timedelta(minutes=10)
# The scoring task's hard time limit (tasks.py): a claim older than this lost its scorer.
SCORING_TIME_LIMIT_SECONDS = 150


def takehome_sweep() -> dict[str, int]:
    """Re-send what a lost message left behind: uploads never unpacked, runs whose
    sandbox job finished without the run being scored."""
    from ..tasks import grading_run_score_task, submission_prepare_task

    stale = timezone.now() - STALE_AFTER
    unpacked = list(
        Submission.objects.filter(state=SubmissionState.RECEIVED, uploaded_at__lt=stale).values_list("pk", flat=True)
    )
    for submission_id in unpacked:
        enqueue_on_commit(submission_prepare_task, submission_id)
    unscored = list(
        GradingRun.objects.filter(
            state=RunState.RUNNING, sandbox_job__state=JobState.DONE, sandbox_job__finished_at__lt=stale
        ).values_list("sandbox_job_id", flat=True)
    )
    for job_id in unscored:
        enqueue_on_commit(grading_run_score_task, job_id)
    # A claim older than the scoring task's time limit lost its scorer: take it back and
    # score again. A scorer still alive past that point finds its claim gone and writes nothing.
    abandoned = timezone.now() - timedelta(seconds=SCORING_TIME_LIMIT_SECONDS + 30)
    reclaimed = []
    for run_id, job_id, claim in GradingRun.objects.filter(
        state=RunState.SCORING, scoring_started_at__lt=abandoned
    ).values_list("pk", "sandbox_job_id", "scoring_claim"):
        taken_back = GradingRun.objects.filter(pk=run_id, state=RunState.SCORING, scoring_claim=claim).update(
            state=RunState.RUNNING, scoring_claim=None, scoring_started_at=None
        )
        if taken_back == 1:
            reclaimed.append(job_id)
            enqueue_on_commit(grading_run_score_task, job_id)
    from .static_checks import static_tests_sweep  # tests jobs done whose public run never started

    tests = {"tests_resent": static_tests_sweep()}
    return {"submissions_resent": len(unpacked), "runs_rescored": len(unscored) + len(reclaimed), **tests}
