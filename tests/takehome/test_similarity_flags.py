"""Similar submissions to one task are flagged and shown side by side."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.takehome import services
from assessments.takehome.models import Assignment, SimilarityFlag, Submission
from tests.factories import CandidateFactory

from .conftest import REFERENCES, open_assignment

pytestmark = pytest.mark.django_db


def _unpacked(assignment: Assignment, reference: str, rename: bool = False) -> Submission:
    """A submission unpacked from a reference solution (optionally with its names changed)."""
    folder = Path(settings.MEDIA_ROOT) / "ws" / f"{assignment.pk}"
    shutil.copytree(REFERENCES / reference, folder)
    if rename:
        app = folder / "app.py"
        app.write_text(app.read_text().replace("tokens", "words").replace("answer", "reply"))
    files = [
        {"path": p.relative_to(folder).as_posix(), "size": p.stat().st_size}
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ]
    return Submission.objects.create(
        assignment=assignment, number=1, archive="x.zip", archive_name="x.zip", archive_size=1, sha256="0",
        state="ready", workspace=str(folder.relative_to(settings.MEDIA_ROOT)), files=files,
    )  # fmt: skip


def test_a_renamed_copy_is_flagged_and_shown_side_by_side(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    first, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    second, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    original = _unpacked(first, "keyword")
    copy = _unpacked(second, "keyword", rename=True)

    flags = services.submission_compare(submission_id=copy.pk)

    assert len(flags) == 1
    flag = flags[0]
    assert (flag.submission_a_id, flag.submission_b_id) == (original.pk, copy.pk)
    assert flag.score >= 0.9
    assert flag.matches[0]["file_a"] == "app.py"
    client = Client()
    client.force_login(recruiter)
    page = client.get(reverse("takehome:similarity", args=[flag.pk])).content.decode()
    assert page.count("<mark>") >= 2  # both sides marked
    # Comparing again updates the one flag rather than adding another.
    services.submission_compare(submission_id=original.pk)
    assert SimilarityFlag.objects.count() == 1


def test_different_work_of_the_same_task_is_not_flagged(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    first, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    second, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    _unpacked(first, "keyword")
    other = _unpacked(second, "embedding")

    assert services.submission_compare(submission_id=other.pk) == []
    assert SimilarityFlag.objects.count() == 0
