"""The dashboard's charts: score distribution per role, interviewer calibration,
time in stage; the competency profile on the evaluation page; and the stored
scores they read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.candidates.models import CandidateEvent, EventKind
from assessments.candidates.services import candidate_change_stage, candidate_create
from assessments.interviews.evaluation import candidate_evaluation, candidate_score_refresh
from assessments.interviews.models import CandidateScore
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_stored_score_holds_the_evaluations_figures(evaluated) -> None:  # type: ignore[no-untyped-def]
    candidate, _ = evaluated

    stored = candidate_score_refresh(candidate_id=candidate.pk)

    evaluation = candidate_evaluation(candidate)
    assert stored is not None
    assert stored.overall == evaluation.overall
    assert stored.stages == {"screening": evaluation.stages[0].score, "takehome": 80.0, "interview": 83.3,
                             "soft_skills": 83.3}  # fmt: skip
    assert stored.competencies == {item.key: 3.5 for item in evaluation.competencies}
    assert sorted(value for _who, value in stored.recommendations) == ["yes", "yes"]
    assert candidate_score_refresh(candidate_id=10**9) is None  # a deleted candidate: nothing stored
    assert CandidateScore.objects.count() == 1


def test_the_score_distribution_counts_each_roles_candidates_per_band(recruiter) -> None:  # type: ignore[no-untyped-def]
    for role, overall in (
        ("mlops", 5.0),
        ("mlops", 55.0),
        ("mlops", 59.9),
        ("mlops", 100.0),
        ("ml-llm-engineer", 71.0),
    ):
        CandidateScore.objects.create(candidate=CandidateFactory(role=role), overall=overall)
    CandidateScore.objects.create(candidate=CandidateFactory(role="mlops"), overall=None)  # not scored yet

    charts = _client(recruiter).get("/api/v1/dashboard/charts/").json()
    only_llm = _client(recruiter).get("/api/v1/dashboard/charts/?role=ml-llm-engineer").json()

    by_role = {item["role"]: item for item in charts["score_distribution"]}
    assert by_role["mlops"]["counts"] == [1, 0, 0, 0, 0, 2, 0, 0, 0, 1]  # 100 falls in the top band
    assert by_role["mlops"]["scored"] == 4
    assert by_role["ml-llm-engineer"]["counts"][7] == 1
    assert [item["role"] for item in only_llm["score_distribution"]] == ["ml-llm-engineer"]


def test_interviewer_calibration_compares_each_interviewer_with_the_panel(evaluated, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    # Given ivan rated every question 3 and his colleague 4 on the same interview
    charts = _client(recruiter).get("/api/v1/dashboard/charts/").json()

    calibration = charts["interviewer_calibration"]
    rows = {row["name"]: row for row in calibration["interviewers"]}
    ivan = rows[interviewer.get_full_name() or interviewer.username]
    colleague = next(row for name, row in rows.items() if row is not ivan)
    assert (calibration["panel_mean"], calibration["panel_spread"]) == (3.5, 0.5)
    assert (ivan["mean"], ivan["offset"], ivan["shared"], ivan["scorecards"]) == (3.0, -1.0, 1, 1)
    assert (colleague["mean"], colleague["offset"]) == (4.0, 1.0)


def test_a_reopened_scorecard_leaves_the_calibration(evaluated, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    from assessments.interviews.models import Scorecard
    from assessments.interviews.scorecards import scorecard_reopen

    scorecard_reopen(actor=recruiter, scorecard=Scorecard.objects.get(interviewer=interviewer), reason="typo")

    calibration = _client(recruiter).get("/api/v1/dashboard/charts/").json()["interviewer_calibration"]
    assert [row["mean"] for row in calibration["interviewers"]] == [4.0]
    assert calibration["interviewers"][0]["offset"] is None  # no colleague's submitted scorecard to compare with


def test_time_in_stage_takes_finished_and_running_stays_from_the_timeline(recruiter) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    candidate = candidate_create(
        actor=recruiter, full_name="A", email="a@example.com", role="mlops", level="junior", owner=recruiter
    )
    candidate_change_stage(actor=recruiter, candidate=candidate, to_stage="screening")
    CandidateEvent.objects.filter(candidate=candidate, kind=EventKind.CREATED).update(
        created_at=now - timedelta(days=10)
    )
    CandidateEvent.objects.filter(candidate=candidate, kind=EventKind.STAGE_CHANGED).update(
        created_at=now - timedelta(days=4)
    )

    rows = {row["stage"]: row for row in _client(recruiter).get("/api/v1/dashboard/charts/").json()["time_in_stage"]}

    assert (rows["applied"]["median_days"], rows["applied"]["current"]) == (6.0, 0)
    assert rows["screening"]["current"] == 1
    assert 4.0 <= rows["screening"]["median_days"] < 4.1  # still there: counted up to now
    assert "hired" not in rows


def test_the_competency_profile_compares_with_the_roles_other_candidates(evaluated, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate, _ = evaluated
    key = candidate_evaluation(candidate).competencies[0].key
    CandidateScore.objects.create(candidate=CandidateFactory(role="mlops"), competencies={key: 2.0})
    CandidateScore.objects.create(candidate=CandidateFactory(role="mlops"), competencies={key: 3.0})
    CandidateScore.objects.create(candidate=CandidateFactory(role="ml-llm-engineer"), competencies={key: 1.0})
    candidate_score_refresh(candidate_id=candidate.pk)  # the candidate's own score is not a comparison

    api = _client(recruiter).get(f"/api/v1/evaluations/{candidate.pk}/").json()
    page = _client(recruiter).get(reverse("interviews:evaluation", args=[candidate.pk]))

    point = next(p for p in api["competency_profile"] if p["key"] == key)
    assert (point["mean"], point["role_mean"], point["role_candidates"]) == (3.5, 2.5, 2)
    assert f'data-competency="{key}"' in page.content.decode()
    assert 'id="competency-profile"' in page.content.decode()


def test_charts_are_on_the_dashboard_for_the_hiring_team_not_for_interviewers(
    evaluated, recruiter, interviewer
) -> None:  # type: ignore[no-untyped-def]
    candidate, _ = evaluated
    candidate_score_refresh(candidate_id=candidate.pk)

    recruiters_page = _client(recruiter).get("/").content.decode()
    interviewers_page = _client(interviewer).get("/").content.decode()

    assert 'id="chart-distribution"' in recruiters_page
    assert 'data-role="mlops"' in recruiters_page
    assert 'id="chart-calibration"' in recruiters_page
    assert 'id="charts"' not in interviewers_page
    assert _client(interviewer).get("/api/v1/dashboard/charts/").status_code == 403


def test_a_bad_filter_is_a_clear_400(recruiter) -> None:  # type: ignore[no-untyped-def]
    response = _client(recruiter).get("/api/v1/dashboard/charts/?owner=abc&role=astronaut")

    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"owner", "role"}


def test_changes_waiting_for_the_same_refresh_send_one_message(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from assessments.candidates.models import Candidate
    from assessments.candidates.services import candidate_scores_changed

    candidate = CandidateFactory()

    with django_capture_on_commit_callbacks() as first:
        candidate_scores_changed(candidate_id=candidate.pk)
        candidate_scores_changed(candidate_id=candidate.pk)  # the queued refresh will read this one too
    stale = Candidate.objects.get(pk=candidate.pk).score_stale
    candidate_score_refresh(candidate_id=candidate.pk)
    with django_capture_on_commit_callbacks() as after_refresh:
        candidate_scores_changed(candidate_id=candidate.pk)

    assert len(first) == 1
    assert stale is True
    assert len(after_refresh) == 1  # fresh again: the next change asks for a new refresh
