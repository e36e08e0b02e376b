"""Screening through the web pages and the REST API (the worker step is run
in-process here; tests/screening/test_screening.py runs it through Celery)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.candidates import services as candidate_services
from assessments.screening import services
from assessments.screening.models import Checklist, Screening
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

RESUME = "Vera Ivanova\nhttps://github.com/vera-iv\nPyTorch and vLLM; cut latency from 900 ms to 250 ms\n"


def _candidate(recruiter, **fields):  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(role="ml-llm-engineer", **fields)
    return candidate_services.candidate_upload_resume(
        actor=recruiter, candidate=candidate, upload=SimpleUploadedFile("vera.txt", RESUME.encode())
    )


def test_a_flag_edit_with_a_broken_pattern_is_refused_and_a_good_one_is_a_new_version(checklists, recruiter) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(recruiter)
    url = reverse("screening:flag_edit", args=["mlops", "competitions"])
    form = {
        "kind": "green", "weight": 4, "title_en": "Competitions", "title_ru": "Соревнования",
        "description_en": "Kaggle and hackathons", "description_ru": "Kaggle и хакатоны",
    }  # fmt: skip

    broken = client.post(url, {**form, "rules": "- id: x\n  any: ['(unclosed']\n"})
    saved = client.post(url, {**form, "rules": "- id: kaggle\n  any: ['\\bkaggle\\b']\n"})

    checklist = Checklist.objects.get(slug="mlops")
    assert broken.status_code == 400
    assert "invalid pattern" in broken.content.decode()
    assert saved.status_code == 302
    assert checklist.current.number == 2
    assert checklist.current.flag("competitions")["weight"] == 4
    assert checklist.versions.get(number=1).flag("competitions")["weight"] == 1  # the old version is kept


def test_the_screening_page_highlights_evidence_and_escapes_the_resume(checklists, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(role="ml-llm-engineer")
    candidate = candidate_services.candidate_upload_resume(
        actor=recruiter,
        candidate=candidate,
        upload=SimpleUploadedFile("x.txt", ("<script>alert(1)</script>\n" + RESUME).encode()),
    )
    screening = services.screening_start(actor=recruiter, candidate=candidate, checklist=checklists["ml-llm-engineer"])
    services.screening_run(screening_id=screening.pk)
    client = Client()
    client.force_login(recruiter)

    page = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert '<mark class="mark-green" title="code_links">https://github.com/vera-iv</mark>' in page


def test_the_whole_screening_through_the_api(checklists, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    candidate = _candidate(recruiter)
    api = APIClient()
    api.force_authenticate(recruiter)

    started = api.post("/api/v1/screening/", {"candidate": candidate.pk, "checklist": "ml-llm-engineer"}, format="json")
    services.screening_run(screening_id=started.json()["id"])  # what the worker does
    url = f"/api/v1/screening/{started.json()['id']}/"
    detail = api.get(url).json()
    reviewed = api.post(f"{url}flags/code_links/", {"status": "confirmed"}, format="json")
    added = api.post(f"{url}flags/", {"key": "competitions", "note": "Kaggle bronze, said on the call"}, format="json")
    duplicate = api.post(f"{url}flags/", {"key": "competitions", "note": "again"}, format="json")
    no_reason = api.post(f"{url}decision/", {"decision": "hold"}, format="json")
    decided = api.post(f"{url}decision/", {"decision": "hold", "reason": "Waiting for the take-home"}, format="json")

    assert started.status_code == 202
    assert {flag["key"] for flag in detail["flags"]} >= {"code_links", "named_libraries", "measured_results"}
    code_links = next(flag for flag in detail["flags"] if flag["key"] == "code_links")
    assert code_links["evidence"][0]["quote"] == "https://github.com/vera-iv"
    assert code_links["evidence"][0]["line"] == 2
    assert reviewed.json()["status"] == "confirmed"
    assert (added.status_code, added.json()["source"]) == (201, "manual")
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "screening.flag_exists")
    assert no_reason.status_code == 400
    assert decided.json()["decision"] == "hold"
    assert decided.json()["summary"]["green"] == 4


def test_an_interviewer_reads_screenings_of_assigned_candidates_only(checklists, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    mine = services.screening_start(
        actor=recruiter, candidate=_candidate(recruiter, interviewers=[interviewer]), checklist=checklists["mlops"]
    )
    other = services.screening_start(actor=recruiter, candidate=_candidate(recruiter), checklist=checklists["mlops"])
    api = APIClient()
    api.force_authenticate(interviewer)

    assert api.get(f"/api/v1/screening/{mine.pk}/").status_code == 200
    assert api.get(f"/api/v1/screening/{other.pk}/").status_code == 403
    assert api.post(f"/api/v1/screening/{mine.pk}/decision/", {"decision": "hold", "reason": "x"}).status_code == 403
    assert Screening.objects.get(pk=mine.pk).decision == ""
