"""Celery tasks of the take-home pipeline: thin, take ids, call one service.
Docker work happens in the sandbox's own tasks; these unpack, score and compare."""

from __future__ import annotations

from celery import shared_task

from hiring_platform.queue import TRANSIENT_RETRY, transient_retry
from sandbox import ExtractionInfrastructureError

from . import services


# A full disk or file table while unpacking is retried; the sweep re-sends what still fails.
@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, **transient_retry(ExtractionInfrastructureError))
def submission_prepare_task(submission_id: int) -> None:
    services.submission_prepare(submission_id=submission_id)


@shared_task(name="takehome.grading_run_score", acks_late=True, soft_time_limit=120, time_limit=150, **TRANSIENT_RETRY)
def grading_run_score_task(job_id: int) -> None:
    services.grading_run_score(job_id=job_id)


@shared_task(
    name="takehome.submission_tests_done", acks_late=True, soft_time_limit=120, time_limit=150, **TRANSIENT_RETRY
)
def submission_tests_done_task(job_id: int) -> None:
    services.submission_tests_done(job_id=job_id)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330, **TRANSIENT_RETRY)
def submission_compare_task(submission_id: int) -> None:
    services.submission_compare(submission_id=submission_id)


@shared_task(soft_time_limit=120, time_limit=150)
def takehome_sweep_task() -> dict[str, int]:
    return services.takehome_sweep()
