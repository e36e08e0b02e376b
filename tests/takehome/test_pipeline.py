"""The grading pipeline end to end: a real Celery worker, the real Docker Engine
and the bundled task data. Uploads go through the same service as the web page."""

from __future__ import annotations

import pytest

from assessments.candidates.models import CandidateEvent
from assessments.takehome import services
from assessments.takehome.grading import GRADER_VERSION
from assessments.takehome.models import GradingRun, RunState, Submission
from sandbox import leftovers
from sandbox.image import image_tag
from tests.factories import CandidateFactory

from .conftest import KEYWORD_HIDDEN_SCORE, open_assignment, reference_upload, wait_graded

pytestmark = pytest.mark.django_db(transaction=True)


def test_keyword_reference_goes_through_public_and_hidden_runs(celery_worker, rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)

    submission = services.submission_upload(assignment=assignment, upload=reference_upload("keyword"))
    hidden = wait_graded(submission)

    submission.refresh_from_db()
    public = GradingRun.objects.get(submission=submission, purpose="public")
    assert submission.state == "ready"
    assert submission.start_command == ["sh", "start.sh"]
    assert {item["path"] for item in submission.files} == {"REPORT.md", "app.py", "start.sh"}
    assert (public.state, public.verdict) == (RunState.DONE, "ok")
    assert public.metrics["answerable"] == 10
    assert public.metrics["correct"] == sum(bool(q["correct"]) for q in public.questions)
    assert 0 < public.metrics["hit_at_1"] <= public.metrics["hit_at_5"]
    assert public.auto_score is None  # the public run is for the candidate, not the score
    assert (hidden.state, hidden.verdict) == (RunState.DONE, "ok")
    assert len(hidden.questions) == 100
    assert hidden.auto_score == KEYWORD_HIDDEN_SCORE
    assert sum(part["points"] for part in hidden.components.values()) == pytest.approx(hidden.auto_score, abs=0.1)
    # Each run keeps what produced it.
    for run in (public, hidden):
        assert (run.image, run.grader_version, run.dataset_id) == (image_tag(), GRADER_VERSION, rag_task.dataset_id)
        assert run.sandbox_job is not None
        assert run.sandbox_job.verdict == "ok"
    # The hidden questions went to the sandbox without their reference answers.
    assert all(set(q) == {"id", "question"} for q in hidden.sandbox_job.spec["questions"])
    assert "hidden" not in hidden.sandbox_job.spec["data"]
    assert CandidateEvent.objects.filter(candidate=assignment.candidate, kind="takehome_submitted").count() == 1
    assert leftovers() == []


def test_regrade_adds_a_hidden_run_and_keeps_the_first(celery_worker, rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = services.submission_upload(assignment=assignment, upload=reference_upload("random"))
    first = wait_graded(submission)

    second = services.submission_regrade(actor=recruiter, submission=submission)
    regraded = wait_graded(submission)

    assert regraded.pk == second.pk != first.pk
    assert (regraded.requested_by, regraded.verdict) == (recruiter, "ok")
    first.refresh_from_db()
    assert first.auto_score is not None  # the first run is kept as it was
    assert first.verdict == "ok"
    assert GradingRun.objects.filter(submission=submission, purpose="public").count() == 1


def test_a_service_that_never_starts_is_not_run_on_the_hidden_set(celery_worker, rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import zip_bytes

    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    archive = zip_bytes({"start.sh": "echo 'cannot find my model' >&2; exit 3\n", "REPORT.md": "short"})
    submission = services.submission_upload(
        assignment=assignment, upload=SimpleUploadedFile("broken.zip", archive, content_type="application/zip")
    )
    hidden = wait_graded(submission)

    public = GradingRun.objects.get(submission=submission, purpose="public")
    assert public.verdict == "failed_to_start"
    assert "cannot find my model" in public.logs  # the candidate sees why
    assert hidden.sandbox_job is None
    assert hidden.detail.startswith("not run")
    assert hidden.auto_score is not None
    assert hidden.auto_score < 5
    assert Submission.objects.get(pk=submission.pk).state == "ready"
