"""Erasing a candidate's personal data on request: nothing of theirs is left in
any table or under MEDIA_ROOT, every score and statistic stays the same, the
record is frozen, and a failure half-way changes nothing."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any
from unittest import mock

import docker
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.candidates import erasure
from assessments.candidates.erasure import Redactor, candidate_erase
from assessments.candidates.models import Candidate, CandidateEvent, EventKind
from assessments.candidates.services import candidate_change_stage, candidate_update, candidate_upload_resume
from assessments.interviews.evaluation import candidate_evaluation, candidate_score_refresh
from assessments.interviews.models import Scorecard
from assessments.screening.models import Screening, ScreeningFlag
from assessments.screening.selectors import screening_summary
from assessments.screening.services import screening_decide
from assessments.takehome.models import Assignment, GradingRun, Submission, TakeHomeReview
from assessments.takehome.selectors import assignment_result
from assessments.takehome.services import assignment_issue
from hiring_platform.audit.models import AuditAction, AuditEvent
from hiring_platform.errors import ApplicationError, ConflictError
from hiring_platform.web.charts import score_distribution
from sandbox.image import image_tag
from sandbox.models import SandboxAttempt, SandboxJobRecord
from sandbox.reaper import LABEL
from tests.factories import CandidateFactory

from .files import upload

NAME = "Zoya Quintanilla-Brandt"
EMAIL = "zoya.quintanilla@example.org"
PHONE = "+44 20 7946 0958"


def tables_mentioning(text: str) -> list[str]:
    """Every "table.column" of the database (text and JSON columns) holding `text`, any case."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'json', 'jsonb') ORDER BY table_name, column_name"
        )
        for table, column in cursor.fetchall():
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT count(*) FROM {quote(table)} WHERE {quote(column)}::text ILIKE %s", [pattern])  # noqa: S608
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def files_under(media: Path) -> list[str]:
    """Files under MEDIA_ROOT other than the task's data (which belongs to no candidate)."""
    return sorted(
        path.relative_to(media).as_posix()
        for path in media.rglob("*")
        if path.is_file() and "taskdata" not in path.parts
    )


def personal_footprint(candidate: Candidate, recruiter: Any, admin_user: Any, media: Path) -> dict[str, Any]:
    """Give the evaluated candidate everything personal the platform can hold:
    details and timeline, a resume and its screening, a take-home with files,
    logs, answers and a sandbox job, notes and reasons naming them, admin history."""
    candidate_update(
        actor=recruiter,
        candidate=candidate,
        full_name=NAME,
        email=EMAIL,
        phone=PHONE,
        profile_url="https://github.com/zoyaqb",
        notes="Met Zoya at PyCon; prefers remote work.",
    )
    candidate_upload_resume(
        actor=recruiter,
        candidate=candidate,
        upload=upload("Quintanilla CV.txt", f"{NAME}\n{EMAIL}\nPython, Kubernetes".encode(), "text/plain"),
    )
    candidate_change_stage(actor=recruiter, candidate=candidate, to_stage="interviews", reason="Zoya asked for a week")
    candidate.refresh_from_db()
    screening = Screening.objects.get(candidate=candidate)
    Screening.objects.filter(pk=screening.pk).update(resume_text=f"{NAME}\n{EMAIL}", resume_name="Quintanilla CV.txt")
    ScreeningFlag.objects.filter(screening=screening).update(
        evidence=[{"quote": EMAIL, "start": 10, "end": 38, "line": 2, "rule": "contact"}], note="Zoya links code"
    )
    screening_decide(actor=recruiter, screening=screening, decision="advance", reason=f"{NAME} fits the role")

    submission = Submission.objects.get(assignment__candidate=candidate)
    archive = media / "takehome" / "submissions" / str(submission.assignment_id) / "1" / "archive.zip"
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"PK\x03\x04 zoya's code")
    workspace = media / "takehome" / "workspaces" / str(submission.pk)
    (workspace / "tests").mkdir(parents=True)
    (workspace / "REPORT.md").write_text(f"# Report by {NAME}")
    (workspace / "tests" / "test_quintanilla.py").write_text("def test(): pass\n")
    files = [{"path": "REPORT.md", "size": 30}, {"path": "tests/test_quintanilla.py", "size": 17}]
    Submission.objects.filter(pk=submission.pk).update(
        archive=archive.relative_to(media).as_posix(),
        archive_name="quintanilla-solution.zip",
        workspace=workspace.relative_to(media).as_posix(),
        files=files,
        report=f"# Report by {NAME}\nContact: {EMAIL}",
        start_command=["sh", "-c", "python zoya_server.py"],
        static_checks={"report": True, "tests": True, "test_files": ["tests/test_quintanilla.py"], "score": 0.67},
    )
    run = GradingRun.objects.get(submission=submission)
    job = SandboxJobRecord.objects.create(
        key=f"takehome-run-{run.pk}",
        kind="service",
        spec={"command": ["sh", "-c", "python zoya_server.py"], "workspace": str(workspace), "questions": []},
        state="done",
        verdict="ok",
        result={"verdict": "ok", "logs": f"serving for {EMAIL}", "answers": [{"id": "q1", "answer": NAME}]},
    )
    SandboxAttempt.objects.create(job=job, number=1, verdict="ok", detail=f"finished ({NAME})")
    GradingRun.objects.filter(pk=run.pk).update(
        sandbox_job=job,
        logs=f"Starting Zoya's service for {EMAIL}",
        questions=[{"id": "q1", "kind": "exact", "status": "ok", "answer": f"Signed, {NAME}", "sources": ["kb-1"],
                    "similarity": 0.9, "correct": True}],
    )  # fmt: skip
    TakeHomeReview.objects.create(
        assignment=submission.assignment, reviewer=recruiter, code_quality=3, tool_choice=3, evaluation_quality=2,
        report_quality=4, notes="Zoya's tests are thin",
    )  # fmt: skip
    Scorecard.objects.filter(interview__candidate=candidate).update(justification=f"{NAME} explained retries well.")
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[candidate, submission.assignment], action_flag=CHANGE, change_message="Fixed."
    )
    return {"submission": submission, "run": run, "job": job, "screening": screening}


def statistics(candidate: Candidate, user: Any) -> dict[str, Any]:
    """What the dashboard, the pipeline export and the evaluation show of the candidate."""
    score = candidate_score_refresh(candidate_id=candidate.pk)
    assert score is not None
    assignment = Assignment.objects.get(candidate=candidate)
    return {
        "stored": (score.overall, score.stages, score.competencies, score.recommendations),
        "overall": candidate_evaluation(candidate).overall,
        "distribution": score_distribution(user),
        "screening": screening_summary(Screening.objects.get(candidate=candidate)).score,
        "takehome": assignment_result(assignment).combined,
        "stage": Candidate.objects.values_list("stage", "role", "level", "created_at").get(pk=candidate.pk),
        "ratings": list(Scorecard.objects.filter(interview__candidate=candidate).values_list("answers", flat=True)),
    }


@pytest.fixture
def footprint(evaluated, recruiter, admin_user, settings) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    candidate, _plan = evaluated
    return {"candidate": candidate, **personal_footprint(candidate, recruiter, admin_user, Path(settings.MEDIA_ROOT))}


@pytest.mark.django_db
def test_after_erasure_no_table_holds_the_name_or_the_email(
    footprint, recruiter, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    candidate = footprint["candidate"]
    before = {needle: tables_mentioning(needle) for needle in (NAME, EMAIL, "Quintanilla", "Zoya")}
    assert {"candidates_candidate.full_name", "candidates_candidateevent.after", "screening_screening.resume_text",
            "screening_screeningflag.evidence", "takehome_submission.report", "takehome_gradingrun.logs",
            "sandbox_sandboxjobrecord.result", "interviews_scorecard.justification",
            "django_admin_log.object_repr"} <= set(before[NAME] + before[EMAIL])  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(actor=recruiter, candidate=candidate, reason=f"{NAME} asked us by e-mail ({EMAIL})")

    after = {needle: tables_mentioning(needle) for needle in (NAME, EMAIL, "Quintanilla", "Zoya", PHONE, "zoyaqb")}
    assert after == {needle: [] for needle in after}
    candidate.refresh_from_db()
    assert (candidate.full_name, candidate.email, candidate.phone, candidate.notes) == (
        f"Erased candidate #{candidate.pk}",
        "",
        "",
        "",
    )
    assert candidate.erased_at is not None
    erased = candidate.events.get(kind=EventKind.ERASED)
    assert erased.reason == "[erased] asked us by e-mail ([erased])"
    (entry,) = AuditEvent.objects.filter(action=AuditAction.CANDIDATE_ERASED)
    assert (entry.actor_username, entry.target_label) == ("rita", f"Candidate #{candidate.pk}")
    assert entry.detail == {"files": 3, "sandbox_jobs": 1}  # the resume, the archive, the workspace folder


@pytest.mark.django_db
def test_team_notes_keep_their_words_with_the_candidate_replaced(footprint, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = footprint["candidate"]

    candidate_erase(actor=recruiter, candidate=candidate, reason="Request")

    stage_change = candidate.events.get(kind=EventKind.STAGE_CHANGED, after__stage="interviews")
    assert stage_change.reason == "[erased] asked for a week"
    updated = candidate.events.get(kind=EventKind.UPDATED)
    assert updated.after["full_name"] == "[erased]"
    assert updated.after["email"] == "[erased]"
    assert ScreeningFlag.objects.get(screening__candidate=candidate).evidence == [
        {"quote": "", "start": 10, "end": 38, "line": 2, "rule": "contact"}
    ]
    assert set(Scorecard.objects.filter(interview__candidate=candidate).values_list("justification", flat=True)) == {
        "[erased] explained retries well."
    }


@pytest.mark.django_db
def test_erasure_deletes_the_candidates_files_once_committed(
    footprint, recruiter, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    media = Path(settings.MEDIA_ROOT)
    before = files_under(media)
    assert len(before) == 4  # resume, archive, two workspace files
    assert any(path.startswith("resumes/") for path in before)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        candidate_erase(actor=recruiter, candidate=footprint["candidate"], reason="Request")
    assert files_under(media) == before  # nothing deleted before the commit
    for callback in callbacks:
        callback()

    assert files_under(media) == []
    assert sorted(path.relative_to(media).as_posix() for path in (media / "resumes").iterdir()) == []
    assert (media / "taskdata").is_dir()  # the task's own data is not the candidate's


@pytest.mark.django_db
def test_erasure_keeps_every_score_and_statistic(footprint, recruiter, admin_user) -> None:  # type: ignore[no-untyped-def]
    candidate = footprint["candidate"]
    before = statistics(candidate, admin_user)
    assert before["overall"] is not None
    assert before["distribution"][0].scored >= 1

    candidate_erase(actor=recruiter, candidate=candidate, reason="Request")

    assert statistics(candidate, admin_user) == before
    run = GradingRun.objects.get(pk=footprint["run"].pk)
    assert (run.auto_score, run.questions[0]["similarity"], run.questions[0]["correct"]) == (80.0, 0.9, True)
    assert run.logs == ""
    assert run.questions[0]["answer"] == ""


@pytest.mark.django_db
def test_an_erased_candidate_cannot_be_changed_nor_erased_again(footprint, recruiter, rag_task) -> None:  # type: ignore[no-untyped-def]
    candidate = footprint["candidate"]
    candidate_erase(actor=recruiter, candidate=candidate, reason="Request")
    events = candidate.events.count()

    attempts = [
        lambda: candidate_update(actor=recruiter, candidate=candidate, full_name="Someone Else"),
        lambda: candidate_change_stage(actor=recruiter, candidate=candidate, to_stage="rejected", reason="x"),
        lambda: candidate_upload_resume(
            actor=recruiter, candidate=candidate, upload=upload("cv.txt", b"x", "text/plain")
        ),
        lambda: assignment_issue(actor=recruiter, task=rag_task, candidate=candidate, time_mode="window"),
    ]
    codes = []
    for attempt in attempts:
        with pytest.raises(ConflictError) as caught:
            attempt()
        codes.append(caught.value.code)
    with pytest.raises(ConflictError) as again:
        candidate_erase(actor=recruiter, candidate=candidate, reason="Request")

    assert codes == ["candidates.erased"] * 4
    assert again.value.code == "candidates.already_erased"
    candidate.refresh_from_db()
    assert candidate.full_name == f"Erased candidate #{candidate.pk}"
    assert candidate.events.count() == events
    assert AuditEvent.objects.filter(action=AuditAction.CANDIDATE_ERASED).count() == 1
    assert not Assignment.objects.filter(candidate=candidate, revoked_at=None).exists()  # its link no longer works


@pytest.mark.django_db
def test_a_failure_half_way_leaves_everything_as_it_was(
    footprint, recruiter, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    candidate = footprint["candidate"]
    media = Path(settings.MEDIA_ROOT)
    tables_before, files_before = tables_mentioning(NAME), files_under(media)
    events_before = list(CandidateEvent.objects.filter(candidate=candidate).values_list("after", "reason"))

    with (
        mock.patch.object(erasure, "_scrub_scorecards", side_effect=RuntimeError("disk on fire")),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="disk on fire"),
    ):
        candidate_erase(actor=recruiter, candidate=candidate, reason="Request")

    assert callbacks == []
    candidate.refresh_from_db()
    assert (candidate.full_name, candidate.email, candidate.erased_at) == (NAME, EMAIL, None)
    assert tables_mentioning(NAME) == tables_before
    assert files_under(media) == files_before
    assert list(CandidateEvent.objects.filter(candidate=candidate).values_list("after", "reason")) == events_before
    assert not AuditEvent.objects.filter(action=AuditAction.CANDIDATE_ERASED).exists()
    assert Assignment.objects.filter(candidate=candidate, revoked_at=None).exists()


@pytest.mark.django_db
def test_erasure_waits_for_a_take_home_run_in_progress(footprint, recruiter) -> None:  # type: ignore[no-untyped-def]
    GradingRun.objects.create(
        submission=footprint["submission"], purpose="hidden", state="running", dataset=footprint["run"].dataset,
        grader_version="t",
    )  # fmt: skip

    with pytest.raises(ConflictError) as caught:
        candidate_erase(actor=recruiter, candidate=footprint["candidate"], reason="Request")

    assert caught.value.code == "candidates.erase_busy"
    assert Candidate.objects.get(pk=footprint["candidate"].pk).erased_at is None


@pytest.mark.django_db
def test_erasure_needs_a_reason(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    with pytest.raises(ApplicationError) as caught:
        candidate_erase(actor=recruiter, candidate=candidate, reason="  ")

    assert (caught.value.code, caught.value.extra) == ("candidates.erase_reason_required", {"field": "reason"})


@pytest.mark.django_db
def test_the_candidate_page_erases_only_after_the_name_is_typed(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, full_name=NAME, email=EMAIL)
    client = Client()
    client.force_login(recruiter)
    url = reverse("candidates:erase", args=[candidate.pk])

    page = client.get(reverse("candidates:detail", args=[candidate.pk]))
    wrong = client.post(url, {"reason": "Asked by e-mail", "confirm_name": "Zoya"})
    right = client.post(url, {"reason": "Asked by e-mail", "confirm_name": "  zoya  quintanilla-brandt "})
    after = client.get(reverse("candidates:detail", args=[candidate.pk]))

    assert 'id="erase-form"' in page.content.decode()
    assert wrong.status_code == 400
    assert wrong.context["erase_form"].errors == {"confirm_name": ["The name does not match."]}
    assert right.status_code == 302
    candidate.refresh_from_db()
    assert candidate.erased_at is not None
    assert 'id="erased-notice"' in after.content.decode()
    assert 'id="erase-form"' not in after.content.decode()
    assert reverse("candidates:edit", args=[candidate.pk]) not in after.content.decode()


@pytest.mark.django_db
def test_editing_an_erased_candidate_on_its_page_shows_why_it_is_refused(recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)
    candidate_erase(actor=recruiter, candidate=candidate, reason="Request")
    client = Client()
    client.force_login(recruiter)

    response = client.post(
        reverse("candidates:edit", args=[candidate.pk]),
        {
            "full_name": "Back Again",
            "role": candidate.role,
            "level": candidate.level,
            "source": "other",
            "owner": recruiter.pk,
        },
    )

    assert response.status_code == 400
    assert "personal data was erased" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).full_name == f"Erased candidate #{candidate.pk}"


@pytest.mark.django_db
def test_the_api_erases_and_then_refuses_changes(recruiter_api, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter, full_name=NAME, email=EMAIL)

    missing = recruiter_api.post(reverse("api:candidates-api:erase", args=[candidate.pk]), {}, format="json")
    erased = recruiter_api.post(
        reverse("api:candidates-api:erase", args=[candidate.pk]), {"reason": "Asked by e-mail"}, format="json"
    )
    patch = recruiter_api.patch(
        reverse("api:candidates-api:update", args=[candidate.pk]), {"notes": "again"}, format="json"
    )
    again = recruiter_api.post(
        reverse("api:candidates-api:erase", args=[candidate.pk]), {"reason": "Asked by e-mail"}, format="json"
    )

    assert missing.status_code == 400
    assert erased.status_code == 200
    assert (erased.json()["full_name"], erased.json()["email"]) == (f"Erased candidate #{candidate.pk}", "")
    assert erased.json()["erased_at"] is not None
    assert (patch.status_code, patch.json()["code"]) == (409, "candidates.erased")
    assert (again.status_code, again.json()["code"]) == (409, "candidates.already_erased")


@pytest.mark.django_db
def test_hiring_managers_cannot_erase(hiring_manager, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)
    client = APIClient()
    client.force_authenticate(hiring_manager)

    response = client.post(reverse("api:candidates-api:erase", args=[candidate.pk]), {"reason": "x"}, format="json")

    assert response.status_code == 403
    assert Candidate.objects.get(pk=candidate.pk).erased_at is None


def test_the_redactor_replaces_whole_words_in_any_case_and_leaves_the_rest() -> None:
    candidate = Candidate(full_name="Li Zoya-Ann", email="z@x.org", phone="", profile_url="")
    redact = Redactor.for_candidate(candidate)

    text = redact.text("ZOYA-ANN and zoya met Li (z@x.org); Zoyana, Ann and Annika stay; li-ion too.")

    # "Li" alone is too short to be told from other words; in the full name it goes.
    assert text == "[erased]-[erased] and [erased] met Li ([erased]); Zoyana, [erased] and Annika stay; li-ion too."
    assert redact.json({"notes": "Li Zoya-Ann", "rating": 3, "tags": ["zoya"]}) == {
        "notes": "[erased]",
        "rating": 3,
        "tags": ["[erased]"],
    }


@pytest.mark.django_db(transaction=True)
def test_erasure_has_the_sandbox_worker_remove_a_container_left_by_the_candidates_job(
    celery_worker, recruiter, rag_task
) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)
    assignment, _token = assignment_issue(actor=recruiter, task=rag_task, candidate=candidate, time_mode="window")
    submission = Submission.objects.create(
        assignment=assignment, number=1, archive="", archive_name="a.zip", archive_size=1, sha256="0", state="ready"
    )
    job = SandboxJobRecord.objects.create(key="erase-test-job", kind="service", spec={}, state="done", verdict="ok")
    GradingRun.objects.create(
        submission=submission, purpose="public", state="done", verdict="ok", dataset=rag_task.dataset,
        grader_version="t", sandbox_job=job,
    )  # fmt: skip
    engine = docker.from_env()
    # A container a lost worker left behind, labelled like the runner's, with a far deadline.
    leftover = engine.containers.run(
        image_tag(), ["sleep", "600"], detach=True, network_mode="none",
        labels={LABEL: "1", f"{LABEL}.job": job.key, f"{LABEL}.deadline": str(int(time.time()) + 3600)},
    )  # fmt: skip
    try:
        with transaction.atomic():
            candidate_erase(actor=recruiter, candidate=candidate, reason="Request")

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and engine.containers.list(all=True, filters={"id": leftover.id}):
            time.sleep(0.5)
        assert engine.containers.list(all=True, filters={"id": leftover.id}) == []
    finally:
        with contextlib.suppress(docker.errors.NotFound):
            leftover.remove(force=True)
