"""A recruiter runs a candidate through the pages in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assessments.candidates.models import Candidate, Stage
from tests.candidates.files import pdf_bytes

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recruiter_creates_moves_and_uploads_a_resume(page: Page, live_server, recruiter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, recruiter)

    page.click("text=Candidates")
    page.click("text=Add candidate")
    page.fill("#id_full_name", "Анна Петрова")
    page.fill("#id_email", "not-an-email")
    page.select_option("#id_role", "ml-llm-engineer")
    page.select_option("#id_level", "middle")
    page.click("button:has-text('Save')")
    expect(page.locator("div.error")).to_contain_text("Nothing was saved")
    assert Candidate.objects.count() == 0

    page.fill("#id_email", "anna@example.com")
    page.click("button:has-text('Save')")
    expect(page.locator("h1")).to_contain_text("Анна Петрова")
    candidate = Candidate.objects.get()

    page.select_option("#id_to_stage", "screening")
    page.fill("#id_reason", "Green flags: code links, QLoRA")
    page.click("button:has-text('Change stage')")
    expect(page.locator("#current-stage")).to_have_text("Screening")
    expect(page.locator("#timeline")).to_contain_text("Green flags: code links, QLoRA")

    resume = tmp_path / "anna.pdf"
    resume.write_bytes(pdf_bytes())
    page.set_input_files("#id_resume", str(resume))
    page.click("button:has-text('Upload')")
    expect(page.locator("#timeline")).to_contain_text("anna.pdf")

    candidate.refresh_from_db()
    assert candidate.stage == Stage.SCREENING
    assert candidate.resume_name == "anna.pdf"

    page.goto(f"{live_server.url}/candidates/?search=петрова")
    expect(page.locator("#candidate-table")).to_contain_text("Анна Петрова")


def test_interface_switches_to_russian_and_shows_errors_in_russian(page: Page, live_server, recruiter) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, recruiter)

    page.click("header .lang button[value=ru]")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.click("text=Кандидаты")
    page.click("text=Добавить кандидата")
    page.click("button:has-text('Сохранить')")

    expect(page.locator("div.error")).to_contain_text("Ничего не сохранено")
    assert Candidate.objects.count() == 0


def test_interviewer_sees_only_assigned_candidates(page: Page, live_server, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CandidateFactory

    CandidateFactory(owner=recruiter, full_name="Assigned Person", interviewers=[interviewer])
    CandidateFactory(owner=recruiter, full_name="Hidden Person")
    sign_in(page, live_server.url, interviewer)

    page.click("text=My candidates")

    expect(page.locator("#candidate-table")).to_contain_text("Assigned Person")
    expect(page.locator("#candidate-table")).not_to_contain_text("Hidden Person")
    expect(page.locator("text=Add candidate")).to_have_count(0)
