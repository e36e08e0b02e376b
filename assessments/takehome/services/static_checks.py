"""The candidate's tests in the pipeline: after unpacking, a sandbox COMMAND job
runs them (pytest, no network, /workspace and /data read-only, writable /tmp);
its notification stores the outcome in `Submission.static_checks["tests"]`,
recomputes the static score and starts the public run, so both runs are scored
with the final static component.

    submission_prepare (grading.py) → submission_tests_start → sandbox job →
    submission_tests_done → public run (grading.py's _run_start)

An infrastructure error of the tests job is retried by the sandbox (its
attempts); if it still fails, the tests are recorded as "platform_error", left
out of the static score (checks/score.py) and the public run starts anyway: a
platform failure never costs the candidate points nor blocks their grading.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hiring_platform.queue import enqueue_on_commit
from sandbox.models import JobKind, JobState, SandboxJobRecord
from sandbox.services import sandbox_job_submit

from ..checks import TESTS_ENVIRONMENT, checks_with_tests, tests_command, tests_outcome
from ..datafiles import task_dataset_public_folder
from ..models import GradingRun, RunPurpose, RunState, Submission, SubmissionState
from .grading import STALE_AFTER, _media, _run_start

logger = logging.getLogger(__name__)
TESTS_DONE_TASK = "takehome.submission_tests_done"
TESTS_JOB_PREFIX = "takehome-tests-"


def tests_job_key(submission_id: int) -> str:
    return f"{TESTS_JOB_PREFIX}{submission_id}"


def submission_tests_start(*, submission_id: int) -> SandboxJobRecord:
    """Hand the submission's tests to the sandbox, inside the caller's transaction
    (the one that marked it ready). Its public run stays queued until they are done."""
    submission = Submission.objects.select_related("assignment__task").get(pk=submission_id)
    public_run = submission.runs.get(purpose=RunPurpose.PUBLIC)
    task = submission.assignment.task
    spec: dict[str, Any] = {
        "image": public_run.image,
        "command": tests_command(),
        "workspace": str(_media(submission.workspace)),
        "data": str(task_dataset_public_folder(public_run.dataset)),  # as the service sees it; never hidden/
        "environment": TESTS_ENVIRONMENT,
        "limits": {
            "memory_bytes": task.memory_mb * 1024 * 1024,
            "cpus": float(task.cpus),
            "wall_seconds": float(settings.TAKEHOME_TESTS_SECONDS),
        },
    }
    return sandbox_job_submit(key=tests_job_key(submission.pk), kind=JobKind.COMMAND, spec=spec, notify=TESTS_DONE_TASK)


def submission_tests_done(*, job_id: int) -> Submission | None:
    """The tests job finished: store its outcome and the static score, start the
    public run. Idempotent: a second notification finds the public run started."""
    job = SandboxJobRecord.objects.filter(pk=job_id, state=JobState.DONE, key__startswith=TESTS_JOB_PREFIX).first()
    if job is None:
        return None
    submission_id = int(job.key.removeprefix(TESTS_JOB_PREFIX))
    with transaction.atomic():
        # The row lock orders two deliveries of the notification: the second sees the run started.
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("assignment__task")
            .filter(pk=submission_id, state=SubmissionState.READY)
            .first()
        )
        if submission is None:
            return None
        public_run = submission.runs.get(purpose=RunPurpose.PUBLIC)
        if public_run.state != RunState.QUEUED or public_run.sandbox_job_id is not None:
            return None
        outcome = tests_outcome({**job.result, "verdict": job.verdict})
        if outcome["status"] == "platform_error":
            logger.warning("tests job %s: platform error (%s); not counted", job.key, outcome["detail"])
        submission.static_checks = checks_with_tests(submission.static_checks, outcome)
        Submission.objects.filter(pk=submission.pk).update(static_checks=submission.static_checks)
        public_run.submission = submission
        _run_start(public_run)
    return submission


def static_tests_sweep() -> int:
    """Re-send the notification of tests jobs that finished long ago while their
    submission's public run still waits (the message was lost); how many."""
    waiting = GradingRun.objects.filter(
        purpose=RunPurpose.PUBLIC,
        state=RunState.QUEUED,
        sandbox_job=None,
        submission__state=SubmissionState.READY,
    ).values_list("submission_id", flat=True)
    jobs = list(
        SandboxJobRecord.objects.filter(
            key__in=[tests_job_key(submission_id) for submission_id in waiting],
            state=JobState.DONE,
            finished_at__lt=timezone.now() - STALE_AFTER,
        ).values_list("pk", flat=True)
    )
    for job_id in jobs:
        enqueue_on_commit(TESTS_DONE_TASK, job_id)
    return len(jobs)
