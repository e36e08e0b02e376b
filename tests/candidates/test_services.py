"""Candidate writes: every change leaves an event; guarded stage moves; no partial writes."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from django.db import IntegrityError

from assessments.candidates import services
from assessments.candidates.models import Candidate, CandidateEvent, EventKind, Stage
from hiring_platform.errors import ApplicationError, ConflictError
from tests.factories import CandidateFactory

from .files import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_create_records_a_created_event_with_the_details(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = services.candidate_create(
        actor=recruiter, full_name="Anna Petrova", role="mlops", level="senior", owner=recruiter
    )

    event = CandidateEvent.objects.get(candidate=candidate)
    assert event.kind == EventKind.CREATED
    assert event.actor == recruiter
    assert event.after["full_name"] == "Anna Petrova"
    assert event.after["stage"] == Stage.APPLIED


def test_create_with_invalid_data_writes_nothing(recruiter) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="role"):
        services.candidate_create(actor=recruiter, full_name="X", role="astronaut", level="senior", owner=recruiter)

    assert Candidate.objects.count() == 0
    assert CandidateEvent.objects.count() == 0


def test_update_records_before_and_after_of_changed_fields_only(recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, level="junior", notes="old")

    services.candidate_update(
        actor=recruiter, candidate=candidate, level="middle", notes="old", interviewers=[interviewer]
    )

    event = CandidateEvent.objects.get(candidate=candidate, kind=EventKind.UPDATED)
    assert event.before == {"level": "junior", "interviewers": []}
    assert event.after == {"level": "middle", "interviewers": [interviewer.pk]}


def test_update_without_changes_records_no_event(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, level="junior")

    services.candidate_update(actor=recruiter, candidate=candidate, level="junior")

    assert not CandidateEvent.objects.filter(candidate=candidate).exists()


def test_stage_change_records_who_when_and_why(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    services.candidate_change_stage(actor=recruiter, candidate=candidate, to_stage="screening", reason="good CV")

    candidate.refresh_from_db()
    assert candidate.stage == Stage.SCREENING
    event = CandidateEvent.objects.get(candidate=candidate, kind=EventKind.STAGE_CHANGED)
    assert (event.before, event.after, event.reason, event.actor) == (
        {"stage": "applied"},
        {"stage": "screening"},
        "good CV",
        recruiter,
    )


@pytest.mark.parametrize("to_stage", ["rejected", "withdrawn"])
def test_rejecting_or_withdrawing_needs_a_reason(recruiter, to_stage: str) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    with pytest.raises(ApplicationError) as error:
        services.candidate_change_stage(actor=recruiter, candidate=candidate, to_stage=to_stage, reason="  ")

    assert error.value.code == "candidates.stage_reason_required"
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.APPLIED
    assert not CandidateEvent.objects.filter(candidate=candidate).exists()


def test_reopening_a_closed_candidate_needs_a_reason(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, stage=Stage.REJECTED)

    with pytest.raises(ApplicationError):
        services.candidate_change_stage(actor=recruiter, candidate=candidate, to_stage="screening")
    services.candidate_change_stage(actor=recruiter, candidate=candidate, to_stage="screening", reason="new info")

    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.SCREENING


def test_moving_to_the_same_stage_is_refused(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    with pytest.raises(ApplicationError) as error:
        services.candidate_change_stage(actor=recruiter, candidate=candidate, to_stage="applied")

    assert error.value.code == "candidates.stage_unchanged"


def test_a_stale_stage_change_loses_the_race_and_writes_nothing(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)
    stale_copy = Candidate.objects.get(pk=candidate.pk)
    services.candidate_change_stage(actor=recruiter, candidate=candidate, to_stage="screening")

    with pytest.raises(ConflictError):
        services.candidate_change_stage(actor=recruiter, candidate=stale_copy, to_stage="take_home")

    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.SCREENING
    assert CandidateEvent.objects.filter(candidate=candidate, kind=EventKind.STAGE_CHANGED).count() == 1


def test_uploading_a_resume_stores_it_and_replaces_the_old_file(recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    services.candidate_upload_resume(actor=recruiter, candidate=candidate, upload=upload("first.txt", b"one"))
    first_path = Path(settings.MEDIA_ROOT) / candidate.resume.name
    services.candidate_upload_resume(actor=recruiter, candidate=candidate, upload=upload("cv.pdf", pdf_bytes()))

    candidate.refresh_from_db()
    assert candidate.resume_name == "cv.pdf"
    assert candidate.resume_content_type == "application/pdf"
    assert Path(settings.MEDIA_ROOT, candidate.resume.name).read_bytes() == pdf_bytes()
    assert not first_path.exists()
    assert CandidateEvent.objects.filter(candidate=candidate, kind=EventKind.RESUME_UPLOADED).count() == 2


def test_a_rejected_resume_leaves_no_file_and_no_change(recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    with pytest.raises(ApplicationError):
        services.candidate_upload_resume(actor=recruiter, candidate=candidate, upload=upload("cv.pdf", b"not pdf"))

    candidate.refresh_from_db()
    assert not candidate.resume
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*"))
    assert not CandidateEvent.objects.filter(candidate=candidate).exists()


def test_a_database_failure_after_the_file_write_removes_the_file(recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    with (
        mock.patch.object(services, "_event", side_effect=IntegrityError("simulated")),
        pytest.raises(IntegrityError),
    ):
        services.candidate_upload_resume(actor=recruiter, candidate=candidate, upload=upload("cv.txt", b"text"))

    candidate.refresh_from_db()
    assert not candidate.resume
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))
