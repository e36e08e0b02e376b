"""Reminders: an hour after the interview, then daily, until the scorecard is submitted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from assessments.interviews import scorecards, services
from assessments.interviews.models import Plan, ScorecardReminder
from assessments.interviews.reminders import scorecard_reminders_send
from hiring_platform.accounts.roles import Role
from tests.factories import CandidateFactory, UserFactory
from tests.interviews.scoring import complete

pytestmark = pytest.mark.django_db


def test_reminders_come_an_hour_after_then_daily_and_stop_once_submitted(recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    call_command("load_plan_templates", verbosity=0)
    plan = services.plan_copy(actor=recruiter, source=Plan.objects.get(template_key="mlops-junior"), name="P")
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    colleague = UserFactory(role=Role.INTERVIEWER, username="colleague", email="colleague@example.com")
    interviewer.email = "ivan@example.com"
    interviewer.save()
    start = timezone.now()
    interview = services.interview_schedule(
        actor=recruiter, candidate=CandidateFactory(full_name="Nina Frolova"), plan=plan, stage_key=stage["key"],
        interviewers=[interviewer, colleague], language="en", scheduled_at=start,
    )  # fmt: skip
    scorecards.scorecard_submit(
        actor=colleague,
        scorecard=scorecards.scorecard_open(actor=colleague, interview=interview),
        data=complete(interview),
    )

    too_early = scorecard_reminders_send(now=start + timedelta(minutes=59))
    first = scorecard_reminders_send(now=start + timedelta(hours=1, minutes=1))
    same_day = scorecard_reminders_send(now=start + timedelta(hours=20))
    next_day = scorecard_reminders_send(now=start + timedelta(hours=25, minutes=2))
    scorecards.scorecard_submit(
        actor=interviewer,
        scorecard=scorecards.scorecard_open(actor=interviewer, interview=interview),
        data=complete(interview),
    )
    after_submit = scorecard_reminders_send(now=start + timedelta(days=3))

    assert (too_early, first, same_day, next_day, after_submit) == (0, 1, 0, 1, 0)
    assert [message.to for message in mail.outbox] == [["ivan@example.com"], ["ivan@example.com"]]
    assert "Nina Frolova" in mail.outbox[0].subject
    assert f"/plans/interviews/{interview.pk}/scorecard/" in mail.outbox[0].body
    assert ScorecardReminder.objects.filter(interviewer=colleague).count() == 0  # submitted: never reminded
