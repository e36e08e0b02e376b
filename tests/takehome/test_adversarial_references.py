"""Cheap tricks do not pay: each adversarial reference (fixtures/takehome/
adversarial-solutions/, an honest reference bent one way) is uploaded like a
candidate's work, graded by the real Celery worker in the real sandbox, and must
score clearly below the honest reference it was made from; a service that says
the same thing to everyone or repeats the question earns next to nothing.

Every upload is graded before anything is asserted, so one run shows every
adversary's score (the table is printed) and the message lists each failure."""

from __future__ import annotations

import pytest

from assessments.takehome import selectors, services
from assessments.takehome.models import GradingRun
from tests.factories import CandidateFactory

from .conftest import ADVERSARIES, open_assignment, reference_upload, wait_graded

pytestmark = pytest.mark.django_db(transaction=True)

BASE = "hybrid"  # the honest reference every adversary below is a copy of
# Adversary -> what it must lose against the base, in auto-score points.
BELOW_BASE = {
    "hedging": 3.0,
    "wrong-language": 3.0,
    "obeying-injections": 3.0,
    "constant": 3.0,
    "echo": 3.0,
    "concatenate-top": 3.0,
    "inventing": 3.0,
    "hardcoded-public": 3.0,
    "both-languages": 3.0,
    "padding-same-language": 3.0,
    "hedge-when-unsure": 3.0,
    "refuse-all": 3.0,
    "restate-generic": 3.0,
    "echo-with-sources": 3.0,
    "many-sources": 0.0,  # 20 sources instead of 10 is no trick, but it must not pay either
}
AT_MOST = {"constant": 5.0, "echo": 5.0, "restate-generic": 5.0}  # of 100


def _points(run: GradingRun) -> dict[str, float]:
    return {name: float(part["points"]) for name, part in (run.components or {}).items()}


def _table(scores: dict[str, float], points: dict[str, dict[str, float]], public: dict[str, float]) -> str:
    base = points[BASE]
    lines = [f"{'service':<22} {'hidden':>6} {'vs base':>8} {'public':>6}  components that differ from the base"]
    for name, score in scores.items():
        differ = ", ".join(
            f"{part} {value - base.get(part, 0.0):+.2f}"
            for part, value in points[name].items()
            if abs(value - base.get(part, 0.0)) >= 0.01
        )
        lines.append(f"{name:<22} {score:6.1f} {score - scores[BASE]:+8.1f} {public[name]:6.1f}  {differ}")
    return "\n".join(lines)


@pytest.mark.timeout(1800)
def test_adversarial_references_score_below_their_honest_base(celery_worker, rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # Given the honest base and every adversary, each uploaded by its own candidate
    uploads = {}
    for name in (BASE, *BELOW_BASE):
        folder = {} if name == BASE else {"folder": ADVERSARIES}
        assignment, _ = open_assignment(rag_task, CandidateFactory(full_name=f"Adversary {name}"), recruiter)
        submission = services.submission_upload(assignment=assignment, upload=reference_upload(name, **folder))
        uploads[name] = (assignment, submission)

    # When the worker has graded them all
    scores, points, public = {}, {}, {}
    for name, (assignment, submission) in uploads.items():
        run = wait_graded(submission, seconds=600)
        assert run.verdict == "ok", (name, run.detail, run.logs[-500:])
        scores[name] = float(selectors.assignment_result(assignment).auto_score or 0.0)
        points[name] = _points(run)
        public_run = GradingRun.objects.get(submission=submission, purpose="public")
        public[name] = round(sum(_points(public_run).values()), 1)
    table = _table(scores, points, public)
    print("\nadversarial references against their honest base:\n" + table)

    # Then every trick costs points, and the emptiest ones earn next to nothing
    failures = [
        f"{name} scored {scores[name]:.1f}, {scores[name] - scores[BASE]:+.1f} against {BASE} ({scores[BASE]:.1f}); "
        f"must be at least {margin:g} below it"
        for name, margin in BELOW_BASE.items()
        if scores[name] > scores[BASE] - margin
    ]
    failures += [
        f"{name} scored {scores[name]:.1f}, must be at most {limit:g}"
        for name, limit in AT_MOST.items()
        if scores[name] > limit
    ]
    assert not failures, "\n".join(failures) + "\n\n" + table
