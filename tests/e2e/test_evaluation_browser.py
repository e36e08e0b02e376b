"""A recruiter reads the combined scorecard; the hiring manager records the decision."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from assessments.candidates.models import Candidate

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recruiter_reads_the_evaluation_and_the_hiring_manager_decides(  # type: ignore[no-untyped-def]
    browser: Browser, page: Page, live_server, evaluated, recruiter, hiring_manager
) -> None:
    candidate, _ = evaluated

    sign_in(page, live_server.url, recruiter)
    page.goto(f"{live_server.url}/candidates/{candidate.pk}/")
    page.click("#evaluation-link")
    expect(page.locator("#stage-scores [data-stage='takehome'] .stage-score")).to_have_text("80.0")
    expect(page.locator("#stage-scores [data-stage='technical'] .stage-score")).to_have_text("83.3")
    expect(page.locator("#recommendations li")).to_have_count(2)
    expect(page.locator("#competency-scores tr[data-competency]").first).to_contain_text("3.5")
    expect(page.locator("#decision-form")).to_have_count(0)  # recruiters read, hiring managers decide
    page.locator("#stage-scores [data-stage='takehome'] a").click()
    expect(page.locator("#auto-score")).to_contain_text("80.0")  # the figure links to its evidence

    manager = browser.new_context(locale="en-US").new_page()
    manager.set_default_timeout(15_000)
    sign_in(manager, live_server.url, hiring_manager)
    manager.goto(f"{live_server.url}/plans/evaluation/{candidate.pk}/")
    manager.check("input[name=decision][value=hire]")
    manager.click("#decision-form button[type=submit]")
    expect(manager.locator("#decision-form")).to_contain_text("This field is required")  # a reason is required
    manager.check("input[name=decision][value=hire]")
    manager.fill("#id_reason", "Strong panel and a solid take-home")
    manager.click("#decision-form button[type=submit]")
    expect(manager.locator("#current-stage")).to_have_text("Hired")
    expect(manager.locator("#timeline")).to_contain_text("Strong panel and a solid take-home")
    assert Candidate.objects.get(pk=candidate.pk).stage == "hired"
