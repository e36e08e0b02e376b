"""The dashboard: the board by stage with filters, what needs attention, and a
number of queries that does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.interviews.models import Interview
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_board_counts_filters_and_lists_what_needs_attention(evaluated, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate, _ = evaluated
    CandidateFactory(role="ml-llm-engineer", stage="screening")
    Interview.objects.filter(candidate=candidate).update(scheduled_at=timezone.now() - timedelta(hours=3))
    api = Client()
    api.force_login(recruiter)

    everything = api.get("/api/v1/dashboard/").json()
    mlops = api.get("/api/v1/dashboard/?role=mlops").json()

    assert everything["total"] == 2
    assert mlops["total"] == 1
    assert {s["value"]: s["count"] for s in mlops["stages"]}["decision"] == 1
    attention = everything["needs_attention"]
    assert attention["takehomes_to_review"] == [candidate.assignments.get().pk]  # graded, not reviewed
    assert attention["screenings_undecided"] == [candidate.screenings.get().pk]
    assert attention["overdue_scorecards"] == []  # both interviewers submitted


def test_the_dashboard_makes_the_same_number_of_queries_whatever_the_data(recruiter) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(recruiter)
    CandidateFactory.create_batch(3)
    few = _queries(client, "/")
    CandidateFactory.create_batch(40)
    many = _queries(client, "/")

    assert few == many
