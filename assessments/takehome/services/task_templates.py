"""Task templates: create and edit them; point them at a new version of their data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from ..models import TakeHomeTask
from .datasets import task_dataset_load

EDITABLE_FIELDS = (
    "title",
    "instructions_en",
    "instructions_ru",
    "window_hours",
    "max_submissions",
    "anonymous_review",
    "memory_mb",
    "cpus",
    "startup_seconds",
    "seconds_per_answer",
    "model_gateway",
    "model_tokens_per_question",
    "model_tokens_per_run",
)


@transaction.atomic
def task_create(*, actor: User | None, slug: str, files: dict[str, bytes], **fields: Any) -> TakeHomeTask:
    """A new task with its data (validated: DatasetError names the file and line)."""
    task = TakeHomeTask(slug=slug, **{name: fields[name] for name in EDITABLE_FIELDS if name in fields})
    task.full_clean(exclude=["dataset"])  # before the data is written
    task.dataset, _ = task_dataset_load(name=slug, files=files, actor=actor)
    task.save()
    return task


@transaction.atomic
def task_update(*, task: TakeHomeTask, **fields: Any) -> TakeHomeTask:
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(task, name, fields[name])
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def task_data_replace(*, actor: User | None, task: TakeHomeTask, files: dict[str, bytes]) -> TakeHomeTask:
    """Load a new version of the task's data; new runs (and re-grades) use it, past runs keep theirs."""
    dataset, _ = task_dataset_load(name=task.slug, files=files, actor=actor)
    TakeHomeTask.objects.filter(pk=task.pk).update(dataset=dataset)
    task.refresh_from_db()
    return task
