"""An interviewer fills a scoring form in the browser during a flaky connection
(nothing is lost), cannot see a colleague's scorecard before submitting, submits,
and then can."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from assessments.interviews import scorecards, services
from assessments.interviews.models import Plan, Scorecard
from hiring_platform.accounts.roles import Role
from tests.factories import CandidateFactory, UserFactory
from tests.interviews.scoring import complete

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_interviewer_fills_the_form_offline_and_online_then_submits(
    browser: Browser, page: Page, live_server, recruiter, interviewer
) -> None:  # type: ignore[no-untyped-def]
    call_command("load_question_bank", verbosity=0)
    call_command("load_plan_templates", verbosity=0)
    plan = services.plan_copy(actor=recruiter, source=Plan.objects.get(template_key="mlops-junior"), name="P")
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    colleague = UserFactory(role=Role.INTERVIEWER, username="colleague")
    interview = services.interview_schedule(
        actor=recruiter, candidate=CandidateFactory(full_name="Ilya Orlov"), plan=plan, stage_key=stage["key"],
        interviewers=[interviewer, colleague], language="en",
    )  # fmt: skip
    theirs = scorecards.scorecard_submit(
        actor=colleague,
        scorecard=scorecards.scorecard_open(actor=colleague, interview=interview),
        data=complete(interview),
    )
    questions = scorecards.scorecard_questions(interview)
    first = questions[0]["key"]

    sign_in(page, live_server.url, interviewer)
    page.goto(f"{live_server.url}/candidates/{interview.candidate_id}/")
    expect(page.locator("#interviews")).not_to_contain_text("colleague")  # blind before submitting
    assert page.goto(f"{live_server.url}/plans/scorecards/{theirs.pk}/").status == 403
    page.goto(f"{live_server.url}/candidates/{interview.candidate_id}/")
    page.click("a.my-scorecard")
    box = page.locator(f".sc-question[data-key='{first}']")
    box.locator("input[data-kind=rating][value='3']").check()
    expect(page.locator("#save-state")).to_have_text("Saved")

    # The connection drops in the middle of the form: typing goes on.
    page.context.set_offline(True)
    box.locator("input[data-kind=key_points]").first.check()
    box.locator("textarea[data-kind=notes]").fill("Explained blue-green deploys with a rollback plan")
    expect(page.locator("#save-state")).to_contain_text("Offline", timeout=10_000)
    mine = Scorecard.objects.get(interviewer=interviewer)
    assert mine.answers[first]["notes"] == ""  # not on the server yet...
    page.context.set_offline(False)
    expect(page.locator("#save-state")).to_have_text("Saved", timeout=10_000)  # ...and now it is
    mine.refresh_from_db()
    assert mine.answers[first]["notes"] == "Explained blue-green deploys with a rollback plan"
    assert mine.answers[first]["key_points"] == [0]
    assert mine.answers[first]["rating"] == 3

    # A reload (or a closed tab) shows what was typed.
    page.reload()
    expect(box.locator("textarea[data-kind=notes]")).to_have_value("Explained blue-green deploys with a rollback plan")

    # Submitting needs everything: the form says what is missing.
    page.click("#submit-scorecard")
    expect(page.locator("#submit-problems")).to_contain_text("Choose an overall recommendation.")
    for question in questions[1:]:
        page.locator(f".sc-question[data-key='{question['key']}'] input[data-kind=not_asked]").check()
    for competency in page.locator(".sc-competency").all():
        competency.locator("input[data-kind=rating][value='2']").check()
    page.check("input[name=recommendation][value=yes]")
    page.fill("#justification", "Good deployment reasoning; monitoring answers were thin.")
    page.click("#submit-scorecard")
    expect(page.locator("body")).to_contain_text("This scorecard is submitted and locked.")
    mine.refresh_from_db()
    assert (mine.state, mine.recommendation) == ("submitted", "yes")

    # Now the colleague's scorecard is readable.
    assert page.goto(f"{live_server.url}/plans/scorecards/{theirs.pk}/").status == 200
    expect(page.locator("#scorecard-recommendation")).to_have_text("Yes")
