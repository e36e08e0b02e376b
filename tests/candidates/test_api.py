"""Candidates REST API: filters, search, pagination, the one error shape, object rules."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.candidates.models import Candidate, CandidateEvent, EventKind
from tests.factories import CandidateFactory

from .files import upload

pytestmark = pytest.mark.django_db

LIST = reverse("api:candidates-api:list")
CREATE = reverse("api:candidates-api:create")


def as_user(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_filters_by_stage_role_and_level(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    wanted = CandidateFactory(owner=recruiter, stage="screening", role="mlops", level="senior")
    CandidateFactory(owner=recruiter, stage="screening", role="mlops", level="junior")
    CandidateFactory(owner=recruiter, stage="applied", role="mlops", level="senior")

    response = recruiter_api.get(LIST, {"stage": "screening", "role": "mlops", "level": "senior"})

    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == [wanted.pk]


def test_search_matches_name_words_in_any_order_and_cyrillic(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    anna = CandidateFactory(owner=recruiter, full_name="Anna Petrova")
    dmitry = CandidateFactory(owner=recruiter, full_name="Дмитрий Соколов")
    CandidateFactory(owner=recruiter, full_name="Someone Else")

    by_reversed_name = recruiter_api.get(LIST, {"search": "petrova anna"})
    by_cyrillic = recruiter_api.get(LIST, {"search": "соколов"})

    assert [row["id"] for row in by_reversed_name.data["results"]] == [anna.pk]
    assert [row["id"] for row in by_cyrillic.data["results"]] == [dmitry.pk]


def test_list_is_paginated(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    CandidateFactory.create_batch(30, owner=recruiter)

    first = recruiter_api.get(LIST)
    second = recruiter_api.get(LIST, {"page": 2})

    assert first.data["count"] == 30
    assert len(first.data["results"]) == 25
    assert len(second.data["results"]) == 5
    assert {row["id"] for row in first.data["results"]}.isdisjoint(row["id"] for row in second.data["results"])


def test_an_interviewer_lists_only_assigned_candidates(interviewer, recruiter) -> None:  # type: ignore[no-untyped-def]
    assigned = CandidateFactory(owner=recruiter, interviewers=[interviewer])
    other = CandidateFactory(owner=recruiter)
    client = as_user(interviewer)

    listed = client.get(LIST)

    assert [row["id"] for row in listed.data["results"]] == [assigned.pk]
    assert client.get(reverse("api:candidates-api:detail", args=[assigned.pk])).status_code == 200
    assert client.get(reverse("api:candidates-api:detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("api:candidates-api:timeline", args=[other.pk])).status_code == 403


def test_create_validates_and_answers_with_the_error_shape(recruiter_api) -> None:  # type: ignore[no-untyped-def]
    response = recruiter_api.post(
        CREATE, {"full_name": "  ", "role": "astronaut", "level": "senior", "email": "not-an-email"}, format="json"
    )

    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["message"]
    assert set(response.data["extra"]["fields"]) == {"full_name", "role", "email"}
    assert Candidate.objects.count() == 0


def test_create_defaults_the_owner_to_the_caller_and_records_an_event(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    response = recruiter_api.post(
        CREATE, {"full_name": " Anna   Petrova ", "role": "mlops", "level": "junior"}, format="json"
    )

    assert response.status_code == 201
    candidate = Candidate.objects.get(pk=response.data["id"])
    assert (candidate.full_name, candidate.owner, candidate.stage) == ("Anna Petrova", recruiter, "applied")
    assert candidate.events.filter(kind=EventKind.CREATED).count() == 1


def test_create_refuses_an_owner_who_is_not_a_recruiter(recruiter_api, interviewer) -> None:  # type: ignore[no-untyped-def]
    response = recruiter_api.post(
        CREATE, {"full_name": "X", "role": "mlops", "level": "junior", "owner": interviewer.pk}, format="json"
    )

    assert response.status_code == 400
    assert "owner" in response.data["extra"]["fields"]


def test_unknown_candidate_answers_404_with_the_error_shape(recruiter_api) -> None:  # type: ignore[no-untyped-def]
    response = recruiter_api.get(reverse("api:candidates-api:detail", args=[999999]))

    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_update_changes_only_the_given_fields(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, level="junior", notes="keep")

    response = recruiter_api.patch(
        reverse("api:candidates-api:update", args=[candidate.pk]), {"level": "senior"}, format="json"
    )

    assert response.status_code == 200
    candidate.refresh_from_db()
    assert (candidate.level, candidate.notes) == ("senior", "keep")


def test_stage_change_conflicts_and_reasons_use_the_error_shape(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)
    url = reverse("api:candidates-api:stage", args=[candidate.pk])

    without_reason = recruiter_api.post(url, {"stage": "rejected"}, format="json")
    moved = recruiter_api.post(url, {"stage": "screening"}, format="json")
    again = recruiter_api.post(url, {"stage": "screening"}, format="json")

    assert (without_reason.status_code, without_reason.data["code"]) == (400, "candidates.stage_reason_required")
    assert (moved.status_code, moved.data["stage"]) == (200, "screening")
    assert (again.status_code, again.data["code"]) == (400, "candidates.stage_unchanged")


def test_resume_upload_validates_content(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)
    url = reverse("api:candidates-api:resume", args=[candidate.pk])

    bad = recruiter_api.post(url, {"resume": upload("cv.pdf", b"not a pdf")}, format="multipart")
    good = recruiter_api.post(url, {"resume": upload("cv.md", "# Резюме".encode())}, format="multipart")

    assert (bad.status_code, bad.data["code"]) == (400, "candidates.resume_type_mismatch")
    assert (good.status_code, good.data["resume_name"], good.data["has_resume"]) == (200, "cv.md", True)


def test_timeline_lists_events_newest_first(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)
    CandidateEvent.objects.create(candidate=candidate, kind=EventKind.CREATED, actor=recruiter)
    CandidateEvent.objects.create(candidate=candidate, kind=EventKind.UPDATED, actor=recruiter)

    response = recruiter_api.get(reverse("api:candidates-api:timeline", args=[candidate.pk]))

    assert [row["kind"] for row in response.data["results"]] == ["updated", "created"]


def test_bad_filter_values_are_a_clear_400(recruiter_api) -> None:  # type: ignore[no-untyped-def]
    response = recruiter_api.get(LIST, {"stage": "nowhere", "owner": "abc"})

    assert response.status_code == 400
    assert set(response.data["extra"]["fields"]) == {"stage", "owner"}
