"""The worker's own failures while unpacking an upload (a full disk, too many open
files) are infrastructure errors: the submission stays `received` and is tried
again, never marked invalid. Disks here are real: a 1 MB tmpfs mounted over the
workspaces folder of the test's MEDIA_ROOT."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.takehome import services
from assessments.takehome.models import GradingRun, RunState, Submission, SubmissionState
from assessments.takehome.services.grading import submission_workspace_folder
from assessments.takehome.workspace import workspace_unpack
from hiring_platform.celery import app
from sandbox import ExtractionInfrastructureError
from tests.factories import CandidateFactory

from .conftest import open_assignment, wait_graded, wait_until, zip_bytes

SERVICE = {"start.sh": "echo 'no model here' >&2; exit 3\n", "REPORT.md": "short", "app.py": "x = 1\n" * 50_000}


@pytest.fixture
def full_disk(settings) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """The workspaces folder on a real 1 MB file system, filled to the last byte."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = Path(settings.MEDIA_ROOT) / "takehome" / "workspaces"
    folder.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=755", "tmpfs", str(folder)], check=True)
    (folder / "filler").write_bytes(b"\0" * shutil.disk_usage(folder).free)
    assert shutil.disk_usage(folder).free == 0
    yield folder
    subprocess.run(["umount", "--lazy", str(folder)], check=True)


def upload(assignment) -> Submission:  # type: ignore[no-untyped-def]
    archive = SimpleUploadedFile("service.zip", zip_bytes(SERVICE), content_type="application/zip")
    return services.submission_upload(assignment=assignment, upload=archive)


@pytest.mark.django_db
def test_a_full_disk_while_unpacking_leaves_the_submission_received(full_disk: Path, rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an upload and a worker whose workspaces disk is full
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = upload(assignment)

    # when the worker prepares it
    with pytest.raises(ExtractionInfrastructureError, match="ENOSPC"):
        services.submission_prepare(submission_id=submission.pk)

    # then nothing blames the candidate: still received, no detail, the public run untouched,
    # and the half-written folder is gone
    submission.refresh_from_db()
    public = GradingRun.objects.get(submission=submission, purpose="public")
    assert (submission.state, submission.detail, submission.workspace) == (SubmissionState.RECEIVED, "", "")
    assert (public.state, public.verdict, public.sandbox_job) == (RunState.QUEUED, "", None)
    assert not submission_workspace_folder(submission).exists()
    assert sorted(path.name for path in full_disk.iterdir()) == ["filler"]


def test_an_os_error_after_extraction_is_an_infrastructure_error(tmp_path: Path) -> None:
    # given a valid archive, and the file table running out while its files are listed
    archive = tmp_path / "upload.zip"
    archive.write_bytes(zip_bytes({"start.sh": "true\n"}))

    with (
        mock.patch("assessments.takehome.workspace._files", side_effect=OSError(errno.EMFILE, "Too many open files")),
        pytest.raises(ExtractionInfrastructureError, match="EMFILE"),
    ):
        workspace_unpack(archive, tmp_path / "unpacked")


def scheduled_prepare_retries(submission_id: int) -> list[dict[str, object]]:
    """Retries of submission_prepare_task the live worker holds, waiting for their time."""
    replies = app.control.inspect(timeout=1.0).scheduled() or {}
    return [
        entry
        for entries in replies.values()
        for entry in entries
        if entry["request"]["name"].endswith("submission_prepare_task") and entry["request"]["args"] == [submission_id]
    ]


def test_the_worker_retries_an_upload_it_could_not_unpack_then_grades_it(  # type: ignore[no-untyped-def]
    full_disk: Path, celery_worker, rag_task, recruiter
) -> None:
    # given a live worker whose workspaces disk is full, and an upload
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = upload(assignment)

    # when the worker meets the full disk, it schedules a retry of the task...
    wait_until(lambda: bool(scheduled_prepare_retries(submission.pk)), 90, "a retry of submission_prepare_task")

    # ...and has not marked the submission invalid nor left a folder behind
    submission.refresh_from_db()
    assert (submission.state, submission.detail) == (SubmissionState.RECEIVED, "")
    assert GradingRun.objects.get(submission=submission, purpose="public").state == RunState.QUEUED
    assert sorted(path.name for path in full_disk.iterdir()) == ["filler"]

    # when the disk has room again
    (full_disk / "filler").unlink()

    # then a retry unpacks it and grading goes on as for any upload
    hidden = wait_graded(submission, seconds=180)
    submission.refresh_from_db()
    public = GradingRun.objects.get(submission=submission, purpose="public")
    assert submission.state == SubmissionState.READY
    assert submission_workspace_folder(submission).is_dir()
    assert public.verdict in ("failed_to_start", "crashed")
    assert "no model here" in public.logs
    assert hidden.state == RunState.DONE
    assert Submission.objects.filter(assignment=assignment).count() == 1
