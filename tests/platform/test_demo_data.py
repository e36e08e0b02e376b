"""`make run`'s demo data: loaded through the services, idempotent, and enough for
every dashboard part to show something."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from assessments.candidates.models import Candidate
from assessments.interviews.models import Interview, Scorecard, ScorecardState
from assessments.takehome.models import Submission

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def test_the_demo_data_loads_once_and_feeds_the_dashboard(rag_task) -> None:  # type: ignore[no-untyped-def]
    call_command("load_plan_templates", verbosity=0, stdout=io.StringIO())

    first = _load()
    again = _load()

    assert "interviews scheduled: 4" in first
    assert "Demo candidates created: 0; take-home uploads queued for grading: 0; interviews scheduled: 0" in again
    assert Candidate.objects.count() == 7
    assert Interview.objects.count() == 4
    assert Scorecard.objects.filter(state=ScorecardState.SUBMITTED).count() == 5
    assert Submission.objects.count() == 3
    manager = Client()
    signed_in = manager.post("/accounts/login/", {"username": "manager", "password": "demo-manager-2026"})
    assert signed_in.status_code == 302
    dashboard = manager.get("/api/v1/dashboard/").json()
    charts = manager.get("/api/v1/dashboard/charts/").json()
    overdue = dashboard["needs_attention"]["overdue_scorecards"]
    assert [item["candidate"] for item in overdue] == [Candidate.objects.get(email="priya.nair@example.com").pk]
    assert len(charts["interviewer_calibration"]["interviewers"]) == 2


def test_refresh_candidate_scores_fills_in_the_missing_ones(evaluated) -> None:  # type: ignore[no-untyped-def]
    from assessments.interviews.evaluation import candidate_evaluation
    from assessments.interviews.models import CandidateScore

    candidate, _ = evaluated
    out = io.StringIO()

    call_command("refresh_candidate_scores", stdout=out)
    call_command("refresh_candidate_scores", stdout=out)

    assert out.getvalue().splitlines() == ["Candidate scores refreshed: 1", "Candidate scores refreshed: 0"]
    assert CandidateScore.objects.get(candidate=candidate).overall == candidate_evaluation(candidate).overall
