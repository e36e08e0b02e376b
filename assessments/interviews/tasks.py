"""Celery tasks of interviews: thin, call one service."""

from __future__ import annotations

from celery import shared_task

from .reminders import scorecard_reminders_send


@shared_task(soft_time_limit=120, time_limit=150)
def scorecard_reminders_task() -> int:
    return scorecard_reminders_send()
