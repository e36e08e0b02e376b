"""A candidate uploads an archive. Checks happen here, in the request (open
assignment, uploads left, nothing else being checked, size, that the bytes are a
zip or a gzip, and the archive's own checks: damage, links, unsafe paths, depth,
file count and unpacked size, read through without writing); unpacking and the
runs happen in the worker (grading.py), which checks the archive again."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from assessments.candidates.models import EventKind
from assessments.candidates.services import candidate_event_record
from hiring_platform.errors import ApplicationError, ConflictError
from hiring_platform.queue import enqueue_on_commit
from sandbox import InvalidSubmission, check_archive

from ..grading import GRADER_VERSION
from ..models import Assignment, GradingRun, RunPurpose, RunState, Submission, SubmissionState

ARCHIVE_SUFFIXES = {".zip": b"PK\x03\x04", ".tar.gz": b"\x1f\x8b", ".tgz": b"\x1f\x8b"}


def _fail(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=f"takehome.{code}", extra={"field": "archive"})


def archive_suffix(name: str) -> str | None:
    lowered = name.lower()
    return next((suffix for suffix in ARCHIVE_SUFFIXES if lowered.endswith(suffix)), None)


def submission_in_progress(assignment: Assignment) -> bool:
    """An upload is still being unpacked or run (the next one waits for it)."""
    return (
        assignment.submissions.filter(state=SubmissionState.RECEIVED).exists()
        or GradingRun.objects.filter(submission__assignment=assignment)
        .exclude(state=RunState.DONE)
        .filter(purpose=RunPurpose.PUBLIC)
        .exists()
    )


def _validate(upload: UploadedFile) -> tuple[str, str]:
    """(suffix, sha256) of an acceptable archive; raises with a message for the candidate."""
    limit = settings.TAKEHOME_ARCHIVE_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise _fail(_("The file is empty."), "archive_empty")
    if upload.size > limit:
        raise _fail(
            _("The archive is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "archive_too_large",
        )
    suffix = archive_suffix(upload.name or "")
    if suffix is None:
        raise _fail(_("Upload a .zip or .tar.gz archive."), "archive_type")
    digest = hashlib.sha256()
    upload.seek(0)
    head = upload.read(4)
    if not head.startswith(ARCHIVE_SUFFIXES[suffix]):
        raise _fail(_("The file's content is not a %(suffix)s archive.") % {"suffix": suffix}, "archive_type")
    # chunks() reads from the start again, so the head is not hashed on its own.
    for chunk in upload.chunks():
        digest.update(chunk)
    try:
        # Refused now, a broken archive costs the candidate no upload and the worker no run.
        check_archive(upload)
    except InvalidSubmission as error:
        raise _fail(_("The archive cannot be used: %(reason)s.") % {"reason": error}, "archive_invalid") from None
    upload.seek(0)
    return suffix, digest.hexdigest()


def submission_upload(*, assignment: Assignment, upload: UploadedFile) -> Submission:
    """Accept an upload for an open assignment and queue its checks.

    Concurrent uploads to one assignment are serialized by a row lock, so the
    count of uploads can't be exceeded. If anything fails, no row and no file remain.
    """
    suffix, sha256 = _validate(upload)
    from ..tasks import submission_prepare_task  # the tasks module imports the services

    stored: Submission | None = None
    try:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if not locked.is_open():
                raise ConflictError(_("This task no longer accepts uploads."), code="takehome.closed")
            count = locked.submissions.count()
            if count >= locked.max_submissions:
                raise ConflictError(_("You have used all your uploads."), code="takehome.no_uploads_left")
            if submission_in_progress(locked):
                raise ConflictError(
                    _("Your previous upload is still being checked; wait until it finishes."),
                    code="takehome.upload_in_progress",
                )
            stored = Submission(
                assignment=locked,
                number=count + 1,
                archive_name=get_valid_filename(upload.name or "archive")[:200],
                archive_size=upload.size or 0,
                sha256=sha256,
            )
            stored.archive.save(f"archive{suffix}", upload, save=False)
            stored.save()
            GradingRun.objects.create(
                submission=stored,
                purpose=RunPurpose.PUBLIC,
                dataset=locked.task.dataset,
                grader_version=GRADER_VERSION,
            )
            candidate_event_record(
                candidate=locked.candidate,
                kind=EventKind.TAKEHOME_SUBMITTED,
                actor=None,
                after={"task": locked.task.title, "assignment": locked.pk, "summary": f"#{stored.number}"},
            )
            enqueue_on_commit(submission_prepare_task, stored.pk)
    except BaseException:
        if stored is not None and stored.archive.name:
            stored.archive.storage.delete(stored.archive.name)  # no file outlives a failed upload
        raise
    return stored
