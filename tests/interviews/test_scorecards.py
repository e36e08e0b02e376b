"""Scorecards: drafts, a submit that checks completeness and locks, reopening with
a reason, and interviewers kept blind to colleagues' scorecards until they submit."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments.candidates.models import CandidateEvent
from assessments.interviews import scorecards, services
from assessments.interviews.models import Interview, Plan, Scorecard
from hiring_platform.accounts.roles import Role
from hiring_platform.errors import ApplicationError, ConflictError
from tests.factories import CandidateFactory, UserFactory
from tests.interviews.scoring import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(recruiter, interviewer) -> Interview:  # type: ignore[no-untyped-def]
    call_command("load_plan_templates", verbosity=0)
    template = Plan.objects.get(template_key="mlops-junior")
    plan = services.plan_copy(actor=recruiter, source=template, name="Scoring plan")
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    colleague = UserFactory(role=Role.INTERVIEWER, username="colleague")
    return services.interview_schedule(
        actor=recruiter, candidate=CandidateFactory(), plan=plan, stage_key=stage["key"],
        interviewers=[interviewer, colleague], language="en",
    )  # fmt: skip


def test_a_draft_keeps_partial_answers_and_each_interviewer_has_their_own(interview, interviewer) -> None:  # type: ignore[no-untyped-def]
    colleague = interview.interviewers.exclude(pk=interviewer.pk).get()
    mine = scorecards.scorecard_open(actor=interviewer, interview=interview)
    theirs = scorecards.scorecard_open(actor=colleague, interview=interview)
    key = scorecards.scorecard_questions(interview)[0]["key"]

    saved = scorecards.scorecard_save_draft(
        actor=interviewer, scorecard=mine, data={"answers": {key: {"rating": 2, "notes": "half an answer"}}}
    )

    assert mine.pk != theirs.pk
    assert (saved.state, saved.revision) == ("draft", 1)
    assert saved.answers[key] == {
        "key_points": [],
        "mistakes": [],
        "rating": 2,
        "not_asked": False,
        "notes": "half an answer",
    }
    with pytest.raises(ApplicationError):
        scorecards.scorecard_save_draft(actor=colleague, scorecard=mine, data={})


def test_malformed_drafts_are_refused(interview, interviewer) -> None:  # type: ignore[no-untyped-def]
    mine = scorecards.scorecard_open(actor=interviewer, interview=interview)
    key = scorecards.scorecard_questions(interview)[0]["key"]

    for data in (
        {"answers": {key: {"rating": 5}}},
        {"answers": {"not-in-this-interview": {"rating": 3}}},
        {"competencies": {"astrology": {"rating": 3}}},
        {"recommendation": "maybe"},
    ):
        with pytest.raises(ApplicationError):
            scorecards.scorecard_save_draft(actor=interviewer, scorecard=mine, data=data)
    mine.refresh_from_db()
    assert (mine.revision, mine.answers) == (0, {})


def test_submit_needs_every_question_every_competency_and_a_justified_recommendation(interview, interviewer) -> None:  # type: ignore[no-untyped-def]
    mine = scorecards.scorecard_open(actor=interviewer, interview=interview)
    data = complete(interview)
    data["justification"] = "ok"
    data["competencies"].popitem()

    with pytest.raises(ApplicationError) as error:
        scorecards.scorecard_submit(actor=interviewer, scorecard=mine, data=data)

    problems = error.value.extra["problems"]
    assert any(p.startswith("Rate the competency") for p in problems)
    assert "Justify the recommendation in a few sentences." in problems
    assert Scorecard.objects.get(pk=mine.pk).state == "draft"


def test_a_submitted_scorecard_is_locked_until_a_recruiter_reopens_it_with_a_reason(
    interview, interviewer, recruiter
) -> None:  # type: ignore[no-untyped-def]
    mine = scorecards.scorecard_open(actor=interviewer, interview=interview)
    submitted = scorecards.scorecard_submit(actor=interviewer, scorecard=mine, data=complete(interview))
    locked_state, submitted_at = submitted.state, submitted.submitted_at

    with pytest.raises(ConflictError):
        scorecards.scorecard_save_draft(actor=interviewer, scorecard=submitted, data={})
    with pytest.raises(ApplicationError):
        scorecards.scorecard_reopen(actor=recruiter, scorecard=submitted, reason=" ")
    reopened = scorecards.scorecard_reopen(actor=recruiter, scorecard=submitted, reason="Mixed up two candidates")

    assert locked_state == "submitted"
    assert submitted_at is not None
    assert (reopened.state, reopened.submitted_at) == ("draft", None)
    events = CandidateEvent.objects.filter(candidate=interview.candidate).values_list("kind", "reason")
    assert ("scorecard_submitted", "") in list(events)
    assert ("scorecard_reopened", "Mixed up two candidates") in list(events)


def test_an_interviewer_cannot_see_a_colleagues_scorecard_before_submitting_their_own(
    interview, interviewer, recruiter, hiring_manager
) -> None:  # type: ignore[no-untyped-def]
    colleague = interview.interviewers.exclude(pk=interviewer.pk).get()
    theirs = scorecards.scorecard_submit(
        actor=colleague,
        scorecard=scorecards.scorecard_open(actor=colleague, interview=interview),
        data=complete(interview),
    )
    mine = scorecards.scorecard_open(actor=interviewer, interview=interview)
    client = Client()
    client.force_login(interviewer)
    url = reverse("interviews:scorecard", args=[theirs.pk])

    before_page = client.get(url).status_code
    before_api = client.get(f"/api/v1/scorecards/{theirs.pk}/").status_code
    candidate_page = client.get(reverse("candidates:detail", args=[interview.candidate_id])).content.decode()
    scorecards.scorecard_submit(actor=interviewer, scorecard=mine, data=complete(interview))
    after_page = client.get(url).status_code

    assert (before_page, before_api, after_page) == (403, 403, 200)
    assert url not in candidate_page
    assert scorecards.may_see_scorecard(recruiter, theirs)
    assert scorecards.may_see_scorecard(hiring_manager, theirs)


def test_only_the_interviews_interviewers_open_a_scorecard(interview) -> None:  # type: ignore[no-untyped-def]
    stranger = UserFactory(role=Role.INTERVIEWER, username="stranger")
    with pytest.raises(ApplicationError):
        scorecards.scorecard_open(actor=stranger, interview=interview)
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("interviews:scorecard_form", args=[interview.pk])).status_code == 403
    assert Scorecard.objects.filter(interviewer=stranger).count() == 0
