"""Where a stored version of task data lives and how its question files are read.
One place for the services (which write and grade) and the selectors (which show)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

from .models import TaskDataset

HIDDEN_FILE = "hidden_questions.jsonl"


def task_dataset_folder(dataset: TaskDataset) -> Path:
    return Path(settings.MEDIA_ROOT) / dataset.folder


def task_dataset_public_folder(dataset: TaskDataset) -> Path:
    """What candidates get (kb.jsonl, public_questions.jsonl): the sandbox's /data."""
    return task_dataset_folder(dataset) / "public"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def task_dataset_hidden_questions(dataset: TaskDataset) -> list[dict[str, Any]]:
    """The hidden evaluation set; only the grading worker and the review pages read it."""
    return _rows(task_dataset_folder(dataset) / "hidden" / HIDDEN_FILE)


def task_dataset_public_questions(dataset: TaskDataset) -> list[dict[str, Any]]:
    return _rows(task_dataset_public_folder(dataset) / "public_questions.jsonl")


def evaluation_questions(dataset: TaskDataset, *, hidden: bool) -> list[dict[str, Any]]:
    """The questions a run is scored on, each with a `reference_answer` and a `kind`.
    Public questions are all answerable; their answer is the reference."""
    if hidden:
        return task_dataset_hidden_questions(dataset)
    return [
        {**question, "kind": "paraphrase", "reference_answer": question["answer"]}
        for question in task_dataset_public_questions(dataset)
    ]
