"""The checks a candidate's upload meets in the request: an open assignment, uploads
left, nothing else being checked, size and archive type. A refused upload leaves
no row and no file; an accepted one is stored and its public check queued.

No worker runs here: the test's transaction never commits, so the queued task is
only registered, never sent."""

from __future__ import annotations

import hashlib
import io
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.candidates.models import CandidateEvent, EventKind
from assessments.takehome import services
from assessments.takehome.models import Assignment, GradingRun, RunPurpose, RunState, Submission, SubmissionState
from hiring_platform.errors import ApplicationError, ConflictError
from tests.factories import CandidateFactory

from .conftest import open_assignment, zip_bytes

pytestmark = pytest.mark.django_db

SERVICE = {"start.sh": "python3 app.py\n", "app.py": "print('hello')\n", "REPORT.md": "A small service."}


def zip_upload(name: str = "solution.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, zip_bytes(SERVICE), content_type="application/zip")


def tar_gz_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def stored_files(settings) -> list[Path]:  # type: ignore[no-untyped-def]
    folder = Path(settings.MEDIA_ROOT) / "takehome"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def assert_nothing_written(assignment: Assignment, settings, submissions: int = 0) -> None:  # type: ignore[no-untyped-def]
    assert Submission.objects.filter(assignment=assignment).count() == submissions
    assert GradingRun.objects.filter(submission__assignment=assignment).count() == submissions
    assert len(stored_files(settings)) == submissions
    submitted = CandidateEvent.objects.filter(candidate=assignment.candidate, kind=EventKind.TAKEHOME_SUBMITTED)
    assert submitted.count() == submissions


# Accepted


def test_zip_upload_is_stored_as_submission_one_with_a_queued_public_run(  # type: ignore[no-untyped-def]
    rag_task, recruiter, settings, django_capture_on_commit_callbacks
) -> None:
    # given an open assignment and a zip of a service
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    content = zip_bytes(SERVICE)
    upload = SimpleUploadedFile("my solution.zip", content, content_type="application/zip")

    # when the candidate uploads it
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = services.submission_upload(assignment=assignment, upload=upload)

    # then submission 1 holds the archive as uploaded
    submission.refresh_from_db()
    assert submission.number == 1
    assert submission.state == SubmissionState.RECEIVED
    assert submission.archive_name == "my_solution.zip"
    assert submission.archive_size == len(content)
    assert submission.sha256 == hashlib.sha256(content).hexdigest()
    path = Path(settings.MEDIA_ROOT) / submission.archive.name
    assert path.is_file()
    assert path.read_bytes() == content
    assert stored_files(settings) == [path]
    # and one public run is queued on the task's data, its task registered for after the commit
    run = GradingRun.objects.get(submission=submission)
    assert (run.purpose, run.state, run.verdict) == (RunPurpose.PUBLIC, RunState.QUEUED, "")
    assert run.dataset_id == rag_task.dataset_id
    assert len(callbacks) == 1
    # and the candidate's timeline records the upload
    submitted = CandidateEvent.objects.get(candidate=assignment.candidate, kind=EventKind.TAKEHOME_SUBMITTED)
    assert submitted.actor is None
    assert submitted.after["summary"] == "#1"


def test_tar_gz_upload_is_accepted(rag_task, recruiter, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    # given an open assignment and a .tar.gz of a service
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    content = tar_gz_bytes({"start.sh": "python3 app.py\n", "app.py": "print('hello')\n"})

    # when it is uploaded
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = services.submission_upload(
            assignment=assignment, upload=SimpleUploadedFile("solution.tar.gz", content)
        )

    # then it is stored with its suffix and its checks are queued
    assert submission.number == 1
    assert submission.archive.name.endswith("/archive.tar.gz")
    assert submission.sha256 == hashlib.sha256(content).hexdigest()
    assert (Path(settings.MEDIA_ROOT) / submission.archive.name).read_bytes() == content
    assert GradingRun.objects.filter(submission=submission, purpose=RunPurpose.PUBLIC).count() == 1
    assert len(callbacks) == 1


# Refused: the file itself


def test_archive_over_the_size_limit_is_refused_and_nothing_is_written(  # type: ignore[no-untyped-def]
    rag_task, recruiter, settings, django_capture_on_commit_callbacks
) -> None:
    # given a limit one byte below the archive's size
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    upload = zip_upload()
    settings.TAKEHOME_ARCHIVE_MAX_BYTES = upload.size - 1

    # when it is uploaded
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(ApplicationError) as caught:
        services.submission_upload(assignment=assignment, upload=upload)

    # then it is refused with the size code, and nothing is stored or queued
    assert caught.value.code == "takehome.archive_too_large"
    assert caught.value.extra == {"field": "archive"}
    assert_nothing_written(assignment, settings)
    assert callbacks == []


def test_archive_exactly_at_the_size_limit_is_accepted(rag_task, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    # given a limit equal to the archive's size
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    upload = zip_upload()
    settings.TAKEHOME_ARCHIVE_MAX_BYTES = upload.size

    # when it is uploaded
    submission = services.submission_upload(assignment=assignment, upload=upload)

    # then it is stored
    assert submission.archive_size == settings.TAKEHOME_ARCHIVE_MAX_BYTES


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("solution.zip", b"this is plain text, not a zip archive", "takehome.archive_type"),
        ("solution.tar.gz", zip_bytes(SERVICE), "takehome.archive_type"),
        ("solution.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 32, "takehome.archive_type"),
        ("solution.zip", b"", "takehome.archive_empty"),
    ],
    ids=["zip-name-not-zip", "tar-gz-name-zip-bytes", "rar", "empty"],
)
def test_file_that_is_not_an_accepted_archive_is_refused_and_nothing_is_written(  # type: ignore[no-untyped-def]
    rag_task, recruiter, settings, name, content, code
) -> None:
    # given an open assignment
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)

    # when a file that is not a .zip or .tar.gz archive is uploaded
    with pytest.raises(ApplicationError) as caught:
        services.submission_upload(assignment=assignment, upload=SimpleUploadedFile(name, content))

    # then it is refused with a code that says why, and nothing is stored
    assert caught.value.code == code
    assert caught.value.extra == {"field": "archive"}
    assert not isinstance(caught.value, ConflictError)
    assert_nothing_written(assignment, settings)


# Refused: the assignment


def _expire(assignment: Assignment) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(opened_at=timezone.now() - timedelta(hours=73))


def _revoke(assignment: Assignment) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(revoked_at=timezone.now())


def _unstart(assignment: Assignment) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(opened_at=None)


@pytest.mark.parametrize("close", [_expire, _revoke, _unstart], ids=["deadline-passed", "revoked", "not-started"])
def test_upload_to_an_assignment_not_open_is_refused_and_nothing_is_written(  # type: ignore[no-untyped-def]
    rag_task, recruiter, settings, close
) -> None:
    # given an assignment that does not accept uploads (the caller's copy still looks open)
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    close(assignment)

    # when a valid archive is uploaded
    with pytest.raises(ConflictError) as caught:
        services.submission_upload(assignment=assignment, upload=zip_upload())

    # then it is refused as closed, and nothing is stored
    assert caught.value.code == "takehome.closed"
    assert_nothing_written(assignment, settings)


def test_upload_is_refused_when_all_uploads_are_used(rag_task, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    # given an assignment allowing one upload, whose one upload has finished (found invalid)
    assignment, _ = services.assignment_issue(
        actor=recruiter,
        task=rag_task,
        candidate=CandidateFactory(),
        time_mode="window",
        window_hours=72,
        max_submissions=1,
    )
    services.assignment_start(assignment=assignment)
    first = services.submission_upload(assignment=assignment, upload=zip_upload())
    Submission.objects.filter(pk=first.pk).update(state=SubmissionState.INVALID)
    GradingRun.objects.filter(submission=first).update(state=RunState.DONE, verdict="invalid")

    # when another archive is uploaded
    with pytest.raises(ConflictError) as caught:
        services.submission_upload(assignment=assignment, upload=zip_upload("second.zip"))

    # then it is refused, and only the first upload and its file remain
    assert caught.value.code == "takehome.no_uploads_left"
    assert_nothing_written(assignment, settings, submissions=1)
    assert list(Submission.objects.filter(assignment=assignment).values_list("number", flat=True)) == [1]


def test_upload_waits_while_the_previous_one_is_being_checked(rag_task, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    # given an assignment whose first upload is still received, not yet unpacked
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    first = services.submission_upload(assignment=assignment, upload=zip_upload())
    assert Submission.objects.get(pk=first.pk).state == SubmissionState.RECEIVED

    # when a second archive is uploaded
    with pytest.raises(ConflictError) as caught:
        services.submission_upload(assignment=assignment, upload=zip_upload("second.zip"))

    # then it is refused, and only the first upload remains
    assert caught.value.code == "takehome.upload_in_progress"
    assert_nothing_written(assignment, settings, submissions=1)


def test_upload_waits_while_the_previous_public_run_is_unfinished(rag_task, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    # given a first upload unpacked whose public run is still running
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    first = services.submission_upload(assignment=assignment, upload=zip_upload())
    Submission.objects.filter(pk=first.pk).update(state=SubmissionState.READY)
    GradingRun.objects.filter(submission=first).update(state=RunState.RUNNING)

    # when a second archive is uploaded
    with pytest.raises(ConflictError) as caught:
        services.submission_upload(assignment=assignment, upload=zip_upload("second.zip"))

    # then it is refused
    assert caught.value.code == "takehome.upload_in_progress"
    assert_nothing_written(assignment, settings, submissions=1)


def test_next_upload_is_number_two_once_the_first_is_checked(rag_task, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    # given a first upload unpacked whose public run is done
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    first = services.submission_upload(assignment=assignment, upload=zip_upload())
    Submission.objects.filter(pk=first.pk).update(state=SubmissionState.READY)
    GradingRun.objects.filter(submission=first).update(state=RunState.DONE, verdict="ok")

    # when a second archive is uploaded
    second = services.submission_upload(assignment=assignment, upload=zip_upload("second.zip"))

    # then it is stored as number 2 beside the first
    assert second.number == 2
    assert len(stored_files(settings)) == 2
    assert Path(settings.MEDIA_ROOT, first.archive.name).is_file()
