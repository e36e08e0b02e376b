"""A recruiter screens a resume end to end in the browser, in English and in
Russian: upload, screen (the real worker reads the PDF), review the evidence,
add a flag by hand, decide."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assessments.screening.models import Screening
from tests.factories import CandidateFactory
from tests.screening.files import pdf_resume

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_RESUME = """Tom Becker, MLOps engineer
Profile: gitlab.com/tbecker-ops
- Kubernetes, Terraform and MLflow for 40 model services
- Cut GPU costs by 35% with autoscaling on Ray
- Experience with artificial intelligence
"""

RUSSIAN_RESUME = """Ольга Кузнецова, ML-инженер
- Промпт-инжиниринг для ChatGPT, написание промптов для маркетинга
- Опыт работы с AI
GitHub: по запросу
"""


def _screen(page: Page, base_url: str, candidate_pk: int, resume: Path, button: str) -> None:
    page.goto(f"{base_url}/candidates/{candidate_pk}/")
    page.set_input_files("#id_resume", str(resume))
    page.click("#resume-form button[type=submit]")
    page.click(f"#screening-start button:has-text('{button}')")
    expect(page.locator("#summary")).to_be_visible(timeout=60_000)  # the page refreshes until the worker is done


def test_recruiter_screens_a_resume_in_english(
    page: Page, live_server, celery_worker, checklists, recruiter, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(role="mlops", owner=recruiter)
    resume = tmp_path / "tom.pdf"
    resume.write_bytes(pdf_resume(ENGLISH_RESUME))
    sign_in(page, live_server.url, recruiter)

    _screen(page, live_server.url, candidate.pk, resume, "Screen the resume")

    expect(page.locator("#flag-code_links")).to_contain_text("gitlab.com/tbecker-ops")
    expect(page.locator("#flag-mlops_tooling")).to_contain_text("Kubernetes")
    expect(page.locator("#flag-measured_results")).to_contain_text("35%")
    expect(page.locator("#resume-text mark.mark-red")).to_contain_text("Experience with artificial intelligence")
    expect(page.locator("#green-count")).to_have_text("3")

    page.click("#flag-vague_claims button.reject")
    expect(page.locator("#flag-vague_claims .flag-status")).to_have_text("Rejected")
    expect(page.locator("#red-count")).to_have_text("0")
    page.select_option("#id_key", "competitions")
    page.fill("#id_note", "Mentions a 2023 hackathon win in the cover letter")
    page.click("#flag-add-form button[type=submit]")
    expect(page.locator("#flag-competitions")).to_contain_text("Added by hand")
    page.check("input[name=decision][value=advance]")
    page.click("#decision-form button[type=submit]")
    expect(page.locator("div.error, p.error")).to_have_count(1)  # a decision needs a reason
    page.check("input[name=decision][value=advance]")
    page.fill("#id_reason", "Solid platform work with numbers")
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision")).to_contain_text("Advance")

    page.goto(f"{live_server.url}/candidates/{candidate.pk}/")
    expect(page.locator("#timeline")).to_contain_text("Solid platform work with numbers")
    expect(page.locator("#screenings")).to_contain_text("Advance")
    screening = Screening.objects.get()
    assert (screening.decision, screening.flags.get(key="vague_claims").status) == ("advance", "rejected")


def test_recruiter_screens_a_russian_resume_in_russian(
    page: Page, live_server, celery_worker, checklists, recruiter, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(role="ml-llm-engineer", owner=recruiter)
    resume = tmp_path / "olga.pdf"
    resume.write_bytes(pdf_resume(RUSSIAN_RESUME))
    sign_in(page, live_server.url, recruiter)
    page.click("header .lang button[value=ru]")

    _screen(page, live_server.url, candidate.pk, resume, "Проверить резюме")

    expect(page.locator("#flag-prompt_only")).to_contain_text("Только промпт-инжиниринг")
    expect(page.locator("#flag-prompt_only")).to_contain_text("Промпт-инжиниринг для ChatGPT")
    expect(page.locator("#flag-no_code_links")).to_contain_text("Нет ссылок на код")
    expect(page.locator("#flag-vague_claims")).to_contain_text("Опыт работы с AI")
    expect(page.locator("#green-count")).to_have_text("0")
    page.click("#flag-prompt_only button.confirm")
    expect(page.locator("#flag-prompt_only .flag-status")).to_have_text("Подтверждён")
    page.check("input[name=decision][value=reject]")
    page.fill("#id_reason", "Только промпты, кода нет")
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision")).to_contain_text("Отклонить")
    assert Screening.objects.get().decision == "reject"
