"""The grader measures quality: the five reference solutions, uploaded like any
candidate's work and graded by the real Celery worker in the real sandbox,
come out in their order of quality with clear margins."""

from __future__ import annotations

import itertools

import pytest

from assessments.takehome import selectors, services
from tests.factories import CandidateFactory

from .conftest import open_assignment, reference_upload, wait_graded

pytestmark = pytest.mark.django_db(transaction=True)

ORDER = ("empty", "random", "keyword", "embedding", "hybrid")
STATIC_ONLY = ("empty", "random")  # no service points: nothing retrieved, nothing answered well
MARGIN = 2.0  # auto-score points between neighbours that do the task; seen: 35.8, 6.9, 6.0


def test_reference_solutions_score_in_order_of_quality(celery_worker, rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignments = {}
    for name in ORDER:
        assignment, _ = open_assignment(rag_task, CandidateFactory(full_name=f"Reference {name}"), recruiter)
        submission = services.submission_upload(assignment=assignment, upload=reference_upload(name))
        assignments[name] = (assignment, submission)

    scores, runs = {}, {}
    for name, (assignment, submission) in assignments.items():
        runs[name] = run = wait_graded(submission, seconds=300)
        assert run.verdict == "ok", (name, run.detail, run.logs[-500:])
        scores[name] = selectors.assignment_result(assignment).auto_score

    print("reference auto-scores:", scores)
    # An empty or random service earns only what its files earn (lint, REPORT.md).
    for name in STATIC_ONLY:
        service_points = {key: part["points"] for key, part in runs[name].components.items() if key != "static"}
        assert set(service_points.values()) == {0}, (name, service_points)
        assert scores[name] == runs[name].components["static"]["points"]
    values = [scores[name] for name in ORDER[len(STATIC_ONLY) - 1 :]]
    gaps = [later - earlier for earlier, later in itertools.pairwise(values)]
    assert all(gap >= MARGIN for gap in gaps), scores
