"""A recruiter builds a plan from a template in the browser (adds, moves and
removes questions by mouse and keyboard, saves), schedules an interview with it
and opens the kit; the kit's PDF carries the Russian text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments.interviews.models import Interview, Plan
from tests.factories import CandidateFactory

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _keys(page: Page, section: str) -> list[str]:
    return page.locator(f"[data-key='{section}'] li.plan-question").evaluate_all(
        "items => items.map(i => i.dataset.key)"
    )


def test_recruiter_builds_a_plan_and_opens_the_kit(
    page: Page, live_server, recruiter, interviewer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    call_command("load_question_bank", verbosity=0)
    call_command("load_plan_templates", verbosity=0)
    candidate = CandidateFactory(full_name="Мария Лебедева", owner=recruiter)
    sign_in(page, live_server.url, recruiter)

    page.goto(f"{live_server.url}/plans/")
    page.select_option("#id_template", label="ML/LLM engineer, junior")
    page.fill("#from-template #id_name", "Junior LLM plan, spring")
    page.click("#from-template button[type=submit]")
    expect(page.locator("#stages .section").first).to_be_visible()
    section = page.locator("#stages .section").first.get_attribute("data-key")
    before = _keys(page, section)

    # Remove the first question, move the (new) first one down by keyboard and by button.
    page.locator(f"[data-key='{section}'] li.plan-question").first.locator("button.q-remove").click()
    page.locator(f"[data-key='{section}'] li.plan-question").first.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator(f"[data-key='{section}'] li.plan-question").nth(1)).to_be_focused()
    after_move = _keys(page, section)
    assert after_move[:2] == [before[2], before[1]]
    # Drag the last question to the top, then the top one back to the end.
    items = page.locator(f"[data-key='{section}'] li.plan-question")
    items.last.drag_to(items.first)
    dragged = _keys(page, section)
    assert dragged[0] == after_move[-1]
    assert dragged[1:] == after_move[:-1]
    items = page.locator(f"[data-key='{section}'] li.plan-question")
    items.first.drag_to(items.last)
    assert _keys(page, section)[:-1] == after_move[:-1]
    # Add a question from the bank into that section.
    page.fill("#bank-search", "attention")
    page.locator("#bank-results li button.bank-add").first.wait_for()
    added = page.locator("#bank-results li").first.get_attribute("data-key")
    page.locator("#bank-results li button.bank-add").first.click()
    expect(page.locator(f"[data-key='{section}'] li.plan-question[data-key='{added}']")).to_have_count(1)
    expect(page.locator("#total-time")).to_contain_text("min")
    page.click("#save-plan")
    expect(page.locator("#save-status")).to_contain_text("version 2")

    plan = Plan.objects.get(name="Junior LLM plan, spring")
    saved = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")["sections"][0]
    saved_keys = [q["key"] for q in saved["questions"]]
    assert plan.current.number == 2
    assert before[0] not in saved_keys
    assert saved_keys[:2] == [before[2], before[1]]
    assert saved_keys[-1] == added

    # Schedule an interview with it, in Russian, and open the kit and its PDF.
    page.goto(f"{live_server.url}/candidates/{candidate.pk}/")
    page.click("#schedule-interview")
    page.select_option("#id_stage", label=f"{plan.name} — Technical interview")
    page.select_option("#id_interviewers", [str(interviewer.pk)])
    page.select_option("#id_language", "ru")
    page.click("#schedule-form button[type=submit]")
    expect(page.locator("#kit h1")).to_be_visible()
    expect(page.locator("#kit")).to_contain_text("Мария Лебедева")
    expect(page.locator("#kit")).to_contain_text("Ключевые моменты")
    with page.expect_download() as download:
        page.click("#kit-pdf")
    pdf = tmp_path / "kit.pdf"
    download.value.save_as(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Мария Лебедева" in text
    assert "Ключевые моменты" in text
    assert Interview.objects.get().plan_version == plan.current
