"""Recruiter pages for candidates: forms, filters, uploads and errors in both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.candidates.models import Candidate, CandidateEvent, Stage
from tests.factories import CandidateFactory

from .files import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def signed_in(user, language: str = "en") -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def valid_form(owner) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"full_name": "Anna Petrova", "role": "mlops", "level": "junior", "source": "referral", "owner": owner.pk}


def test_creating_a_candidate_redirects_to_the_detail_page(recruiter) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(recruiter).post(reverse("candidates:create"), valid_form(recruiter))

    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:detail", args=[candidate.pk])
    assert candidate.events.count() == 1


@pytest.mark.parametrize(
    ("language", "page_message", "field_message"),
    [
        ("en", "Please correct the errors below. Nothing was saved.", "Enter a valid email address."),
        ("ru", "Исправьте ошибки ниже. Ничего не сохранено.", "Введите правильный адрес электронной почты."),
    ],
)
def test_invalid_form_shows_clear_errors_in_the_users_language_and_saves_nothing(
    recruiter, language: str, page_message: str, field_message: str
) -> None:  # type: ignore[no-untyped-def]
    data = {**valid_form(recruiter), "email": "not-an-email", "role": "astronaut", "full_name": " "}

    response = signed_in(recruiter, language).post(reverse("candidates:create"), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert page_message in body
    assert field_message in body
    assert Candidate.objects.count() == 0
    assert CandidateEvent.objects.count() == 0


def test_a_failed_edit_changes_nothing(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, full_name="Original Name")

    response = signed_in(recruiter).post(
        reverse("candidates:edit", args=[candidate.pk]), {**valid_form(recruiter), "level": "guru"}
    )

    assert response.status_code == 400
    assert "Original Name" in response.content.decode()  # the page heading still shows the stored name
    candidate.refresh_from_db()
    assert (candidate.full_name, candidate.level) == ("Original Name", "middle")
    assert not candidate.events.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The text file is not in UTF-8."),
        ("ru", "Текстовый файл не в кодировке UTF-8."),
    ],
)
def test_a_bad_resume_upload_explains_why_in_both_languages(recruiter, language: str, message: str) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    response = signed_in(recruiter, language).post(
        reverse("candidates:resume_upload", args=[candidate.pk]),
        {"resume": upload("cv.txt", "Резюме".encode("cp1251"))},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    candidate.refresh_from_db()
    assert not candidate.resume


def test_a_resume_uploaded_on_the_page_downloads_with_its_name(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)
    client = signed_in(recruiter)

    client.post(
        reverse("candidates:resume_upload", args=[candidate.pk]), {"resume": upload("Анна CV.pdf", pdf_bytes())}
    )
    response = client.get(reverse("candidates:resume_download", args=[candidate.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_stage_change_without_reason_for_rejection_shows_the_error(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    response = signed_in(recruiter).post(
        reverse("candidates:stage", args=[candidate.pk]), {"to_stage": "rejected", "reason": ""}
    )

    assert response.status_code == 400
    assert "Give a reason for this stage change." in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.APPLIED


def test_list_filters_and_searches(recruiter) -> None:  # type: ignore[no-untyped-def]
    CandidateFactory(owner=recruiter, full_name="Anna Petrova", stage="screening")
    CandidateFactory(owner=recruiter, full_name="Anna Smith", stage="applied")

    body = (
        signed_in(recruiter).get(reverse("candidates:list"), {"search": "anna", "stage": "screening"}).content.decode()
    )

    assert "Anna Petrova" in body
    assert "Anna Smith" not in body


def test_detail_shows_the_timeline(recruiter) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(recruiter)
    client.post(reverse("candidates:create"), valid_form(recruiter))
    candidate = Candidate.objects.get()
    client.post(reverse("candidates:stage", args=[candidate.pk]), {"to_stage": "screening", "reason": "strong CV"})

    body = client.get(reverse("candidates:detail", args=[candidate.pk])).content.decode()

    assert "Stage changed" in body
    assert "Applied → Screening" in body
    assert "strong CV" in body
    assert "Candidate created" in body


def test_timeline_names_changed_fields_and_stages_in_russian(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, level="junior")
    client = signed_in(recruiter, "ru")
    client.post(reverse("candidates:edit", args=[candidate.pk]), {**valid_form(recruiter), "full_name": "Новое Имя"})
    client.post(reverse("candidates:stage", args=[candidate.pk]), {"to_stage": "screening"})

    body = " ".join(client.get(reverse("candidates:detail", args=[candidate.pk])).content.decode().split())

    assert "Отклик → Скрининг" in body
    assert "ФИО" in body


def test_an_assigned_interviewer_can_open_the_candidate_but_not_edit(recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, interviewers=[interviewer])
    client = signed_in(interviewer)

    detail = client.get(reverse("candidates:detail", args=[candidate.pk]))
    edit = client.get(reverse("candidates:edit", args=[candidate.pk]))

    assert detail.status_code == 200
    assert reverse("candidates:edit", args=[candidate.pk]) not in detail.content.decode()
    assert edit.status_code == 403
