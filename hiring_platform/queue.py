"""The one way to hand work to Celery from a write: after the transaction commits.

A broker outage at that moment must not turn a committed write into an error for
the user (the scorecard *is* saved), so a failed send is logged and left to the
periodic sweeps, which find work without a message: uploads never unpacked, jobs
never claimed, candidate scores marked stale. Tasks retry on the database's
transient errors (a restart drops every connection) with `TRANSIENT_ERRORS`."""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from celery import current_app
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Raised by a task when PostgreSQL went away under it: retried, never a verdict.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class RetryOptions(TypedDict):
    autoretry_for: tuple[type[Exception], ...]
    retry_backoff: int
    retry_backoff_max: int
    max_retries: int


# `@shared_task(..., **TRANSIENT_RETRY)`: up to 8 retries, 2 s doubling to 30 s apart.
TRANSIENT_RETRY = RetryOptions(autoretry_for=TRANSIENT_ERRORS, retry_backoff=2, retry_backoff_max=30, max_retries=8)


def transient_retry(*errors: type[Exception]) -> RetryOptions:
    """TRANSIENT_RETRY that also retries `errors`: other infrastructure errors of one
    task's service (a full disk while unpacking). Never a candidate's or a user's error."""
    return {**TRANSIENT_RETRY, "autoretry_for": (*TRANSIENT_ERRORS, *errors)}


def enqueue_on_commit(task: Any, *args: Any, options: dict[str, Any] | None = None) -> None:
    """Send `task` (a Celery task or its registered name) with `args` once the
    current transaction commits; `options` go to Celery (e.g. this message's time limits)."""
    task_name = task if isinstance(task, str) else task.name

    def send() -> None:
        try:
            current_app.send_task(task_name, args=list(args), **(options or {}))
        except (BrokerError, RedisError, OSError) as error:
            logger.warning("could not enqueue %s%s, a sweep will pick it up: %s", task_name, args, error)

    transaction.on_commit(send)
