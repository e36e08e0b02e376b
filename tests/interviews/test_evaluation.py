"""The candidate's scored evaluation and the hiring manager's decision."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.candidates.models import CandidateEvent
from assessments.interviews.decisions import candidate_decide
from assessments.interviews.evaluation import candidate_evaluation, candidate_score_refresh
from assessments.screening.models import Screening
from hiring_platform.errors import ApplicationError
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_the_evaluation_combines_every_stage_with_the_plans_weights(evaluated) -> None:  # type: ignore[no-untyped-def]
    candidate, _ = evaluated

    evaluation = candidate_evaluation(candidate)

    scores = {figure.kind: figure.score for figure in evaluation.stages}
    weights = {figure.kind: figure.weight for figure in evaluation.stages}
    green_total = sum(f["weight"] for f in plan_flags(candidate) if f["kind"] == "green")
    assert scores["screening"] == round(50 + 50 * 3 / green_total)
    assert scores["takehome"] == 80.0
    assert scores["interview"] == 83.3  # mean rating 3.5 of 1-4
    assert scores["soft_skills"] == 83.3
    expected = sum(scores[k] * weights[k] for k in scores) / sum(weights.values())
    assert evaluation.overall == round(expected, 1)
    assert all(c.spread == 1 for c in evaluation.competencies)
    assert {c.mean for c in evaluation.competencies} == {3.5}
    assert len(evaluation.recommendations) == 2
    assert all(figure.evidence for figure in evaluation.stages)  # every figure links to its evidence


def plan_flags(candidate):  # type: ignore[no-untyped-def]
    return candidate.screenings.get().version.flags


def test_a_missing_stage_is_left_out_not_counted_as_zero(recruiter, checklists) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(role="mlops")
    version = checklists["mlops"].current
    Screening.objects.create(candidate=candidate, version=version, state="done", resume_name="cv.txt")

    evaluation = candidate_evaluation(candidate)

    assert evaluation.overall == 50.0  # only the screening has a figure (nothing flagged)


def test_the_hiring_manager_decides_and_the_candidate_moves(evaluated, hiring_manager, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate, _ = evaluated
    with pytest.raises(ApplicationError):
        candidate_decide(actor=hiring_manager, candidate=candidate, decision="hire", reason="")

    decided = candidate_decide(
        actor=hiring_manager, candidate=candidate, decision="hire", reason="Strong panel, solid take-home"
    )

    assert decided.stage == "hired"
    event = CandidateEvent.objects.get(candidate=candidate, kind="hiring_decision")
    assert (event.actor, event.reason, event.after["decision"]) == (
        hiring_manager,
        "Strong panel, solid take-home",
        "hire",
    )
    client = Client()
    client.force_login(recruiter)
    refused = client.post(reverse("interviews:evaluation", args=[candidate.pk]), {"decision": "no_hire", "reason": "x"})
    assert refused.status_code == 403  # only hiring managers decide


def test_the_evaluation_exports_as_pdf_and_the_pipeline_as_csv(evaluated, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    from pypdf import PdfReader

    candidate, _ = evaluated
    candidate.full_name = "Вера Соколова"
    candidate.save()
    candidate_score_refresh(candidate_id=candidate.pk)  # what the worker does after each scorecard
    client = Client()
    client.force_login(recruiter)

    pdf = client.get(reverse("interviews:evaluation_pdf", args=[candidate.pk]))
    listing = client.get(reverse("web-pipeline-csv"))
    interviewer_client = Client()
    interviewer_client.force_login(interviewer)

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    overall = candidate_evaluation(candidate).overall
    assert "Вера Соколова" in text
    assert str(overall) in text
    rows = list(csv.DictReader(io.StringIO(b"".join(listing.streaming_content).decode())))
    row = next(r for r in rows if r["id"] == str(candidate.pk))
    assert (row["take_home"], row["interviews"], row["overall"]) == ("80.0", "83.3", str(overall))
    assert interviewer_client.get(reverse("web-pipeline-csv")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_worker_stores_the_score_once_scorecards_are_submitted(  # type: ignore[no-untyped-def]
    celery_worker, recruiter, interviewer, checklists, rag_task
) -> None:
    import time

    from assessments.interviews.models import CandidateScore
    from tests.interviews.scoring import evaluated_candidate

    # When a screening, a take-home and two scorecards are recorded (each commit announces a change)
    candidate, _ = evaluated_candidate(recruiter, interviewer, checklists, rag_task)
    expected = candidate_evaluation(candidate).overall

    # Then the worker stores the same overall score without anyone asking
    deadline = time.monotonic() + 60
    stored = None
    while time.monotonic() < deadline:
        stored = CandidateScore.objects.filter(candidate=candidate).first()
        if stored is not None and stored.overall == expected and len(stored.recommendations) == 2:
            break
        time.sleep(0.5)
    assert stored is not None
    assert (stored.overall, len(stored.recommendations)) == (expected, 2)


def test_a_platform_error_run_after_a_graded_one_leaves_every_figure_as_it_was(evaluated, recruiter) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    from assessments.interviews.models import CandidateScore
    from assessments.takehome.models import PLATFORM_ERROR, GradingRun

    # given the evaluated candidate's graded hidden run (80), then a re-grade the platform failed
    candidate, _ = evaluated
    graded = GradingRun.objects.get(submission__assignment__candidate=candidate, purpose="hidden")
    GradingRun.objects.create(
        submission=graded.submission, purpose="hidden", state="done", verdict=PLATFORM_ERROR, auto_score=None,
        dataset=graded.dataset, grader_version="t", detail="no attempts left",
    )  # fmt: skip
    candidate_score_refresh(candidate_id=candidate.pk)
    client = Client()
    client.force_login(recruiter)

    # then the evaluation, the stored score, the CSV and the API all still read 80
    evaluation = {figure.kind: figure.score for figure in candidate_evaluation(candidate).stages}
    rows = csv.DictReader(io.StringIO(b"".join(client.get(reverse("web-pipeline-csv")).streaming_content).decode()))
    row = next(r for r in rows if r["id"] == str(candidate.pk))
    api = client.get(reverse("api:takehome-api:assignment-detail", args=[graded.submission.assignment_id])).json()
    assert evaluation["takehome"] == 80.0
    assert CandidateScore.objects.get(candidate=candidate).stages["takehome"] == 80.0
    assert row["take_home"] == "80.0"
    assert api["result"]["auto_score"] == 80.0
