"""Every URL pattern of the project, every role, the expected answer.

The test walks the URL configuration; a pattern that has no row in MATRIX
(and is not under the admin site, which has its own rule) fails the test, so
a new endpoint cannot ship without an explicit authorization rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from assessments.candidates.models import Candidate
from assessments.interviews.models import Plan
from assessments.interviews.scorecards import scorecard_open, scorecard_submit
from assessments.interviews.services import interview_schedule, plan_copy
from assessments.questionbank.models import Question, Topic
from assessments.screening.models import Checklist, Screening, ScreeningFlag
from assessments.takehome.models import GradingRun, SimilarityFlag, Submission, TakeHomeTask
from assessments.takehome.services import assignment_issue
from hiring_platform.accounts.roles import Role
from sandbox.models import SandboxJobRecord
from tests.conftest import ROLES, ROOT
from tests.factories import CandidateFactory, UserFactory
from tests.interviews.scoring import complete

ANON, REC, INT, HM, ADM = ROLES


def walk(resolver: URLResolver, namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else ""), prefix + str(pattern.pattern)


@dataclass
class Row:
    method: str
    expected: dict[str, int]
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda ctx: {}
    data: Callable[[dict[str, Any]], dict[str, Any]] = lambda ctx: {}
    api: bool = False
    follow_login: bool = field(default=True)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def roles(anon: int, rec: int, inter: int, hm: int, adm: int) -> dict[str, int]:
    return dict(zip(ROLES, (anon, rec, inter, hm, adm), strict=True))


def fresh_candidate(ctx: dict[str, Any]) -> dict[str, Any]:
    """A new candidate per request, so that one role's write does not change the next one's answer."""
    return {"pk": CandidateFactory(owner=ctx["recruiter"]).pk}


def fresh_assignment(ctx: dict[str, Any]) -> dict[str, Any]:
    """A new assignment per request: revoking one twice is a different answer."""
    assignment, _ = assignment_issue(
        actor=ctx["recruiter"],
        task=ctx["task"],
        candidate=CandidateFactory(owner=ctx["recruiter"]),
        time_mode="window",
        window_hours=24,
    )
    return {"pk": assignment.pk}


def takehome_context(ctx: dict[str, Any], media: Path) -> dict[str, Any]:
    """A task, an assignment with one (invalid, so never graded) submission whose
    workspace holds a file, a finished run and a similarity flag."""
    call_command("load_task_data", str(ROOT / "fixtures/takehome/rag-support-v1"), "--name", "rag-support", verbosity=0)
    task = TakeHomeTask.objects.get(slug="rag-support")
    candidate = CandidateFactory(owner=ctx["recruiter"])
    assignment, token = assignment_issue(actor=ctx["recruiter"], task=task, candidate=candidate, time_mode="window")
    (media / "ws").mkdir(parents=True)
    (media / "ws" / "app.py").write_text("print('hello')\n")
    submissions = [
        Submission.objects.create(
            assignment=assignment, number=number, archive="x.zip", archive_name="x.zip", archive_size=1, sha256="0",
            state="invalid", workspace="ws", files=[{"path": "app.py", "size": 15}],
        )
        for number in (1, 2)
    ]  # fmt: skip
    run = GradingRun.objects.create(
        submission=submissions[0],
        purpose="public",
        state="done",
        verdict="ok",
        dataset=task.dataset,
        grader_version="t",
    )
    flag = SimilarityFlag.objects.create(
        task=task, submission_a=submissions[0], submission_b=submissions[1], score=0.9, matches=[]
    )
    return {
        "task": task,
        "assignment": assignment,
        "token": token,
        "submission": submissions[0],
        "run": run,
        "flag": flag,
    }


def screening_context(candidate: Candidate) -> Screening:
    """A finished screening of the candidate with one suggested flag."""
    call_command("load_checklists", verbosity=0)
    version = Checklist.objects.get(slug="mlops").current
    screening = Screening.objects.create(
        candidate=candidate, version=version, state="done", resume_name="cv.txt", resume_text="github.com/x"
    )
    ScreeningFlag.objects.create(screening=screening, key="code_links", kind="green", weight=2, source="suggested")
    return screening


def interviews_context(ctx: dict[str, Any]) -> dict[str, Any]:
    """A plan from a template and an interview held by another interviewer than the matrix's."""
    call_command("load_question_bank", verbosity=0)  # transactional tests start from an empty bank
    call_command("load_plan_templates", verbosity=0)
    template = Plan.objects.get(template_key="mlops-junior")
    plan = plan_copy(actor=ctx["recruiter"], source=template, name="Matrix plan")
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    someone_else = UserFactory(role=Role.INTERVIEWER, username="olga")
    interview = interview_schedule(
        actor=ctx["recruiter"], candidate=CandidateFactory(), plan=plan, stage_key=stage["key"],
        interviewers=[someone_else], language="ru",
    )  # fmt: skip
    theirs = scorecard_submit(
        actor=someone_else,
        scorecard=scorecard_open(actor=someone_else, interview=interview),
        data=complete(interview),
    )
    return {"plan": plan, "interview": interview, "scorecard": theirs}


def resume_file(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"resume": SimpleUploadedFile("cv.txt", b"Python, PyTorch, RAG", content_type="text/plain")}


MATRIX: dict[str, Row] = {
    "web-home": Row("get", roles(302, 200, 200, 200, 200)),
    "web-pipeline-csv": Row("get", roles(302, 200, 403, 200, 200)),
    "api:dashboard": Row("get", roles(401, 200, 200, 200, 200), api=True),
    # Charts compare interviewers and candidates with each other: not for interviewers.
    "api:dashboard-charts": Row("get", roles(401, 200, 403, 200, 200), api=True),
    "healthz": Row("get", everyone(200)),
    "readyz": Row("get", everyone(200)),
    # The test client calls from 127.0.0.1 without a token: the monitoring system may read; of the signed-in
    # people only admins (remote callers and tokens: tests/platform/test_metrics.py).
    "metrics": Row("get", roles(200, 403, 403, 403, 200)),
    "set_language": Row("post", everyone(302), data=lambda ctx: {"language": "ru", "next": "/"}),
    "accounts:login": Row("get", roles(200, 302, 302, 302, 302)),
    "accounts:logout": Row("post", everyone(302)),
    "accounts:password_reset": Row("get", everyone(200)),
    "accounts:password_reset_done": Row("get", everyone(200)),
    "accounts:password_reset_confirm": Row(
        "get", everyone(200), kwargs=lambda ctx: {"uidb64": "MQ", "token": "not-a-token"}
    ),
    "accounts:password_reset_complete": Row("get", everyone(200)),
    "candidates:list": Row("get", roles(302, 200, 200, 200, 200)),
    "candidates:create": Row("get", roles(302, 200, 403, 403, 200)),
    "candidates:detail": Row("get", roles(302, 200, 403, 200, 200), kwargs=fresh_candidate),
    "candidates:edit": Row("get", roles(302, 200, 403, 403, 200), kwargs=fresh_candidate),
    "candidates:stage": Row(
        "post",
        roles(302, 302, 403, 403, 302),
        kwargs=fresh_candidate,
        data=lambda ctx: {"to_stage": "screening", "reason": ""},
    ),
    "candidates:resume_upload": Row("post", roles(302, 302, 403, 403, 302), kwargs=fresh_candidate, data=resume_file),
    "candidates:resume_download": Row(
        "get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["candidate_with_resume"].pk}
    ),
    "api:candidates-api:list": Row("get", roles(401, 200, 200, 200, 200), api=True),
    "api:candidates-api:create": Row(
        "post",
        roles(401, 201, 403, 403, 201),
        api=True,
        data=lambda ctx: {"full_name": "New Person", "role": "mlops", "level": "junior"},
    ),
    "api:candidates-api:detail": Row("get", roles(401, 200, 403, 200, 200), kwargs=fresh_candidate, api=True),
    "api:candidates-api:update": Row(
        "patch", roles(401, 200, 403, 403, 200), kwargs=fresh_candidate, api=True, data=lambda ctx: {"notes": "x"}
    ),
    "api:candidates-api:stage": Row(
        "post",
        roles(401, 200, 403, 403, 200),
        kwargs=fresh_candidate,
        api=True,
        data=lambda ctx: {"stage": "screening"},
    ),
    "api:candidates-api:resume": Row(
        "post", roles(401, 200, 403, 403, 200), kwargs=fresh_candidate, api=True, data=resume_file
    ),
    "api:candidates-api:timeline": Row("get", roles(401, 200, 403, 200, 200), kwargs=fresh_candidate, api=True),
    # Erasing personal data: recruiters and admins; the page's form wants the typed name (400 without it).
    "candidates:erase": Row("post", roles(302, 400, 403, 403, 400), kwargs=fresh_candidate, data=lambda ctx: {}),
    "api:candidates-api:erase": Row(
        "post", roles(401, 200, 403, 403, 200), kwargs=fresh_candidate, api=True, data=lambda ctx: {"reason": "asked"}
    ),
    # The audit log names everyone's actions: hiring managers and admins only.
    "audit:list": Row("get", roles(302, 403, 403, 200, 200)),
    "api:audit-api:list": Row("get", roles(401, 403, 403, 200, 200), api=True),
    "questionbank:list": Row("get", roles(302, 200, 200, 200, 200)),
    "questionbank:create": Row("get", roles(302, 200, 403, 403, 200)),
    "questionbank:import": Row("get", roles(302, 200, 403, 403, 200)),
    "questionbank:import_confirm": Row("post", roles(302, 302, 403, 403, 302), data=lambda ctx: {"token": "x"}),
    "questionbank:detail": Row("get", roles(302, 200, 200, 200, 200), kwargs=lambda ctx: {"key": ctx["question"]}),
    "questionbank:edit": Row("get", roles(302, 200, 403, 403, 200), kwargs=lambda ctx: {"key": ctx["question"]}),
    "questionbank:retire": Row(
        "post", roles(302, 400, 403, 403, 400), kwargs=lambda ctx: {"key": ctx["question"]}, data=lambda ctx: {}
    ),
    "questionbank:restore": Row("post", roles(302, 302, 403, 403, 302), kwargs=lambda ctx: {"key": ctx["question"]}),
    "api:questionbank-api:list": Row("get", roles(401, 200, 200, 200, 200), api=True),
    "api:questionbank-api:topics": Row("get", roles(401, 200, 200, 200, 200), api=True),
    "api:questionbank-api:detail": Row(
        "get", roles(401, 200, 200, 200, 200), api=True, kwargs=lambda ctx: {"key": ctx["question"]}
    ),
    "api:questionbank-api:versions": Row(
        "get", roles(401, 200, 200, 200, 200), api=True, kwargs=lambda ctx: {"key": ctx["question"]}
    ),
    "api:questionbank-api:create": Row("post", roles(401, 400, 403, 403, 400), api=True, data=lambda ctx: {}),
    "api:questionbank-api:update": Row(
        "post",
        roles(401, 400, 403, 403, 400),
        api=True,
        kwargs=lambda ctx: {"key": ctx["question"]},
        data=lambda ctx: {},
    ),
    "api:questionbank-api:retire": Row(
        "post",
        roles(401, 400, 403, 403, 400),
        api=True,
        kwargs=lambda ctx: {"key": ctx["question"]},
        data=lambda ctx: {},
    ),
    "api:questionbank-api:restore": Row(
        "post",
        roles(401, 400, 403, 403, 400),
        api=True,
        kwargs=lambda ctx: {"key": ctx["question"]},
        data=lambda ctx: {},
    ),
    "api:questionbank-api:import": Row(
        "post",
        roles(401, 200, 403, 403, 200),
        api=True,
        data=lambda ctx: {"document": SimpleUploadedFile("q.txt", b"Q: Why shard?\nA: Scale.\n")},
    ),
    "api:sandbox-api:job-status": Row(
        "get", roles(401, 200, 403, 200, 200), api=True, kwargs=lambda ctx: {"key": ctx["sandbox_job"]}
    ),
    "takehome:tasks": Row("get", roles(302, 200, 403, 200, 200)),
    "takehome:task_create": Row("get", roles(302, 200, 403, 403, 200)),
    "takehome:task": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["task"].pk}),
    "takehome:task_edit": Row("get", roles(302, 200, 403, 403, 200), kwargs=lambda ctx: {"pk": ctx["task"].pk}),
    "takehome:task_data": Row("post", roles(302, 400, 403, 403, 400), kwargs=lambda ctx: {"pk": ctx["task"].pk}),
    "takehome:issue": Row(
        "get", roles(302, 200, 403, 403, 200), kwargs=lambda ctx: {"candidate_pk": ctx["candidate_with_resume"].pk}
    ),
    "takehome:assignment": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["assignment"].pk}),
    "takehome:assignment_status": Row(
        "get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["assignment"].pk}
    ),
    "takehome:assignment_extend": Row(
        "post",
        roles(302, 302, 403, 403, 302),
        kwargs=lambda ctx: {"pk": ctx["assignment"].pk},
        data=lambda ctx: {"hours": 1},
    ),
    "takehome:assignment_revoke": Row("post", roles(302, 302, 403, 403, 302), kwargs=fresh_assignment),
    "takehome:assignment_link": Row("post", roles(302, 302, 403, 403, 302), kwargs=fresh_assignment),
    "takehome:assignment_review": Row(
        "post", roles(302, 400, 403, 403, 400), kwargs=lambda ctx: {"pk": ctx["assignment"].pk}
    ),
    "takehome:submission": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["submission"].pk}),
    "takehome:submission_regrade": Row(
        "post", roles(302, 302, 403, 403, 302), kwargs=lambda ctx: {"pk": ctx["submission"].pk}
    ),
    "takehome:submission_file": Row(
        "get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["submission"].pk, "index": 0}
    ),
    "takehome:run": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["run"].pk}),
    "takehome:similarity": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["flag"].pk}),
    # The candidate's page: the secret link is the credential, whoever is signed in.
    "takehome-candidate:task": Row("get", everyone(200), kwargs=lambda ctx: {"token": ctx["token"]}),
    "takehome-candidate:start": Row("post", everyone(302), kwargs=lambda ctx: {"token": ctx["token"]}),
    "takehome-candidate:data": Row("get", everyone(200), kwargs=lambda ctx: {"token": ctx["token"]}),
    "takehome-candidate:upload": Row("post", everyone(400), kwargs=lambda ctx: {"token": ctx["token"]}),
    "takehome-candidate:status": Row("get", everyone(200), kwargs=lambda ctx: {"token": ctx["token"]}),
    "api:takehome-api:task-list": Row("get", roles(401, 200, 403, 200, 200), api=True),
    "api:takehome-api:assignment-issue": Row("post", roles(401, 400, 403, 403, 400), api=True, data=lambda ctx: {}),
    "api:takehome-api:assignment-detail": Row(
        "get", roles(401, 200, 403, 200, 200), api=True, kwargs=lambda ctx: {"pk": ctx["assignment"].pk}
    ),
    "api:takehome-api:assignment-extend": Row(
        "post",
        roles(401, 200, 403, 403, 200),
        api=True,
        kwargs=lambda ctx: {"pk": ctx["assignment"].pk},
        data=lambda ctx: {"hours": 1},
    ),
    "api:takehome-api:assignment-revoke": Row(
        "post", roles(401, 200, 403, 403, 200), api=True, kwargs=fresh_assignment, data=lambda ctx: {}
    ),
    "api:takehome-api:run-detail": Row(
        "get", roles(401, 200, 403, 200, 200), api=True, kwargs=lambda ctx: {"pk": ctx["run"].pk}
    ),
    "api:takehome-api:submission-regrade": Row(
        "post", roles(401, 409, 403, 403, 409), api=True, kwargs=lambda ctx: {"pk": ctx["submission"].pk}
    ),
    "screening:checklists": Row("get", roles(302, 200, 200, 200, 200)),
    "screening:checklist": Row("get", roles(302, 200, 200, 200, 200), kwargs=lambda ctx: {"slug": "mlops"}),
    "screening:flag_edit": Row(
        "get", roles(302, 200, 403, 403, 200), kwargs=lambda ctx: {"slug": "mlops", "key": "code_links"}
    ),
    "screening:start": Row(
        "post",
        roles(302, 302, 403, 403, 302),
        kwargs=lambda ctx: {"candidate_pk": ctx["candidate_with_resume"].pk},
        data=lambda ctx: {"checklist": ctx["screening"].version.checklist_id},
    ),
    "screening:detail": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["screening"].pk}),
    "screening:status": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["screening"].pk}),
    "screening:flag_add": Row("post", roles(302, 400, 403, 403, 400), kwargs=lambda ctx: {"pk": ctx["screening"].pk}),
    "screening:flag_review": Row(
        "post",
        roles(302, 302, 403, 403, 302),
        kwargs=lambda ctx: {"pk": ctx["screening"].pk, "key": "code_links"},
        data=lambda ctx: {"status": "confirmed"},
    ),
    "screening:decide": Row("post", roles(302, 400, 403, 403, 400), kwargs=lambda ctx: {"pk": ctx["screening"].pk}),
    "api:screening-api:checklist-list": Row("get", roles(401, 200, 200, 200, 200), api=True),
    "api:screening-api:start": Row("post", roles(401, 400, 403, 403, 400), api=True, data=lambda ctx: {}),
    "api:screening-api:detail": Row(
        "get", roles(401, 200, 403, 200, 200), api=True, kwargs=lambda ctx: {"pk": ctx["screening"].pk}
    ),
    "api:screening-api:flag-add": Row(
        "post", roles(401, 400, 403, 403, 400), api=True, kwargs=lambda ctx: {"pk": ctx["screening"].pk}
    ),
    "api:screening-api:flag-review": Row(
        "post",
        roles(401, 200, 403, 403, 200),
        api=True,
        kwargs=lambda ctx: {"pk": ctx["screening"].pk, "key": "code_links"},
        data=lambda ctx: {"status": "confirmed"},
    ),
    "api:screening-api:decide": Row(
        "post", roles(401, 400, 403, 403, 400), api=True, kwargs=lambda ctx: {"pk": ctx["screening"].pk}
    ),
    "interviews:plans": Row("get", roles(302, 200, 200, 200, 200)),
    "interviews:new": Row("get", roles(302, 302, 403, 403, 302)),
    "interviews:from_template": Row("post", roles(302, 302, 403, 403, 302)),
    "interviews:plan": Row("get", roles(302, 200, 200, 200, 200), kwargs=lambda ctx: {"pk": ctx["plan"].pk}),
    "interviews:builder": Row("get", roles(302, 200, 403, 403, 200), kwargs=lambda ctx: {"pk": ctx["plan"].pk}),
    "interviews:schedule": Row(
        "get", roles(302, 200, 403, 403, 200), kwargs=lambda ctx: {"candidate_pk": ctx["candidate_with_resume"].pk}
    ),
    "interviews:kit": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["interview"].pk}),
    "interviews:kit_pdf": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["interview"].pk}),
    "api:interviews-api:plan-list": Row("get", roles(401, 200, 200, 200, 200), api=True),
    "api:interviews-api:plan-create": Row("post", roles(401, 400, 403, 403, 400), api=True),
    "api:interviews-api:plan-suggest": Row("post", roles(401, 400, 403, 403, 400), api=True),
    "api:interviews-api:plan-detail": Row(
        "get", roles(401, 200, 200, 200, 200), api=True, kwargs=lambda ctx: {"pk": ctx["plan"].pk}
    ),
    "api:interviews-api:plan-save": Row(
        "put", roles(401, 400, 403, 403, 400), api=True, kwargs=lambda ctx: {"pk": ctx["plan"].pk}
    ),
    "api:interviews-api:plan-copy": Row(
        "post", roles(401, 400, 403, 403, 400), api=True, kwargs=lambda ctx: {"pk": ctx["plan"].pk}
    ),
    "api:interviews-api:interview-schedule": Row("post", roles(401, 400, 403, 403, 400), api=True),
    "api:interviews-api:interview-kit": Row(
        "get", roles(401, 200, 403, 200, 200), api=True, kwargs=lambda ctx: {"pk": ctx["interview"].pk}
    ),
    "interviews:scorecard_form": Row(
        "get", roles(302, 403, 403, 403, 403), kwargs=lambda ctx: {"pk": ctx["interview"].pk}
    ),
    # The matrix's interviewer has no scorecard for this candidate: blind to the colleague's one.
    "interviews:scorecard": Row("get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"pk": ctx["scorecard"].pk}),
    "interviews:scorecard_reopen": Row(
        "post", roles(302, 302, 403, 403, 302), kwargs=lambda ctx: {"pk": ctx["scorecard"].pk}
    ),
    "api:interviews-api:scorecard-open": Row(
        "get", roles(401, 403, 403, 403, 403), api=True, kwargs=lambda ctx: {"pk": ctx["interview"].pk}
    ),
    "api:interviews-api:scorecard-detail": Row(
        "get", roles(401, 200, 403, 200, 200), api=True, kwargs=lambda ctx: {"pk": ctx["scorecard"].pk}
    ),
    "api:interviews-api:scorecard-draft": Row(
        "put", roles(401, 403, 403, 403, 403), api=True, kwargs=lambda ctx: {"pk": ctx["scorecard"].pk}
    ),
    "api:interviews-api:scorecard-submit": Row(
        "post", roles(401, 403, 403, 403, 403), api=True, kwargs=lambda ctx: {"pk": ctx["scorecard"].pk}
    ),
    "api:interviews-api:scorecard-reopen": Row(
        "post", roles(401, 400, 403, 403, 400), api=True, kwargs=lambda ctx: {"pk": ctx["scorecard"].pk}
    ),
    "interviews:evaluation_pdf": Row(
        "get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"candidate_pk": ctx["candidate_with_resume"].pk}
    ),
    "interviews:evaluation": Row(
        "get", roles(302, 200, 403, 200, 200), kwargs=lambda ctx: {"candidate_pk": ctx["candidate_with_resume"].pk}
    ),
    "api:interviews-api:evaluation": Row(
        "get",
        roles(401, 200, 403, 200, 200),
        api=True,
        kwargs=lambda ctx: {"candidate_pk": ctx["candidate_with_resume"].pk},
    ),
    "api:interviews-api:decision": Row(
        "post",
        roles(401, 403, 403, 400, 400),
        api=True,
        kwargs=lambda ctx: {"candidate_pk": ctx["candidate_with_resume"].pk},
    ),
    "api-schema": Row("get", everyone(200)),
    "api-docs": Row("get", everyone(200)),
}


def all_routes() -> list[tuple[str, str]]:
    return list(walk(get_resolver()))


def test_every_url_pattern_has_an_authorization_rule() -> None:
    unnamed = [route for name, route in all_routes() if not name and not route.startswith("admin/")]
    assert unnamed == [], f"URL patterns without a name cannot be checked: {unnamed}"
    missing = sorted(name for name, route in all_routes() if name not in MATRIX and not route.startswith("admin/"))
    assert missing == [], f"add these URL names to MATRIX with their expected answers: {missing}"
    stale = sorted(set(MATRIX) - {name for name, _ in all_routes()})
    assert stale == [], f"MATRIX rows for URL names that no longer exist: {stale}"


def _client(role: str, users: dict[str, Any], api: bool) -> Client | APIClient:
    client = APIClient() if api else Client()
    if role != ANON:
        client.force_login(users[role])
    return client


def _request(client: Client | APIClient, method: str, url: str, data: dict[str, Any], api: bool) -> Any:
    has_file = any(isinstance(value, SimpleUploadedFile) for value in data.values())
    if api and method in ("post", "patch", "put") and not has_file:
        return getattr(client, method)(url, data, format="json")
    return getattr(client, method)(url, data)


@pytest.fixture
def context(users: dict[str, Any], celery_worker: Any) -> dict[str, Any]:
    candidate = CandidateFactory(owner=users[REC])
    Candidate.objects.filter(pk=candidate.pk).update(
        resume="resumes/x/cv.txt", resume_name="cv.txt", resume_content_type="text/plain", resume_size=3
    )
    # Transactional tests start from a flushed database: a topic and one question are enough here.
    topic, _ = Topic.objects.get_or_create(slug="python", defaults={"name_en": "Python", "name_ru": "Python"})
    Question.objects.get_or_create(
        key="matrix-question",
        defaults={"topic": topic, "level": "junior", "roles": ["mlops"], "prompt_en": "Q?", "prompt_ru": "В?"},
    )
    SandboxJobRecord.objects.get_or_create(key="matrix-job", defaults={"kind": "command", "spec": {}})
    base = {**users, "candidate_with_resume": candidate, "question": "matrix-question", "sandbox_job": "matrix-job"}
    return {
        **base,
        **takehome_context(base, Path(settings.MEDIA_ROOT)),
        "screening": screening_context(candidate),
        **interviews_context(base),
    }


@pytest.mark.django_db(transaction=True)
def test_authorization_matrix(context: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    (tmp_path / "media" / "resumes" / "x").mkdir(parents=True)
    (tmp_path / "media" / "resumes" / "x" / "cv.txt").write_text("abc")
    failures = []
    for name, row in MATRIX.items():
        for role in ROLES:
            url = reverse(name, kwargs=row.kwargs(context))
            response = _request(_client(role, context, row.api), row.method, url, row.data(context), row.api)
            if response.status_code != row.expected[role]:
                failures.append(f"{name} as {role}: {response.status_code}, expected {row.expected[role]}")
            elif (
                response.status_code == 302
                and role == ANON
                and row.expected[role] == 302
                and name.startswith(("web-", "candidates:"))
            ):
                assert response["Location"].startswith(reverse("accounts:login")), (name, response["Location"])
    assert failures == []


def _admin_url(route: str, candidate_pk: int) -> str:
    """A concrete URL for an admin route: object ids point at a real candidate."""
    url = re.sub(r"<(?:\w+:)?object_id>", str(candidate_pk), route)
    url = re.sub(r"<(?:\w+:)?app_label>", "candidates", url)
    url = re.sub(r"<(?:\w+:)?content_type_id>", "1", url)
    url = re.sub(r"<(?:\w+:)?\w+>", "1", url)
    url = url.replace("(?P<url>.*)$", "no-such-page/").lstrip("^").rstrip("$")
    return "/" + url


# Append-only or service-only data: even an admin may not add or delete it in the admin
# (timeline events, bank questions and their versions, which interviews point at).
ADMIN_FORBIDDEN_FOR_ADMINS = {
    f"admin:{app}_{model}_{action}"
    for app, model in [
        ("candidates", "candidateevent"),
        ("questionbank", "question"),
        ("questionbank", "questionversion"),
        ("sandbox", "sandboxjobrecord"),
        ("interviews", "plan"),
        ("interviews", "planversion"),
        ("interviews", "interview"),
        ("interviews", "scorecard"),
        ("screening", "checklist"),
        ("screening", "checklistversion"),
        ("screening", "screening"),
        ("takehome", "taskdataset"),
        ("takehome", "assignment"),
        ("takehome", "submission"),
        ("takehome", "gradingrun"),
        ("takehome", "takehomereview"),
        ("takehome", "similarityflag"),
        ("audit", "auditevent"),
    ]
    for action in ("add", "delete")
} | {"admin:takehome_takehometask_add"}  # a task is created with its data, on its page
# Sign-in attempts and lockouts are written by Axes only; deleting one is how an admin unlocks an account.
ADMIN_FORBIDDEN_FOR_ADMINS |= {
    f"admin:axes_{model}_add" for model in ("accessattempt", "accesslog", "accessfailurelog")
}
ADMIN_PUBLIC = {"admin:login", "admin:logout", "admin:view_on_site", "admin:autocomplete", "admin:jsi18n"}


@pytest.mark.django_db
def test_admin_site_is_for_admins_only(users: dict[str, Any]) -> None:
    candidate = CandidateFactory(owner=users[REC])
    admin_routes = [(name, route) for name, route in all_routes() if route.startswith("admin/")]
    assert len(admin_routes) > 10
    failures = []
    for name, route in admin_routes:
        if name in ADMIN_PUBLIC:
            continue  # public by design (login form, logout) or answers no data
        url = _admin_url(route, candidate.pk)
        for role in (ANON, REC, INT, HM):
            response = _client(role, users, api=False).get(url)
            if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                failures.append(f"{name or route} as {role}: {response.status_code}")
        status = _client(ADM, users, api=False).get(url).status_code
        expected_denied = name in ADMIN_FORBIDDEN_FOR_ADMINS
        if (status == 403) != expected_denied or status >= 500 or (status >= 400 and status not in (403, 404)):
            failures.append(f"{name or route} as admin: {status}")
    assert failures == []
