"""The take-home pages without a worker: what a link opens, what the candidate
never sees, anonymous review, and candidate content shown as untrusted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.takehome import services
from assessments.takehome.models import Assignment, GradingRun, Submission
from hiring_platform.request_log import loggable_path
from tests.factories import CandidateFactory

from .conftest import open_assignment

pytestmark = pytest.mark.django_db


def _graded_submission(assignment: Assignment, report: str = "# Approach\nBM25.") -> Submission:
    """A submission as the pipeline leaves it: a public and a hidden run done."""
    submission = Submission.objects.create(
        assignment=assignment, number=1, archive="x.zip", archive_name="x.zip", archive_size=1, sha256="0",
        state="ready", report=report,
    )  # fmt: skip
    common = {"submission": submission, "state": "done", "verdict": "ok", "dataset": assignment.task.dataset}
    GradingRun.objects.create(
        purpose="public", metrics={"correct": 7, "answerable": 10}, logs="public log line", grader_version="t", **common
    )
    GradingRun.objects.create(
        purpose="hidden", auto_score=87.6, logs="SECRET-HIDDEN-LOG", grader_version="t",
        questions=[{"id": "h-001", "kind": "exact", "status": "ok", "answer": "<script>alert(1)</script>",
                    "sources": [], "correct": False, "similarity": 0.1, "token_f1": 0.0, "refused": False,
                    "resisted": None, "latency_ms": 3}],
        **common,
    )  # fmt: skip
    return submission


def test_a_wrong_link_gets_a_clear_404_and_an_expired_one_410(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, token = open_assignment(rag_task, CandidateFactory(), recruiter)
    client = Client()

    wrong = client.get(reverse("takehome-candidate:task", args=["x" * 43]))
    Assignment.objects.filter(pk=assignment.pk).update(opened_at=timezone.now() - timedelta(hours=100))
    expired = client.get(reverse("takehome-candidate:task", args=[token]))

    assert wrong.status_code == 404
    assert "does not work" in wrong.content.decode()
    assert expired.status_code == 410
    assert "extra time" in expired.content.decode()


def test_a_revoked_link_opens_nothing_and_accepts_no_upload(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, token = open_assignment(rag_task, CandidateFactory(), recruiter)
    services.assignment_revoke(actor=recruiter, assignment=assignment)

    page = Client().get(reverse("takehome-candidate:task", args=[token]))
    upload = Client().post(reverse("takehome-candidate:upload", args=[token]), {})

    assert (page.status_code, upload.status_code) == (410, 410)
    assert Submission.objects.count() == 0


def test_the_candidate_sees_the_public_run_but_never_the_hidden_one(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, token = open_assignment(rag_task, CandidateFactory(), recruiter)
    _graded_submission(assignment)

    page = Client().get(reverse("takehome-candidate:task", args=[token])).content.decode()
    status = Client().get(reverse("takehome-candidate:status", args=[token])).json()

    assert "public log line" in page
    assert "7 / 10" in page
    assert "SECRET-HIDDEN-LOG" not in page
    assert "87.6" not in page
    assert status == {
        "submissions": [{"number": 1, "step": "done", "label": "Finished", "percent": 100, "done": True}],
        "all_done": True,
    }
    assert "87.6" not in str(status)


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(rag_task, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TAKEHOME_ARCHIVE_MAX_BYTES = 1000
    _, token = open_assignment(rag_task, CandidateFactory(), recruiter)

    response = Client().post(
        reverse("takehome-candidate:upload", args=[token]),
        data=b"x" * 200_000,
        content_type="multipart/form-data; boundary=zz",
    )

    assert response.status_code == 413
    assert "larger than the limit" in response.content.decode()
    assert Submission.objects.count() == 0


def test_candidate_answers_and_report_are_shown_as_inert_text(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = _graded_submission(
        assignment, report="# Plan\n<script>steal()</script>\n![x](http://evil.example/p.png)"
    )
    hidden = submission.runs.get(purpose="hidden")
    client = Client()
    client.force_login(recruiter)

    run_page = client.get(reverse("takehome:run", args=[hidden.pk])).content.decode()
    submission_page = client.get(reverse("takehome:submission", args=[submission.pk])).content.decode()

    assert "<script>alert(1)</script>" not in run_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in run_page
    assert "<script>steal()" not in submission_page
    assert "<img" not in submission_page  # a remote image would tell the candidate who reads the report
    assert "evil.example" not in submission_page
    assert "<h1>Plan</h1>" in submission_page


def test_anonymous_review_hides_the_name_until_the_reviewer_has_scored(rag_task, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    rag_task.anonymous_review = True
    rag_task.save()
    candidate = CandidateFactory(full_name="Zinaida Unique-Name", interviewers=[interviewer])
    assignment, _ = open_assignment(rag_task, candidate, recruiter)
    _graded_submission(assignment)
    client = Client()
    client.force_login(interviewer)
    url = reverse("takehome:assignment", args=[assignment.pk])

    before = client.get(url).content.decode()
    api_before = client.get(reverse("api:takehome-api:assignment-detail", args=[assignment.pk])).json()
    client.post(
        reverse("takehome:assignment_review", args=[assignment.pk]),
        {"code_quality": 3, "tool_choice": 2, "evaluation_quality": 4, "report_quality": 3, "notes": "clear"},
    )
    after = client.get(url).content.decode()

    assert "Zinaida Unique-Name" not in before
    assert f"Candidate #{assignment.pk:04d}" in before
    assert api_before["candidate"] == {"id": None, "name": f"Candidate #{assignment.pk:04d}"}
    assert "Zinaida Unique-Name" in after


def test_an_interviewer_sees_only_take_homes_of_candidates_assigned_to_them(rag_task, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    mine, _ = open_assignment(rag_task, CandidateFactory(interviewers=[interviewer]), recruiter)
    other, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    client = Client()
    client.force_login(interviewer)

    assert client.get(reverse("takehome:assignment", args=[mine.pk])).status_code == 200
    assert client.get(reverse("takehome:assignment", args=[other.pk])).status_code == 403
    assert client.get(reverse("takehome:task", args=[rag_task.pk])).status_code == 403  # the comparison of everyone


def test_the_combined_score_mixes_auto_score_and_reviews(rag_task, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    from assessments.takehome import selectors

    assignment, _ = open_assignment(rag_task, CandidateFactory(interviewers=[interviewer]), recruiter)
    _graded_submission(assignment)
    alone = selectors.assignment_result(assignment)
    services.review_submit(
        actor=interviewer,
        assignment=assignment,
        ratings={"code_quality": 4, "tool_choice": 4, "evaluation_quality": 4, "report_quality": 1},
    )
    reviewed = selectors.assignment_result(assignment)

    assert (alone.auto_score, alone.manual_score, alone.combined) == (87.6, None, 87.6)
    assert reviewed.manual_score == 75.0  # mean rating 3.25 of 1..4
    assert reviewed.combined == round(0.6 * 87.6 + 0.4 * 75.0, 1)


def test_the_secret_link_never_reaches_the_request_log() -> None:
    assert loggable_path("/t/abcDEF123_-/upload/") == "/t/<link>/upload/"
    assert loggable_path("/takehome/assignments/3/") == "/takehome/assignments/3/"


def _data_files(**replace: bytes) -> dict[str, object]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import TASK_DATA

    files = {
        "kb": (TASK_DATA / "kb.jsonl").read_bytes(),
        "public_questions": (TASK_DATA / "public_questions.jsonl").read_bytes(),
        "hidden_questions": (TASK_DATA / "hidden" / "hidden_questions.jsonl").read_bytes(),
        **replace,
    }
    return {name: SimpleUploadedFile(f"{name}.jsonl", content) for name, content in files.items()}


def test_new_task_data_from_the_web_is_validated_and_versioned(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    from assessments.takehome.models import TaskDataset

    client = Client()
    client.force_login(recruiter)
    url = reverse("takehome:task_data", args=[rag_task.pk])
    broken_kb = b'{"id": "kb-1", "question": "q"}\n'

    refused = client.post(url, _data_files(kb=broken_kb))
    rag_task.refresh_from_db()
    versions_after_refusal = TaskDataset.objects.count()
    extra = b'{"id": "kb-new-0001", "question": "New?", "answer": "A new entry.", "lang": "en"}\n'
    kb = _kb_bytes() + extra
    accepted = client.post(url, _data_files(kb=kb))
    old_version = rag_task.dataset_id
    rag_task.refresh_from_db()

    assert refused.status_code == 400
    assert "kb.jsonl" in refused.content.decode()  # the message names the file (and line)
    assert versions_after_refusal == 1
    assert accepted.status_code == 302
    assert rag_task.dataset_id != old_version
    assert rag_task.dataset.kb_count == kb.count(b"\n")


def _kb_bytes() -> bytes:
    from .conftest import TASK_DATA

    return (TASK_DATA / "kb.jsonl").read_bytes()


def test_the_task_page_compares_candidates_best_first(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    weaker, _ = open_assignment(rag_task, CandidateFactory(full_name="Weaker One"), recruiter)
    stronger, _ = open_assignment(rag_task, CandidateFactory(full_name="Stronger One"), recruiter)
    _graded_submission(weaker)
    _graded_submission(stronger)
    GradingRun.objects.filter(submission__assignment=weaker, purpose="hidden").update(auto_score=40.0)
    client = Client()
    client.force_login(recruiter)

    page = client.get(reverse("takehome:task", args=[rag_task.pk])).content.decode()

    table = page.split('id="comparison"')[1]
    assert table.index("Stronger One") < table.index("Weaker One")
    assert "87.6" in table
    assert "40.0" in table


def test_the_upload_page_shows_the_static_checks_with_candidate_text_escaped(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an upload whose checks hold hostile test output and lint text
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = _graded_submission(assignment)
    Submission.objects.filter(pk=submission.pk).update(static_checks={
        "report": {"present": True, "sections": {"approach": True, "metric": False, "next_steps": True},
                   "metric_figure": False, "metric_figure_line": "", "words": 42, "value": 0.5},
        "tests": {"status": "ran", "passed": 3, "failed": 1, "errors": 0, "skipped": 2, "empty": 0, "seconds": 1.5,
                  "output": "FAILED test_x <script>tests()</script>", "output_truncated": False, "value": 0.75},
        "lint": {"status": "ok", "total": 2, "by_rule": {"F401": 1, "S307": 1}, "python_lines": 40, "value": 1.0,
                 "findings": [{"file": "<b>app.py</b>", "line": 3, "code": "S307", "message": "Use of eval <i>"}]},
        "size": {"ok": True, "bytes": 2048, "files": 4, "value": 1.0},
        "score": 0.8,
    })  # fmt: skip
    client = Client()
    client.force_login(recruiter)

    # when the reviewer opens the upload
    page = client.get(reverse("takehome:submission", args=[submission.pk])).content.decode()

    # then sections, counts and findings are there, the candidate's text escaped
    assert "Approach: found" in page
    assert "Metric on the public questions: missing" in page
    assert "3 passed, 1 failed, 0 errors, 2 skipped" in page
    assert "&lt;script&gt;tests()&lt;/script&gt;" in page
    assert "<script>tests()" not in page
    assert "2 findings" in page
    assert "<code>F401</code> × 1" in page
    assert "&lt;b&gt;app.py&lt;/b&gt;" in page
    assert "Use of eval &lt;i&gt;" in page
    assert "80%" in page


@pytest.mark.parametrize(
    ("tests", "shown"),
    [
        ({"status": "platform_error", "value": 0.0}, "not run: platform error (not counted)"),
        ({"status": "no_tests", "value": 0.0}, "no tests"),
        ({"status": "timed_out", "value": 0.0}, "timed out"),
    ],
)
def test_tests_that_did_not_run_say_why(rag_task, recruiter, tests: dict[str, object], shown: str) -> None:  # type: ignore[no-untyped-def]
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    submission = _graded_submission(assignment)
    Submission.objects.filter(pk=submission.pk).update(static_checks={"tests": tests, "score": 0.0})
    client = Client()
    client.force_login(recruiter)

    page = client.get(reverse("takehome:submission", args=[submission.pk])).content.decode()

    assert shown in page
