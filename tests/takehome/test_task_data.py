"""Storing versions of task data: validated, all or nothing, idempotent."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from assessments.takehome import services
from assessments.takehome.dataset import DatasetError
from assessments.takehome.models import TaskDataset
from tests.conftest import ROOT

DATA = ROOT / "fixtures" / "takehome" / "rag-support-v1"

pytestmark = pytest.mark.django_db


def bundled() -> dict[str, bytes]:
    return {
        "kb.jsonl": (DATA / "kb.jsonl").read_bytes(),
        "public_questions.jsonl": (DATA / "public_questions.jsonl").read_bytes(),
        "hidden_questions.jsonl": (DATA / "hidden" / "hidden_questions.jsonl").read_bytes(),
    }


def test_the_bundled_data_is_stored_once_with_the_hidden_set_apart(settings) -> None:  # type: ignore[no-untyped-def]
    first, created = services.task_dataset_load(name="rag-support", files=bundled())
    again, created_again = services.task_dataset_load(name="rag-support", files=bundled())

    folder = Path(settings.MEDIA_ROOT) / first.folder
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert (first.kb_count, first.public_count, first.hidden_count) == (1133, 10, 100)
    assert sorted(path.name for path in folder.iterdir()) == ["hidden", "public"]
    assert sorted(path.name for path in (folder / "public").iterdir()) == ["kb.jsonl", "public_questions.jsonl"]
    assert (folder / "hidden" / "hidden_questions.jsonl").read_bytes() == bundled()["hidden_questions.jsonl"]
    # The sandbox user reads the public files; only the worker's own user reads the hidden set.
    assert (folder / "public" / "kb.jsonl").stat().st_mode & 0o777 == 0o644
    assert (folder / "hidden").stat().st_mode & 0o777 == 0o700
    assert (folder / "hidden" / "hidden_questions.jsonl").stat().st_mode & 0o777 == 0o600


def test_changed_data_is_a_new_version() -> None:
    first, _ = services.task_dataset_load(name="rag-support", files=bundled())
    files = bundled()
    files["kb.jsonl"] += b'{"id": "kb-extra-0001", "question": "New?", "answer": "A new entry.", "lang": "en"}\n'

    second, created = services.task_dataset_load(name="rag-support", files=files)

    assert created
    assert second.version != first.version
    assert TaskDataset.objects.filter(name="rag-support").count() == 2


def test_invalid_data_stores_nothing(settings) -> None:  # type: ignore[no-untyped-def]
    files = bundled()
    files["public_questions.jsonl"] += (
        b'{"id": "pub-x", "question": "q", "answer": "a", "gold_ids": ["nope"], "lang": "en"}\n'
    )

    with pytest.raises(
        DatasetError, match=re.escape("public_questions.jsonl, line 11: unknown knowledge-base ids nope")
    ):
        services.task_dataset_load(name="rag-support", files=files)

    assert not TaskDataset.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "taskdata").exists()


def test_a_database_failure_leaves_no_files(settings) -> None:  # type: ignore[no-untyped-def]
    with (
        mock.patch.object(TaskDataset.objects, "create", side_effect=IntegrityError("simulated")),
        pytest.raises(IntegrityError),
    ):
        services.task_dataset_load(name="rag-support", files=bundled())

    assert list((Path(settings.MEDIA_ROOT) / "taskdata" / "rag-support").iterdir()) == []


def test_the_command_reports_and_explains_errors(tmp_path: Path) -> None:
    out = StringIO()
    call_command("load_task_data", str(DATA), "--name", "rag-support", stdout=out)
    (tmp_path / "kb.jsonl").write_bytes(b"not json\n")
    (tmp_path / "public_questions.jsonl").write_bytes(b"")
    (tmp_path / "hidden_questions.jsonl").write_bytes(b"")

    with pytest.raises(CommandError, match=re.escape("kb.jsonl, line 1: not valid JSON")):
        call_command("load_task_data", str(tmp_path), "--name", "broken")
    with pytest.raises(CommandError, match=re.escape("missing: kb.jsonl not found")):
        call_command("load_task_data", str(tmp_path / "missing"), "--name", "broken")

    assert "1133 knowledge-base entries, 10 public and 100 hidden questions" in out.getvalue()
