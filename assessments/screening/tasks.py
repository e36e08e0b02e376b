"""Celery tasks of resume screening: thin, take ids, call one service."""

from __future__ import annotations

from celery import shared_task

from hiring_platform.queue import TRANSIENT_RETRY

from . import services


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, **TRANSIENT_RETRY)
def screening_run_task(screening_id: int) -> None:
    services.screening_run(screening_id=screening_id)
