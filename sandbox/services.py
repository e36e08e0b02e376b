"""Running sandbox jobs for the platform: submit, execute (idempotently, under
redelivery), sweep. Every state change is a guarded UPDATE ... WHERE state =
<expected> whose row count is checked, so two workers can never both move one job."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from docker.errors import DockerException

from hiring_platform.queue import enqueue_on_commit

from . import reaper, runner
from .job import SandboxJob, SandboxResult, ServiceJob, Verdict
from .limits import ClientLimits, GatewayLimits, Limits
from .models import ACTIVE_STATES, JobKind, JobState, SandboxAttempt, SandboxJobRecord
from .mounts import MountPolicy

logger = logging.getLogger(__name__)
DEADLINE_MARGIN = timedelta(seconds=120)  # engine latency, start-up, clean-up
TIME_LIMIT_MARGIN_SECONDS = 60  # containers created, started, removed around the job's wall time


class RetryLater(Exception):
    """The engine failed us; the task retries this job after `countdown` seconds."""

    def __init__(self, countdown: int) -> None:
        super().__init__(countdown)
        self.countdown = countdown


def sandbox_job_submit(
    *, key: str, kind: str, spec: dict[str, Any], max_attempts: int = 3, notify: str = ""
) -> SandboxJobRecord:
    """Record a job and queue it once the transaction commits (one job per key).

    `notify`: the name of a Celery task sent the job's id when the job is done.
    """
    from .tasks import sandbox_job_run_task  # the task module imports this one

    job = SandboxJobRecord.objects.create(key=key, kind=kind, spec=spec, max_attempts=max_attempts, notify=notify)
    enqueue_on_commit(sandbox_job_run_task, job.pk, options=job_time_limits(job))
    return job


def job_time_limits(record: SandboxJobRecord) -> dict[str, float]:
    """The Celery time limits of this job's message: above its own wall time, so the
    worker's limit never cuts a job that keeps within its budget (hitting it is the
    platform's failure). The broker's visibility timeout must stay above the longest."""
    soft = max(float(settings.SANDBOX_TASK_SOFT_TIME_LIMIT), _wall_seconds(record) + TIME_LIMIT_MARGIN_SECONDS)
    return {"soft_time_limit": soft, "time_limit": soft + 30}


def _limits(spec: dict[str, Any]) -> Limits:
    return Limits(**spec.get("limits", {}))


def sandbox_mount_policy() -> MountPolicy:
    """What a job from the database may mount, read at call time (tests set MEDIA_ROOT
    per test): a folder inside the take-home workspaces (submission_workspace_folder)
    and a task-data version's public folder (task_dataset_public_folder), never its hidden one."""
    media = Path(settings.MEDIA_ROOT)
    return MountPolicy(workspaces=media / "takehome" / "workspaces", task_data=media / "taskdata")


def _sandbox_job(record: SandboxJobRecord) -> SandboxJob:
    spec = record.spec
    return SandboxJob(
        job_id=record.key,
        attempt=record.attempts,
        image=spec["image"],
        command=list(spec["command"]),
        workspace=Path(spec["workspace"]),
        data=Path(spec["data"]) if spec.get("data") else None,
        environment=dict(spec.get("environment", {})),
        limits=_limits(spec),
        mount_policy=sandbox_mount_policy(),
    )


def _gateway(spec: dict[str, Any]) -> GatewayLimits | None:
    """The model gateway a service job asks for: {"image", "cpus", "budgets"}."""
    gateway = spec.get("gateway")
    if not gateway:
        return None
    return GatewayLimits(
        image=str(gateway["image"]),
        cpus=float(gateway.get("cpus", 1.0)),
        budgets={str(key): int(value) for key, value in gateway.get("budgets", {}).items()},
    )


def _wall_seconds(record: SandboxJobRecord) -> float:
    limits = _limits(record.spec)
    if record.kind == JobKind.SERVICE:
        gateway = _gateway(record.spec)
        ready = gateway.ready_seconds if gateway is not None else 0.0
        return ClientLimits(**record.spec.get("client_limits", {})).wall_seconds + limits.wall_seconds + ready
    return limits.wall_seconds


def _claim(job_id: int) -> SandboxJobRecord | None:
    """Move the job to `starting` as a new attempt; None when it is already done.

    A job found `starting`/`running` was left by a worker that died (the broker
    redelivers a task only when its worker is lost): its attempt is closed as
    lost and its containers removed before the new attempt starts.
    """
    record = SandboxJobRecord.objects.get(pk=job_id)
    if record.state == JobState.DONE:
        return None
    if record.state in ACTIVE_STATES:
        SandboxAttempt.objects.filter(job=record, finished_at=None).update(
            verdict=Verdict.INFRASTRUCTURE_ERROR,
            detail="the worker was lost during this attempt",
            finished_at=timezone.now(),
        )
        removed = _reap_or_retry(record.key)
        logger.warning(
            "sandbox job %s: worker lost during attempt %s; removed %s", record.key, record.attempts, removed
        )
    elif record.attempts > 0:
        # An earlier attempt met an engine failure: its containers may have outlived it
        # (a restarted engine keeps them, stopped); they go before the next one starts.
        _reap_or_retry(record.key)
    deadline = timezone.now() + timedelta(seconds=_wall_seconds(record)) + DEADLINE_MARGIN
    moved = SandboxJobRecord.objects.filter(pk=job_id, state=record.state, attempts=record.attempts).update(
        state=JobState.STARTING, attempts=F("attempts") + 1, deadline=deadline
    )
    if moved != 1:
        return None  # someone else moved it first
    record.refresh_from_db()
    try:
        SandboxAttempt.objects.create(
            job=record, number=record.attempts, worker=f"{socket.gethostname()}:{os.getpid()}"
        )
    except IntegrityError:
        return None  # this attempt already exists: another delivery owns it
    return record


def _reap_or_retry(job_key: str) -> list[str]:
    try:
        return reaper.reap_job(job_key)
    except (DockerException, requests.RequestException) as error:
        logger.warning("sandbox job %s: the engine is not answering (%s); retrying later", job_key, error)
        raise RetryLater(countdown=10) from error


def _finish(record: SandboxJobRecord, result: SandboxResult, *, final: bool) -> bool:
    """Close the attempt; on `final`, record the job's one result. False if the job moved meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        SandboxAttempt.objects.filter(job=record, number=record.attempts, finished_at=None).update(
            verdict=result.verdict,
            detail=result.detail[:500],
            exit_code=result.exit_code,
            duration_seconds=result.duration_seconds,
            finished_at=now,
        )
        if not final:
            moved = SandboxJobRecord.objects.filter(
                pk=record.pk, state__in=ACTIVE_STATES, attempts=record.attempts
            ).update(state=JobState.QUEUED, deadline=None)
            return moved == 1
        payload = asdict(result)
        payload["verdict"] = result.verdict.value
        moved = SandboxJobRecord.objects.filter(pk=record.pk, state__in=ACTIVE_STATES, attempts=record.attempts).update(
            state=JobState.DONE, verdict=result.verdict, result=payload, finished_at=now, deadline=None
        )
        if moved == 1 and record.notify:
            # Only the delivery that recorded the result notifies: the caller hears of a job once.
            enqueue_on_commit(record.notify, record.pk)
        return moved == 1


def sandbox_job_execute(*, job_id: int) -> SandboxJobRecord | None:
    """Run one attempt of the job. Idempotent: a finished job is left alone.

    Only an infrastructure error is retried (RetryLater) while attempts remain;
    a timeout, a memory kill or a crash is a verdict, recorded once.
    """
    record = _claim(job_id)
    if record is None:
        return None
    if record.attempts > record.max_attempts:
        _finish(record, SandboxResult(Verdict.INFRASTRUCTURE_ERROR, detail="no attempts left"), final=True)
        return record
    running_state = JobState.GRADING if record.kind == JobKind.SERVICE else JobState.RUNNING
    SandboxJobRecord.objects.filter(pk=record.pk, state=JobState.STARTING).update(state=running_state)
    job = _sandbox_job(record)
    if record.kind == JobKind.SERVICE:
        client_limits = ClientLimits(**record.spec.get("client_limits", {}))
        result = runner.run_service(
            ServiceJob(
                job, list(record.spec.get("questions", [])), client_limits=client_limits, gateway=_gateway(record.spec)
            )
        )
    else:
        result = runner.run(job)
    retry = result.verdict.retryable and record.attempts < record.max_attempts
    _finish(record, result, final=not retry)
    if retry:
        raise RetryLater(countdown=min(60, 5 * 2 ** (record.attempts - 1)))
    record.refresh_from_db()
    return record


def sandbox_job_time_out(*, job_id: int) -> None:
    """The task's soft time limit passed: stop the job's containers. The limit sits
    above the job's own wall time, so passing it is the platform's failure (an
    overloaded host, a hung engine call), recorded as an infrastructure error: never
    the candidate's timeout."""
    record = SandboxJobRecord.objects.get(pk=job_id)
    reaper.reap_job(record.key)
    if record.state in ACTIVE_STATES:
        detail = "the worker's time limit for this job passed"
        _finish(record, SandboxResult(Verdict.INFRASTRUCTURE_ERROR, detail=detail), final=True)


def sandbox_jobs_sweep() -> dict[str, int]:
    """Remove containers past their deadline; requeue (or close) jobs stuck past theirs."""
    from .tasks import sandbox_job_run_task

    removed = reaper.reap()
    stuck = list(SandboxJobRecord.objects.filter(state__in=ACTIVE_STATES, deadline__lt=timezone.now()))
    for record in stuck:
        # Hand it back to the queue: _claim closes the lost attempt and starts the next one.
        enqueue_on_commit(sandbox_job_run_task, record.pk, options=job_time_limits(record))
    return {"containers_removed": len(removed), "jobs_requeued": len(stuck)}


def sandbox_job_containers_remove(*, keys: list[str]) -> list[str]:
    """Remove every container of these jobs whatever their deadline (their
    candidate's data was erased); names of those removed. Idempotent."""
    removed: list[str] = []
    for key in keys:
        removed += reaper.reap_job(key)
    return removed
