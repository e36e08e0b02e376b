"""/metrics: the metric families, figures that follow what happened, and who may read it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from assessments.takehome.models import GradingRun, Submission
from assessments.takehome.services import assignment_issue
from hiring_platform.celery import app as celery_app
from sandbox.models import SandboxJobRecord
from tests.factories import CandidateFactory

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: Client) -> tuple[set[str], Samples]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    families = list(text_string_to_metric_families(response.content.decode()))
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in families
        for sample in family.samples
    }
    return {family.name for family in families}, samples


def sample(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.django_db
def test_metrics_answers_with_the_platform_families(client: Client) -> None:
    names, samples = scrape(client)

    assert {
        "hiring_http_request_duration_seconds",
        "hiring_celery_queue_depth",
        "hiring_grading_runs_finished",
        "hiring_grading_run_duration_seconds",
        "hiring_sandbox_job_duration_seconds",
    } <= names
    assert {labels for name, labels in samples if name == "hiring_celery_queue_depth"} == {
        frozenset({("queue", "celery")}),
        frozenset({("queue", "sandbox")}),
    }


@pytest.mark.django_db
def test_a_request_shows_up_in_the_latency_histogram(client: Client) -> None:
    _, before = scrape(client)

    client.get("/healthz")

    _, after = scrape(client)
    labels = {"view": "healthz", "method": "GET", "status": "2xx"}
    count = "hiring_http_request_duration_seconds_count"
    assert sample(after, count, **labels) == sample(before, count, **labels) + 1
    assert sample(after, "hiring_http_request_duration_seconds_bucket", le="10.0", **labels) == sample(
        after, count, **labels
    )


@pytest.mark.django_db
def test_a_finished_grading_run_shows_up_in_verdicts_and_durations(
    client: Client, rag_task: Any, recruiter: Any
) -> None:
    assignment, _ = assignment_issue(actor=recruiter, task=rag_task, candidate=CandidateFactory(), time_mode="window")
    submission = Submission.objects.create(
        assignment=assignment, number=1, archive="x.zip", archive_name="x.zip", archive_size=1, sha256="0",
        state="ready",
    )  # fmt: skip
    job = SandboxJobRecord.objects.create(key="metrics-job", kind="service", spec={}, state="done", verdict="ok")
    run = GradingRun.objects.create(
        submission=submission, purpose="hidden", state="done", verdict="ok", dataset=rag_task.dataset,
        grader_version="t", sandbox_job=job,
    )  # fmt: skip
    GradingRun.objects.create(
        submission=submission, purpose="hidden", state="queued", dataset=rag_task.dataset, grader_version="t"
    )  # not finished: counted nowhere yet
    now = timezone.now()
    GradingRun.objects.filter(pk=run.pk).update(
        created_at=now - timedelta(seconds=90), finished_at=now - timedelta(seconds=15)
    )
    SandboxJobRecord.objects.filter(pk=job.pk).update(
        created_at=now - timedelta(seconds=80), finished_at=now - timedelta(seconds=20)
    )

    _, samples = scrape(client)

    verdicts = {labels: value for (name, labels), value in samples.items() if name == "hiring_grading_runs_finished"}
    assert verdicts == {frozenset({("purpose", "hidden"), ("verdict", "ok")}): 1.0}
    duration = "hiring_grading_run_duration_seconds"
    assert sample(samples, f"{duration}_count", purpose="hidden") == 1.0
    assert sample(samples, f"{duration}_sum", purpose="hidden") == pytest.approx(75.0)
    assert sample(samples, f"{duration}_bucket", purpose="hidden", le="60.0") == 0.0
    assert sample(samples, f"{duration}_bucket", purpose="hidden", le="120.0") == 1.0
    assert sample(samples, f"{duration}_count", purpose="public") == 0.0
    job_duration = "hiring_sandbox_job_duration_seconds"
    assert sample(samples, f"{job_duration}_count", kind="service") == 1.0
    assert sample(samples, f"{job_duration}_sum", kind="service") == pytest.approx(60.0)


@pytest.mark.django_db
def test_queue_depth_counts_a_waiting_message(client: Client) -> None:
    # No worker runs in this test: the message waits in the sandbox queue until removed below.
    broker = redis.Redis.from_url(str(settings.CELERY_BROKER_URL))
    _, before = scrape(client)
    celery_app.send_task("sandbox.tasks.sandbox_jobs_sweep_task", queue="sandbox")
    try:
        _, after = scrape(client)
    finally:
        broker.lpop("sandbox")  # the newest message, ours (Celery pushes to the head)
        broker.close()

    assert sample(after, "hiring_celery_queue_depth", queue="sandbox") == (
        sample(before, "hiring_celery_queue_depth", queue="sandbox") + 1
    )


@pytest.mark.django_db
def test_a_remote_caller_without_the_token_is_refused() -> None:
    response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")

    assert response.status_code == 403
    assert b"hiring_" not in response.content


@pytest.mark.django_db
def test_a_request_forwarded_by_a_local_proxy_is_not_local() -> None:
    response = Client(HTTP_X_FORWARDED_FOR="203.0.113.9").get("/metrics")

    assert response.status_code == 403


@pytest.mark.django_db
def test_with_a_token_only_its_bearer_may_read(settings: Any) -> None:
    settings.METRICS_TOKEN = "scrape-secret-0123456789"
    remote = Client(REMOTE_ADDR="203.0.113.9")

    with_token = remote.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789")
    wrong_token = remote.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-wrong")
    local_without_token = Client().get("/metrics")

    assert with_token.status_code == 200
    assert b"hiring_grading_runs_finished" in with_token.content
    assert wrong_token.status_code == 403
    assert local_without_token.status_code == 403


@pytest.mark.django_db
def test_a_signed_in_recruiter_is_refused_even_with_the_token(settings: Any, recruiter: Any) -> None:
    settings.METRICS_TOKEN = "scrape-secret-0123456789"
    client = Client()
    client.force_login(recruiter)

    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789")

    assert response.status_code == 403
