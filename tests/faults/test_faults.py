"""Faults during real work: PostgreSQL, Redis and the Docker Engine restarted, and
a Celery worker killed, each while a take-home is being graded and while an
interviewer is saving a scoring form. Afterwards every submission has exactly one
final result, every save the interviewer saw succeed is in the database, nothing
is stuck, and the platform answers again with nobody's help.

These tests restart the project's own services (scripts/services.sh restart), so
they run last (tests/conftest.py moves the `faults` marker to the end)."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from assessments.candidates.models import Candidate
from assessments.interviews import scorecards
from assessments.interviews.evaluation import candidate_scores_sweep
from assessments.interviews.models import CandidateScore, Plan, Scorecard, ScorecardState
from assessments.interviews.services import interview_schedule
from assessments.questionbank.models import Question
from assessments.takehome import services
from assessments.takehome.models import GradingRun, RunPurpose, RunState
from sandbox import leftovers
from sandbox.models import JobState, SandboxAttempt, SandboxJobRecord
from tests.conftest import ROOT, start_worker, stop_worker
from tests.factories import CandidateFactory
from tests.takehome.conftest import KEYWORD_HIDDEN_SCORE, open_assignment, reference_upload, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]

FAULTS = ["postgres", "redis", "docker", "worker"]
LOST_THEN_DONE = [(1, "infrastructure_error"), (2, "ok")]
ATTEMPTS_AFTER = {"postgres": LOST_THEN_DONE, "redis": [(1, "ok")], "docker": LOST_THEN_DONE, "worker": LOST_THEN_DONE}


class Platform:
    """The faults a test can inject; the worker is the test's own (a supervisor such as
    honcho or systemd would start a new one after a crash: so does `kill_worker`)."""

    def __init__(self, worker: subprocess.Popen[bytes]) -> None:
        self.worker = worker

    def break_(self, what: str) -> None:
        if what == "worker":
            stop_worker(self.worker, signal.SIGKILL)  # the worker and its pool die at once
            self.worker = start_worker("after-kill")
            return
        subprocess.run(["bash", str(ROOT / "scripts/services.sh"), "restart", what], check=True, timeout=180)

    def answers(self) -> None:
        """The platform answers again: every dependency of /readyz is up."""
        connection.close()  # the test's own connection died with PostgreSQL
        wait_until(lambda: Client().get("/readyz").status_code == 200, 60, "/readyz answering 200")


@pytest.fixture
def platform(transactional_db) -> Any:  # type: ignore[no-untyped-def]
    running = Platform(start_worker("faults"))
    yield running
    connection.close()
    stop_worker(running.worker)


def _job_state(run: GradingRun | None) -> str | None:
    if run is None or run.sandbox_job_id is None:
        return None
    return SandboxJobRecord.objects.filter(pk=run.sandbox_job_id).values_list("state", flat=True).first()


def _when(check: Callable[[], bool], seconds: float, what: str) -> None:
    """Like wait_until, but polls fast: a grading step lasts a few seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {seconds:.0f} s")


@pytest.mark.parametrize("fault", FAULTS)
def test_grading_survives_the_fault_with_exactly_one_result(platform, rag_task, recruiter, fault) -> None:  # type: ignore[no-untyped-def]
    # Given a keyword-retrieval upload whose hidden run is being questioned in the sandbox
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = services.submission_upload(assignment=assignment, upload=reference_upload("keyword"))

    def hidden_run() -> GradingRun | None:
        return GradingRun.objects.filter(submission=submission, purpose=RunPurpose.HIDDEN).first()

    _when(lambda: _job_state(hidden_run()) in (JobState.RUNNING, JobState.GRADING), 120, "the hidden run starting")

    # When the fault hits
    struck = timezone.now()
    platform.break_(fault)
    platform.answers()

    # Then the run finishes by itself, once, with the verdict the code deserves
    wait_until(lambda: (run := hidden_run()) is not None and run.state == RunState.DONE, 300, "the hidden run")
    runs = list(GradingRun.objects.filter(submission=submission).order_by("pk"))
    assert [(run.purpose, run.state) for run in runs] == [("public", "done"), ("hidden", "done")]
    hidden = runs[1]
    assert hidden.verdict == "ok"  # the platform's fault is not the candidate's
    assert hidden.auto_score is not None
    assert hidden.auto_score == KEYWORD_HIDDEN_SCORE  # the same as without the fault
    job = SandboxJobRecord.objects.get(pk=hidden.sandbox_job_id)
    assert (job.state, job.verdict) == (JobState.DONE, "ok")
    # The fault hit mid-run: the attempt running when it struck either lost its
    # work and the next one finished it (a dead database connection, engine or
    # worker), or outlived the fault (the broker is only needed before and after).
    attempts = list(SandboxAttempt.objects.filter(job=job).order_by("number"))
    assert [(attempt.number, attempt.verdict) for attempt in attempts] == ATTEMPTS_AFTER[fault]
    assert attempts[0].started_at < struck < attempts[-1].finished_at
    assert SandboxJobRecord.objects.filter(grading_run__submission=submission).count() == 2
    assert leftovers() == []


def _interview(recruiter: Any, interviewer: Any) -> Any:
    if not Question.objects.exists():  # transactional tests start from an empty bank
        call_command("load_question_bank", verbosity=0)
    call_command("load_plan_templates", verbosity=0)
    plan = Plan.objects.get(template_key="mlops-junior")
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    candidate = CandidateFactory(role="mlops")
    return interview_schedule(
        actor=recruiter, candidate=candidate, plan=plan, stage_key=stage["key"], interviewers=[interviewer],
        language="en",
    )  # fmt: skip


def _form(interview: Any, note: str) -> dict[str, Any]:
    questions = scorecards.scorecard_questions(interview)
    return {
        "answers": {q["key"]: {"key_points": [0], "mistakes": [], "rating": 3, "notes": note} for q in questions},
        "competencies": {key: {"rating": 3} for key in scorecards.scorecard_competencies(interview)},
        "recommendation": "yes",
        "justification": "Clear reasoning about retries and rollbacks; weak on monitoring.",
    }


@pytest.mark.parametrize("fault", FAULTS)
def test_every_save_the_interviewer_saw_succeed_is_kept(platform, recruiter, interviewer, fault) -> None:  # type: ignore[no-untyped-def]
    # Given an interviewer typing into the form: a draft save every 50 ms, as the form's autosave does
    interview = _interview(recruiter, interviewer)
    scorecard = scorecards.scorecard_open(actor=interviewer, interview=interview)
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)
    url = f"/api/v1/scorecards/{scorecard.pk}/draft/"
    outcomes: list[tuple[int, int]] = []  # (note number, status)
    breaking = threading.Thread(target=platform.break_, args=(fault,))

    # When the fault hits in the middle of the typing
    number = 0
    while len(outcomes) < 10 or breaking.is_alive() or sum(s == 200 for _, s in outcomes[-5:]) < 5:
        if len(outcomes) == 10:
            breaking.start()
        number += 1
        response = client.put(url, _form(interview, f"note {number}"), content_type="application/json")
        outcomes.append((number, response.status_code))
        if response.status_code != 200:
            # What the interviewer is told: a clear, retryable answer, never a bare 500.
            assert response.status_code == 503, response.content[:300]
            assert "nothing was saved" in response.json()["message"]
            connection.close()
        time.sleep(0.05)
        assert number < 4000, "the form never got its saves through again"
    platform.answers()

    # Then the database holds the last save the interviewer saw succeed
    last_saved = max(n for n, status in outcomes if status == 200)
    stored = Scorecard.objects.get(pk=scorecard.pk)
    assert {a["notes"] for a in stored.answers.values()} == {f"note {last_saved}"}
    if fault != "postgres":
        assert {status for _, status in outcomes} == {200}  # nothing else is on the form's path
    # ... and submitting works, once
    submitted = client.post(
        f"/api/v1/scorecards/{scorecard.pk}/submit/", _form(interview, "final"), content_type="application/json"
    )
    assert submitted.status_code == 200
    assert Scorecard.objects.get(pk=scorecard.pk).state == ScorecardState.SUBMITTED
    # ... and the candidate's stored score follows: by the worker, or by the sweep if a message was lost
    candidate = Candidate.objects.get(pk=interview.candidate_id)
    wait_until(
        lambda: candidate_scores_sweep() >= 0 and not Candidate.objects.get(pk=candidate.pk).score_stale,
        90,
        "the candidate's score refresh",
    )
    assert CandidateScore.objects.get(candidate=candidate).recommendations == [[str(interviewer), "yes"]]
