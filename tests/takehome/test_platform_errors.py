"""The platform's failures are never the candidate's score, and every run is
scored exactly once (a claim decides who scores; only its holder closes the run)."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.takehome import selectors, services
from assessments.takehome.models import PLATFORM_ERROR, Assignment, GradingRun, RunState, Submission
from assessments.takehome.services.grading import grading_run_finish, grading_run_score, takehome_sweep
from hiring_platform.errors import ConflictError
from hiring_platform.web.dashboard import needs_attention
from sandbox.models import JobKind, JobState, SandboxJobRecord
from tests.factories import CandidateFactory

from .conftest import open_assignment


def _submission(assignment: Assignment, workspace: str = "") -> Submission:
    return Submission.objects.create(
        assignment=assignment, number=1, archive="x.zip", archive_name="x.zip", archive_size=1, sha256="0",
        state="ready", workspace=workspace,
    )  # fmt: skip


def _finished_job(key: str, verdict: str, answers: list[dict[str, Any]] | None = None) -> SandboxJobRecord:
    return SandboxJobRecord.objects.create(
        key=key, kind=JobKind.SERVICE, spec={}, state=JobState.DONE, verdict=verdict, finished_at=timezone.now(),
        result={"verdict": verdict, "detail": "no attempts left" if verdict != "ok" else "", "answers": answers or []},
    )  # fmt: skip


def _running_hidden_run(submission: Submission, job: SandboxJobRecord) -> GradingRun:
    return GradingRun.objects.create(
        submission=submission, purpose="hidden", state=RunState.RUNNING, sandbox_job=job,
        dataset=submission.assignment.task.dataset, grader_version="t",
    )  # fmt: skip


@pytest.mark.django_db
def test_an_infrastructure_failure_ends_as_a_platform_error_and_never_replaces_a_score(  # type: ignore[no-untyped-def]
    rag_task, recruiter
) -> None:
    # given a graded hidden run (87.6), then a re-grade whose sandbox job ran out of attempts
    assignment, token = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = _submission(assignment)
    GradingRun.objects.create(
        submission=submission,
        purpose="public",
        state="done",
        verdict="ok",
        dataset=rag_task.dataset,
        grader_version="t",
    )
    GradingRun.objects.create(
        submission=submission, purpose="hidden", state="done", verdict="ok", auto_score=87.6,
        dataset=rag_task.dataset, grader_version="t",
    )  # fmt: skip
    failed = _running_hidden_run(submission, _finished_job("takehome-run-x", "infrastructure_error"))

    # when the worker scores it
    run = grading_run_score(job_id=failed.sandbox_job_id)

    # then it carries no score and no candidate verdict, and the earlier score stands everywhere
    assert run is not None
    assert (run.state, run.verdict, run.auto_score, run.components) == (RunState.DONE, PLATFORM_ERROR, None, {})
    assert selectors.assignment_result(assignment).auto_score == 87.6
    assert [r.pk for r in needs_attention(recruiter).takehomes_platform_errors] == [run.pk]
    progress = selectors.submission_progress(submission)
    assert (progress.step, progress.done) == ("platform_error", True)
    page = Client().get(reverse("takehome-candidate:task", args=[token])).content.decode()
    assert "not your fault" in page
    assert GradingRun.objects.filter(submission=submission).count() == 3  # no hidden run started after it


@pytest.mark.django_db
def test_a_public_checks_platform_error_still_lets_the_hidden_run_go_ahead(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = _submission(assignment, workspace="takehome/workspaces/1")
    public = GradingRun.objects.create(
        submission=submission, purpose="public", state=RunState.RUNNING, dataset=rag_task.dataset, grader_version="t",
        sandbox_job=_finished_job("takehome-run-public", "infrastructure_error"),
    )  # fmt: skip

    grading_run_score(job_id=public.sandbox_job_id)

    public.refresh_from_db()
    hidden = GradingRun.objects.get(submission=submission, purpose="hidden")
    assert (public.verdict, public.auto_score) == (PLATFORM_ERROR, None)
    assert (hidden.state, hidden.sandbox_job is not None) == (RunState.RUNNING, True)


@pytest.mark.django_db
def test_a_scorer_whose_claim_the_sweep_took_back_writes_nothing(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a scorer A that claimed the public run and then stalled past the scoring time limit
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = _submission(assignment, workspace="takehome/workspaces/1")
    job = _finished_job("takehome-run-public", "ok")
    run = GradingRun.objects.create(
        submission=submission, purpose="public", state=RunState.RUNNING, sandbox_job=job,
        dataset=rag_task.dataset, grader_version="t",
    )  # fmt: skip
    claim_a = services.grading._scoring_claim(run)
    assert claim_a is not None
    GradingRun.objects.filter(pk=run.pk).update(scoring_started_at=timezone.now() - timedelta(minutes=10))

    # when the sweep takes the claim back and scorer B scores the run
    swept = takehome_sweep()
    scored_by_b = grading_run_score(job_id=job.pk)
    # and A wakes up and finishes with its old claim
    late_a = grading_run_finish(run=GradingRun.objects.get(pk=run.pk), claim=claim_a)

    # then B's result is the only one, and there is exactly one hidden run
    assert swept["runs_rescored"] == 1
    assert scored_by_b is not None
    assert late_a is None
    assert GradingRun.objects.filter(submission=submission, purpose="hidden").count() == 1


@pytest.mark.django_db
def test_a_claim_younger_than_the_time_limit_is_left_to_its_scorer(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    job = _finished_job("takehome-run-young", "ok")
    run = _running_hidden_run(_submission(assignment), job)
    SandboxJobRecord.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(hours=1))
    services.grading._scoring_claim(run)

    swept = takehome_sweep()

    run.refresh_from_db()
    assert swept["runs_rescored"] == 0
    assert run.state == RunState.SCORING


def _score_in_another_process(job_id: int, start_at: float, results: Any) -> None:
    """One scorer: its own process and database connection, started at the same moment as the other."""
    import time

    import django

    django.setup()
    for connection in connections.all():
        connection.close()
    time.sleep(max(0.0, start_at - time.time()))
    run = grading_run_score(job_id=job_id)
    results.put(run.pk if run is not None else None)


@pytest.mark.django_db(transaction=True)
def test_two_scorers_racing_on_one_run_give_one_result_and_one_hidden_run(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    import time

    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = _submission(assignment, workspace="takehome/workspaces/1")
    job = _finished_job("takehome-run-race", "ok")
    run = GradingRun.objects.create(
        submission=submission, purpose="public", state=RunState.RUNNING, sandbox_job=job,
        dataset=rag_task.dataset, grader_version="t",
    )  # fmt: skip
    for connection in connections.all():
        connection.close()  # the forked scorers must not share this connection
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 1.0
    scorers = [context.Process(target=_score_in_another_process, args=(job.pk, start_at, results)) for _ in range(2)]
    for scorer in scorers:
        scorer.start()
    for scorer in scorers:
        scorer.join(60)

    outcomes = sorted([results.get(timeout=5), results.get(timeout=5)], key=lambda value: value is None)
    assert [scorer.exitcode for scorer in scorers] == [0, 0]
    assert outcomes == [run.pk, None]  # one scored, the other found it claimed
    run.refresh_from_db()
    assert (run.state, run.verdict) == (RunState.DONE, "ok")
    assert GradingRun.objects.filter(submission=submission, purpose="hidden").count() == 1


@pytest.mark.django_db
def test_a_regrade_is_refused_for_an_erased_candidate_or_a_submission_without_files(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = _submission(assignment, workspace="takehome/workspaces/404")

    with pytest.raises(ConflictError) as missing:
        services.submission_regrade(actor=recruiter, submission=submission)
    assignment.candidate.erased_at = timezone.now()
    assignment.candidate.save(update_fields=["erased_at"])
    submission.refresh_from_db()
    with pytest.raises(ConflictError) as erased:
        services.submission_regrade(actor=recruiter, submission=submission)

    assert missing.value.code == "takehome.not_ready"
    assert erased.value.code == "takehome.erased"
    assert GradingRun.objects.filter(submission=submission).count() == 0
