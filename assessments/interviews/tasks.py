"""Celery tasks of interviews: thin, call one service."""

from __future__ import annotations

from celery import shared_task

from hiring_platform.queue import TRANSIENT_RETRY

from .evaluation import candidate_score_refresh, candidate_scores_sweep
from .reminders import scorecard_reminders_send


@shared_task(soft_time_limit=120, time_limit=150)
def scorecard_reminders_task() -> int:
    return scorecard_reminders_send()


@shared_task(soft_time_limit=60, time_limit=90, **TRANSIENT_RETRY)
def candidate_score_refresh_task(candidate_id: int) -> None:
    candidate_score_refresh(candidate_id=candidate_id)


@shared_task(soft_time_limit=120, time_limit=150)
def candidate_scores_sweep_task() -> int:
    return candidate_scores_sweep()
