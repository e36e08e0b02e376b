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


def test_the_hiring_manager_reads_the_charts_in_russian(  # type: ignore[no-untyped-def]
    page: Page, live_server, evaluated, hiring_manager, interviewer
) -> None:
    from assessments.interviews.evaluation import candidate_score_refresh

    candidate, _ = evaluated
    candidate_score_refresh(candidate_id=candidate.pk)  # what the worker does after each change

    sign_in(page, live_server.url, hiring_manager)
    page.click("header .lang button[value=ru]")

    # The histogram of the candidate's role has one bar of full height: numbers in SVG and CSS
    # must stay "12.5", not the Russian "12,5", or the browser would drop them.
    bars = page.locator("#chart-distribution figure[data-role='mlops'] rect")
    heights = bars.evaluate_all("rects => rects.map(r => r.getBBox().height)")
    assert sorted(heights) == [0] * 9 + [40]
    # Calibration: ivan's dot sits at mean 3.0 of the 1-4 axis (two thirds), left of the panel's line (3.5).
    row = page.locator(f"#chart-calibration tr[data-interviewer='{interviewer.pk}']")
    expect(row.locator(".offset")).to_have_text("-1,0")  # the text follows the language
    track = row.locator(".track").bounding_box()
    dot = row.locator(".dot").bounding_box()
    panel = row.locator(".panel").bounding_box()
    assert track is not None
    assert dot is not None
    assert panel is not None
    assert abs((dot["x"] + dot["width"] / 2 - track["x"]) / track["width"] - 2 / 3) < 0.02
    assert panel["x"] > dot["x"]
    expect(page.locator("#chart-time-in-stage")).to_be_visible()
    expect(page.locator("#charts-title")).not_to_have_text("Charts")  # translated
