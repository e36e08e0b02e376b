"""The candidate's own tests in the pipeline: a sandbox job between unpacking and
the public run, through the real Celery worker and Docker Engine; its infrastructure
error and a lost notification, driven step by step in this process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.takehome import services
from assessments.takehome.checks.score import PART_WEIGHTS
from assessments.takehome.models import GradingRun, RunState, Submission, SubmissionState
from assessments.takehome.services import static_checks
from sandbox import leftovers
from sandbox.models import JobKind, JobState, SandboxJobRecord
from sandbox.services import RetryLater, sandbox_job_execute
from tests.factories import CandidateFactory

from .conftest import REFERENCES, open_assignment, reference_upload, wait_graded, zip_bytes

NEVER_STARTS = "echo 'no service here' >&2; exit 3\n"
FOUR_TESTS = """
import json

from app import tokens


def test_words_are_cut_to_six_letters():
    assert tokens("Synchronisation") == ["synchr"]


def test_words_are_lower_cased():
    assert tokens("HELLO World") == ["hello", "world"]


def test_the_knowledge_base_is_mounted():
    assert open("/data/kb.jsonl", encoding="utf-8").readline().startswith("{")


def test_a_wrong_expectation():
    assert json.loads("[1, 2]") == [1, 2, 3]
"""


def upload(assignment, files: dict[str, str]) -> Submission:  # type: ignore[no-untyped-def]
    archive = SimpleUploadedFile("service.zip", zip_bytes(files), content_type="application/zip")
    return services.submission_upload(assignment=assignment, upload=archive)


def keyword_with_tests(tests: str) -> dict[str, str]:
    folder = REFERENCES / "keyword"
    files = {path.name: path.read_text() for path in folder.iterdir() if path.is_file()}
    return {**files, "tests/test_app.py": tests}


def job_of_tests(submission: Submission) -> SandboxJobRecord:
    return SandboxJobRecord.objects.get(key=static_checks.tests_job_key(submission.pk))


@pytest.mark.django_db(transaction=True)
def test_three_passing_and_one_failing_test_are_counted_and_the_service_is_graded(
    celery_worker, rag_task, recruiter
) -> None:  # type: ignore[no-untyped-def]
    # given the keyword reference with four tests of its own, one of them wrong
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)

    # when it is uploaded and graded
    submission = upload(assignment, keyword_with_tests(FOUR_TESTS))
    hidden = wait_graded(submission, seconds=300)

    # then the counts are exact, the output is kept, and both runs went ahead
    submission.refresh_from_db()
    tests = submission.static_checks["tests"]
    assert tests["status"] == "ran"
    assert (tests["passed"], tests["failed"], tests["errors"], tests["skipped"], tests["empty"]) == (3, 1, 0, 0, 0)
    assert tests["value"] == 0.75
    assert "FAILED tests/test_app.py::test_a_wrong_expectation" in tests["output"]
    job = job_of_tests(submission)
    assert (job.kind, job.state, job.notify) == (JobKind.COMMAND, JobState.DONE, static_checks.TESTS_DONE_TASK)
    assert job.spec["data"] == hidden.sandbox_job.spec["data"]  # /data as the service sees it
    assert job.spec["environment"]["PYTHONDONTWRITEBYTECODE"] == "1"
    public = GradingRun.objects.get(submission=submission, purpose="public")
    assert (public.verdict, hidden.verdict) == ("ok", "ok")
    assert public.sandbox_job.created_at >= job.finished_at  # the public run waited for the tests
    assert leftovers() == []


@pytest.fixture
def tests_limit_of_five_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read by the worker started after it (request it before celery_worker)."""
    monkeypatch.setenv("TAKEHOME_TESTS_SECONDS", "5")


@pytest.mark.django_db(transaction=True)
def test_endless_tests_time_out_and_the_public_run_still_starts(
    tests_limit_of_five_seconds, celery_worker, rag_task, recruiter
) -> None:  # type: ignore[no-untyped-def]
    # given a service whose only test never ends
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    files = {"start.sh": NEVER_STARTS, "tests/test_loop.py": "def test_forever():\n    while True:\n        pass\n"}

    # when it is uploaded
    submission = upload(assignment, files)
    wait_graded(submission)

    # then the tests timed out, earn nothing, and the grading went on
    submission.refresh_from_db()
    assert submission.static_checks["tests"]["status"] == "timed_out"
    assert submission.static_checks["tests"]["value"] == 0.0
    assert job_of_tests(submission).verdict == "timed_out"
    assert GradingRun.objects.get(submission=submission, purpose="public").verdict == "failed_to_start"
    assert leftovers() == []


@pytest.mark.django_db(transaction=True)
def test_a_service_without_tests_has_no_tests(celery_worker, rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)

    submission = upload(assignment, {"start.sh": NEVER_STARTS, "app.py": "print('hi')\n"})
    wait_graded(submission)

    submission.refresh_from_db()
    assert submission.static_checks["tests"]["status"] == "no_tests"
    assert submission.static_checks["tests"]["value"] == 0.0
    assert submission.static_checks["score"] == pytest.approx(0.3)  # lint and size; no report, no tests


def prepared(rag_task, recruiter) -> Submission:  # type: ignore[no-untyped-def]
    """A submission unpacked in this process; nothing is sent to a worker (no commit)."""
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = upload(assignment, keyword_with_tests(FOUR_TESTS))
    services.submission_prepare(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


@pytest.mark.django_db
def test_a_platform_error_of_the_tests_job_costs_nothing_and_the_public_run_starts(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an unpacked submission whose tests job meets a real engine failure (its image is gone)
    submission = prepared(rag_task, recruiter)
    before = submission.static_checks["score"]
    job = job_of_tests(submission)
    SandboxJobRecord.objects.filter(pk=job.pk).update(spec={**job.spec, "image": "hiring-sandbox:missing"})
    public = GradingRun.objects.get(submission=submission, purpose="public")
    assert (public.state, public.sandbox_job) == (RunState.QUEUED, None)  # waiting for the tests

    # when the sandbox has tried every attempt and the notification arrives
    for _attempt in range(job.max_attempts):
        try:
            sandbox_job_execute(job_id=job.pk)
        except RetryLater:
            continue
    job.refresh_from_db()
    services.submission_tests_done(job_id=job.pk)

    # then the tests are "not run: platform error", left out of the score, and the public run started
    submission.refresh_from_db()
    assert (job.state, job.verdict, job.attempts) == (JobState.DONE, "infrastructure_error", job.max_attempts)
    assert submission.static_checks["tests"]["status"] == "platform_error"
    other_parts = 1 - PART_WEIGHTS["tests"]
    assert submission.static_checks["score"] == pytest.approx(round(before / other_parts, 4), abs=1e-4)
    public.refresh_from_db()
    assert public.state == RunState.RUNNING
    assert public.sandbox_job is not None
    assert public.sandbox_job.kind == JobKind.SERVICE
    assert [name for name in leftovers() if name.startswith(f"sandbox-{job.key}-")] == []  # others' may run


@pytest.mark.django_db
def test_a_second_notification_starts_nothing_more(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a finished tests job whose notification was handled
    submission = prepared(rag_task, recruiter)
    job = job_of_tests(submission)
    SandboxJobRecord.objects.filter(pk=job.pk).update(state=JobState.DONE, verdict="ok", result={"logs": ""})
    services.submission_tests_done(job_id=job.pk)
    started = GradingRun.objects.get(submission=submission, purpose="public").sandbox_job_id

    # when it arrives again
    again = services.submission_tests_done(job_id=job.pk)

    # then nothing moves: one public job
    assert again is None
    assert started is not None
    assert GradingRun.objects.get(submission=submission, purpose="public").sandbox_job_id == started
    assert SandboxJobRecord.objects.filter(kind=JobKind.SERVICE, key__startswith="takehome-run-").count() == 1


@pytest.mark.django_db
def test_the_sweep_resends_a_lost_tests_notification(rag_task, recruiter, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    # given a tests job done long ago whose notification never arrived
    submission = prepared(rag_task, recruiter)
    job = job_of_tests(submission)
    long_ago = timezone.now() - timedelta(hours=1)
    SandboxJobRecord.objects.filter(pk=job.pk).update(state=JobState.DONE, verdict="ok", finished_at=long_ago)

    # when the sweep runs
    with django_capture_on_commit_callbacks() as callbacks:
        swept = services.takehome_sweep()

    # then the notification is sent again, once
    assert swept["tests_resent"] == 1
    assert len(callbacks) == 1
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.READY


@pytest.mark.django_db
def test_the_sweep_leaves_a_recent_tests_job_alone(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    submission = prepared(rag_task, recruiter)
    SandboxJobRecord.objects.filter(key=static_checks.tests_job_key(submission.pk)).update(
        state=JobState.DONE, verdict="ok", finished_at=timezone.now()
    )

    assert services.takehome_sweep()["tests_resent"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "passed"), [("embedding", 3), ("hybrid", 5)])
def test_honest_references_earn_the_whole_static_component(rag_task, recruiter, name: str, passed: int) -> None:  # type: ignore[no-untyped-def]
    # given a reference with a report, clean code and tests of its own, unpacked
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = services.submission_upload(assignment=assignment, upload=reference_upload(name))
    services.submission_prepare(submission_id=submission.pk)
    job = SandboxJobRecord.objects.get(key=static_checks.tests_job_key(submission.pk))

    # when the sandbox runs its tests and the notification arrives
    sandbox_job_execute(job_id=job.pk)
    services.submission_tests_done(job_id=job.pk)

    # then every part earns its whole value
    submission.refresh_from_db()
    checks = submission.static_checks
    assert (checks["tests"]["status"], checks["tests"]["passed"], checks["tests"]["failed"]) == ("ran", passed, 0)
    assert checks["report"]["sections"] == {"approach": True, "metric": True, "next_steps": True}
    assert (checks["lint"]["total"], checks["size"]["ok"]) == (0, True)
    assert checks["score"] == 1.0
