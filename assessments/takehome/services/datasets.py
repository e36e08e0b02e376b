"""Writes of the take-home domain."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from ..datafiles import HIDDEN_FILE
from ..dataset import FILES, dataset_parse
from ..models import TaskDataset


def task_dataset_load(*, name: str, files: dict[str, bytes], actor: User | None = None) -> tuple[TaskDataset, bool]:
    """Validate and store a version of a task's data; (dataset, created).

    Loading the same content again returns the stored version and writes
    nothing. The files are written to a temporary folder and moved into place
    only when complete; if the database write fails, the folder is removed.
    """
    parsed = dataset_parse(files)  # raises DatasetError naming the file and line
    existing = TaskDataset.objects.filter(name=name, version=parsed.version).first()
    if existing is not None:
        return existing, False
    relative = Path("taskdata") / name / parsed.version
    target = Path(settings.MEDIA_ROOT) / relative
    staging = target.parent / f".staging-{uuid.uuid4().hex}"
    # public/ is mounted read-only at /data in the sandbox (uid 10001 reads it);
    # hidden/ is readable by the worker's own user only and never mounted.
    (staging / "public").mkdir(mode=0o755, parents=True)
    (staging / "hidden").mkdir(mode=0o700)
    for file_name in FILES:
        hidden = file_name == HIDDEN_FILE
        destination = staging / ("hidden" if hidden else "public") / file_name
        destination.write_bytes(files[file_name])
        destination.chmod(0o600 if hidden else 0o644)
    staging.chmod(0o755)
    try:
        with transaction.atomic():
            dataset = TaskDataset.objects.create(
                name=name,
                version=parsed.version,
                kb_count=len(parsed.kb),
                public_count=len(parsed.public),
                hidden_count=len(parsed.hidden),
                folder=str(relative),
                created_by=actor,
            )
            if target.exists():  # a leftover of an earlier failed load
                shutil.rmtree(target)
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dataset, True
