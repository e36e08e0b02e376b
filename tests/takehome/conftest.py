"""Take-home fixtures: the bundled task loaded as `make run` loads it, archives of
the reference solutions, and a wait for the pipeline to finish."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.takehome.models import Assignment, GradingRun, RunState, Submission, TakeHomeTask
from tests.conftest import ROOT

TASK_DATA = ROOT / "fixtures" / "takehome" / "rag-support-v1"
REFERENCES = ROOT / "fixtures" / "takehome" / "reference-solutions"
ADVERSARIES = ROOT / "fixtures" / "takehome" / "adversarial-solutions"

# The keyword reference's hidden-set auto-score. Keyword retrieval is deterministic
# and answers in milliseconds, far inside the latency target, so the figure is exact
# on any machine: 35.3 service points (`python -m tests.bench.grade_folder
# fixtures/takehome/reference-solutions/keyword --set hidden`) plus 2.0 static points
# (clean lint and a complete REPORT.md, no tests of its own). A grader change that
# moves it must say why in its commit.
KEYWORD_HIDDEN_SCORE = 37.3


def zip_folder(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return buffer.getvalue()


def reference_upload(name: str, prefix: str = "", folder: Path = REFERENCES) -> SimpleUploadedFile:
    """A reference solution zipped like a candidate's upload; `folder=ADVERSARIES` for the adversarial ones."""
    return SimpleUploadedFile(f"{name}.zip", zip_folder(folder / name, prefix), content_type="application/zip")


def zip_bytes(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen within {seconds:.0f} s")


def wait_graded(submission: Submission, seconds: float = 180) -> GradingRun:
    """Until the submission's latest hidden run is done; returns it."""

    def hidden_done() -> bool:
        runs = GradingRun.objects.filter(submission=submission, purpose="hidden")
        return runs.exists() and not runs.exclude(state=RunState.DONE).exists()

    def failed_early() -> bool:
        submission.refresh_from_db()
        return submission.state == "invalid"

    wait_until(lambda: hidden_done() or failed_early(), seconds, f"grading of submission {submission.pk}")
    return GradingRun.objects.filter(submission=submission, purpose="hidden").order_by("-pk").first()  # type: ignore[return-value]


def open_assignment(task: TakeHomeTask, candidate, recruiter) -> tuple[Assignment, str]:  # type: ignore[no-untyped-def]
    from assessments.takehome import services

    assignment, token = services.assignment_issue(
        actor=recruiter, task=task, candidate=candidate, time_mode="window", window_hours=72
    )
    services.assignment_start(assignment=assignment)
    return assignment, token
