"""Sandbox jobs through a real Celery worker: one result per job, retries for
infrastructure errors only, and a worker killed mid-job."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import docker
import pytest
from django.db import transaction
from django.urls import reverse

from sandbox import Verdict, leftovers
from sandbox.models import JobState, SandboxAttempt, SandboxJobRecord
from sandbox.reaper import LABEL
from sandbox.services import sandbox_job_execute, sandbox_job_submit, sandbox_job_time_out, sandbox_jobs_sweep
from tests.conftest import start_worker, stop_worker


def spec(image: str, workspace: Path, source: str, **limits: Any) -> dict[str, Any]:
    (workspace / "job.py").write_text(source)
    return {
        "image": image,
        "command": ["python3", "job.py"],
        "workspace": str(workspace),
        "limits": {"wall_seconds": 10, **limits},
    }


def submit(key: str, job_spec: dict[str, Any], **options: Any) -> SandboxJobRecord:
    with transaction.atomic():
        return sandbox_job_submit(key=key, kind="command", spec=job_spec, **options)


def wait_for(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    pytest.fail(f"condition not met within {seconds} s")


def done(job: SandboxJobRecord) -> bool:
    job.refresh_from_db()
    return job.state == JobState.DONE


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_through_the_worker_and_records_one_result(
    celery_worker: Any, sandbox_image: str, workspace: Path, recruiter_api: Any
) -> None:
    job = submit("job-ok", spec(sandbox_image, workspace, "print('hello from the sandbox')"))

    wait_for(lambda: done(job))

    assert job.verdict == Verdict.OK
    assert "hello from the sandbox" in job.result["logs"]
    assert list(SandboxAttempt.objects.filter(job=job).values_list("number", "verdict")) == [(1, "ok")]
    status = recruiter_api.get(reverse("api:sandbox-api:job-status", args=[job.key])).json()
    assert (status["state"], status["verdict"], len(status["attempts"])) == ("done", "ok", 1)


@pytest.mark.django_db(transaction=True)
def test_a_timeout_is_a_verdict_not_a_retry(celery_worker: Any, sandbox_image: str, workspace: Path) -> None:
    job = submit("job-sleeps", spec(sandbox_image, workspace, "import time; time.sleep(60)", wall_seconds=2))

    wait_for(lambda: done(job))

    assert job.verdict == Verdict.TIMED_OUT
    assert job.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_an_infrastructure_error_is_retried_then_given_up(celery_worker: Any, workspace: Path) -> None:
    job = submit("job-no-image", spec("hiring-sandbox:missing", workspace, "pass"), max_attempts=2)

    wait_for(lambda: done(job), seconds=90)

    assert job.verdict == Verdict.INFRASTRUCTURE_ERROR
    assert list(SandboxAttempt.objects.filter(job=job).values_list("number", "verdict")) == [
        (1, "infrastructure_error"),
        (2, "infrastructure_error"),
    ]


@pytest.mark.django_db
def test_a_redelivered_task_of_a_finished_job_does_nothing(sandbox_image: str, workspace: Path) -> None:
    job = SandboxJobRecord.objects.create(key="job-twice", kind="command", spec=spec(sandbox_image, workspace, "pass"))

    first = sandbox_job_execute(job_id=job.pk)
    second = sandbox_job_execute(job_id=job.pk)

    assert first is not None and first.verdict == Verdict.OK  # noqa: PT018
    assert second is None
    assert SandboxAttempt.objects.filter(job=job).count() == 1


@pytest.mark.django_db
def test_the_sweep_removes_containers_past_their_deadline(sandbox_image: str) -> None:
    client = docker.from_env()
    container = client.containers.create(
        sandbox_image, ["sleep", "600"], labels={LABEL: "1", f"{LABEL}.job": "orphan", f"{LABEL}.deadline": "1"}
    )
    container.start()

    report = sandbox_jobs_sweep()

    assert report["containers_removed"] == 1
    assert leftovers() == []


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_job_ends_with_exactly_one_result_and_no_leftovers(
    sandbox_image: str, workspace: Path
) -> None:
    first_worker = start_worker("doomed")
    job = submit("job-worker-killed", spec(sandbox_image, workspace, "import time; time.sleep(6); print('finished')"))
    try:
        wait_for(lambda: SandboxJobRecord.objects.get(pk=job.pk).state == JobState.RUNNING and bool(leftovers()))
    finally:
        stop_worker(first_worker, signal.SIGKILL)  # the worker and its pool die mid-job
    assert leftovers(), "the job's container outlives the killed worker"

    # The broker gives the unacknowledged task to the next worker once the
    # visibility timeout (60 s under the test settings) has passed.
    second_worker = start_worker("survivor")
    try:
        wait_for(lambda: done(job), seconds=150)
    finally:
        stop_worker(second_worker)

    assert job.verdict == Verdict.OK
    assert "finished" in job.result["logs"]
    attempts = list(SandboxAttempt.objects.filter(job=job).values_list("number", "verdict"))
    assert attempts == [(1, "infrastructure_error"), (2, "ok")]
    assert SandboxJobRecord.objects.filter(key="job-worker-killed").count() == 1
    assert leftovers() == []


@pytest.mark.django_db
def test_the_workers_time_limit_stops_the_containers_and_is_a_platform_failure(sandbox_image: str) -> None:
    job = SandboxJobRecord.objects.create(
        key="job-soft-limit", kind="command", spec={}, state=JobState.RUNNING, attempts=1
    )
    SandboxAttempt.objects.create(job=job, number=1)
    docker.from_env().containers.create(
        sandbox_image, ["sleep", "600"], labels={LABEL: "1", f"{LABEL}.job": job.key, f"{LABEL}.deadline": "9999999999"}
    ).start()

    sandbox_job_time_out(job_id=job.pk)

    job.refresh_from_db()
    # The worker's limit sits above the job's own wall time: passing it is never the candidate's timeout.
    assert (job.state, job.verdict) == (JobState.DONE, Verdict.INFRASTRUCTURE_ERROR)
    assert SandboxAttempt.objects.get(job=job).verdict == Verdict.INFRASTRUCTURE_ERROR
    assert job.result["detail"] == "the worker's time limit for this job passed"
    assert leftovers() == []


def test_the_sandbox_leaves_no_network_or_volume_of_ours() -> None:
    client = docker.from_env()

    assert client.networks.list(filters={"label": f"{LABEL}=1"}) == []
    assert client.volumes.list(filters={"label": f"{LABEL}=1"}) == []
