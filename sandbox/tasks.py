"""Celery tasks of the sandbox: thin, take ids, call one service. They run on the
`sandbox` queue (CELERY_TASK_ROUTES), so slow jobs never starve quick tasks."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from hiring_platform.queue import TRANSIENT_ERRORS

from . import services


@shared_task(
    bind=True,
    acks_late=True,  # a job whose worker dies is delivered again...
    reject_on_worker_lost=True,  # ...instead of being acknowledged as failed
    soft_time_limit=settings.SANDBOX_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.SANDBOX_TASK_TIME_LIMIT,
    max_retries=5,
    # PostgreSQL went away mid-job: deliver again; the next claim closes this attempt.
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=30,
)
def sandbox_job_run_task(self, job_id: int) -> None:  # type: ignore[no-untyped-def]
    try:
        services.sandbox_job_execute(job_id=job_id)
    except services.RetryLater as retry:
        raise self.retry(countdown=retry.countdown) from None
    except SoftTimeLimitExceeded:
        services.sandbox_job_time_out(job_id=job_id)


@shared_task(soft_time_limit=120, time_limit=150)
def sandbox_jobs_sweep_task() -> dict[str, int]:
    return services.sandbox_jobs_sweep()


@shared_task(soft_time_limit=120, time_limit=150)
def sandbox_job_containers_remove_task(keys: list[str]) -> list[str]:
    return services.sandbox_job_containers_remove(keys=keys)
