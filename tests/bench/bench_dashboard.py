"""The dashboard and the candidate pages at size: 1,000 candidates with 10,000
submitted scorecards (five interviews of two interviewers each), a screening and,
for half of them, a graded take-home. Measures server time (p50 / p95, in-process
through Django's test client, so HTTP parsing is excluded) and SQL queries per
page, first with 100 candidates and then with 1,000, so the query counts can be
compared. Goal from the issue: p95 under 150 ms, queries constant whatever the size.

Run with `make bench`."""

from __future__ import annotations

import io
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.candidates.models import Candidate, CandidateEvent, EventKind, Stage
from assessments.choices import JobRole, Level
from assessments.interviews.evaluation import candidate_score_refresh
from assessments.interviews.models import Interview, Plan, Recommendation, Scorecard, ScorecardState
from assessments.interviews.scorecards import scorecard_competencies, scorecard_questions
from assessments.screening.models import Checklist, Screening, ScreeningFlag
from assessments.takehome.models import Assignment, GradingRun, Submission, TakeHomeTask
from hiring_platform.accounts.roles import Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SIZES = (100, 1_000)
INTERVIEWS_PER_CANDIDATE = 5
INTERVIEWERS_PER_INTERVIEW = 2  # 1,000 x 5 x 2 = 10,000 scorecards
PAGE_SAMPLES = 40
OPEN_STAGES = [Stage.APPLIED, Stage.SCREENING, Stage.TAKE_HOME, Stage.INTERVIEWS, Stage.DECISION]
ALL_STAGES = [*OPEN_STAGES, Stage.HIRED, Stage.REJECTED]


class Seeder:
    """Bulk-created data shaped like the services write it."""

    def __init__(self) -> None:
        self.rng = random.Random(7)  # noqa: S311 - reproducible test data, not security
        quiet = {"verbosity": 0, "stdout": io.StringIO()}
        call_command("load_plan_templates", **quiet)
        call_command("load_checklists", **quiet)
        call_command("load_task_data", str(ROOT / "fixtures/takehome/rag-support-v1"), "--name", "rag-support", **quiet)
        self.recruiters = [UserFactory(role=Role.RECRUITER, username=f"bench-recruiter-{i}") for i in range(5)]
        self.interviewers = [UserFactory(role=Role.INTERVIEWER, username=f"bench-interviewer-{i}") for i in range(20)]
        # Interviewers differ a little in how they rate: calibration has something to show.
        self.leniency = {person.pk: self.rng.uniform(-0.6, 0.6) for person in self.interviewers}
        self.plans = {(plan.role, plan.level): plan for plan in Plan.objects.filter(is_template=True)}
        self.checklists = {c.slug: c.current for c in Checklist.objects.select_related("current")}
        self.task = TakeHomeTask.objects.get(slug="rag-support")
        self.seeded = 0

    def _rating(self, interviewer_id: int, talent: float) -> int:
        return max(1, min(4, round(talent + self.leniency[interviewer_id] + self.rng.gauss(0, 0.5))))

    def add(self, count: int) -> None:
        now = timezone.now()
        candidates = Candidate.objects.bulk_create(
            Candidate(
                full_name=f"Bench candidate {self.seeded + i}",
                email=f"bench{self.seeded + i}@example.com",
                role=self.rng.choice(list(JobRole)),
                level=self.rng.choice(list(Level)),
                stage=self.rng.choice(ALL_STAGES),
                owner=self.rng.choice(self.recruiters),
            )
            for i in range(count)
        )
        self.seeded += count
        events, interviews, assignments = [], [], []
        for candidate in candidates:
            entered = now - timedelta(days=self.rng.uniform(20, 60))
            events.append(CandidateEvent(candidate=candidate, kind=EventKind.CREATED, after={"stage": "applied"}))
            for stage in ALL_STAGES[1 : ALL_STAGES.index(candidate.stage) + 1]:
                events.append(CandidateEvent(candidate=candidate, kind=EventKind.STAGE_CHANGED, after={"stage": stage}))
            plan = self.plans[(candidate.role, candidate.level)]
            stages = [s for s in plan.current.content["stages"] if s["kind"] == "interview"]
            for index in range(INTERVIEWS_PER_CANDIDATE):
                interviews.append(
                    Interview(
                        candidate=candidate,
                        plan_version=plan.current,
                        stage_key=stages[index % len(stages)]["key"],
                        language="en",
                        scheduled_at=entered + timedelta(days=index + 1),
                    )
                )
            if candidate.pk % 2 == 0:
                assignments.append(
                    Assignment(
                        task=self.task, candidate=candidate, token_hash=f"{candidate.pk:064x}", time_mode="window",
                        window_hours=72, max_submissions=3, opened_at=entered, open_by=entered + timedelta(days=14),
                    )
                )  # fmt: skip
        created = CandidateEvent.objects.bulk_create(events)
        # Stage moves spread over the candidate's weeks in the pipeline (auto_now_add set them to now).
        for event in created:
            event.created_at = now - timedelta(days=self.rng.uniform(1, 50))
        CandidateEvent.objects.bulk_update(created, ["created_at"], batch_size=2000)
        self._screenings(candidates)
        self._takehomes(Assignment.objects.bulk_create(assignments))
        self._scorecards(Interview.objects.bulk_create(interviews))
        for candidate in candidates:
            candidate_score_refresh(candidate_id=candidate.pk)

    def _screenings(self, candidates: list[Candidate]) -> None:
        screenings = Screening.objects.bulk_create(
            Screening(candidate=c, version=self.checklists[c.role], state="done", resume_name="cv.pdf")
            for c in candidates  # the shipped checklists are named after the roles
        )
        flags = []
        for screening in screenings:
            for flag in self.rng.sample(screening.version.flags, k=min(3, len(screening.version.flags))):
                flags.append(
                    ScreeningFlag(
                        screening=screening, key=flag["key"], kind=flag["kind"], weight=flag["weight"],
                        source="suggested", status="confirmed",
                    )
                )  # fmt: skip
        ScreeningFlag.objects.bulk_create(flags)

    def _takehomes(self, assignments: list[Assignment]) -> None:
        submissions = Submission.objects.bulk_create(
            Submission(assignment=a, number=1, archive="x.zip", archive_name="x.zip", archive_size=1, sha256="0",
                       state="ready")
            for a in assignments
        )  # fmt: skip
        GradingRun.objects.bulk_create(
            GradingRun(
                submission=s, purpose="hidden", state="done", verdict="ok", auto_score=self.rng.uniform(10, 70),
                dataset=self.task.dataset, grader_version="bench",
            )
            for s in submissions
        )  # fmt: skip

    def _scorecards(self, interviews: list[Interview]) -> None:
        cards = []
        talents: dict[int, float] = {}
        for interview in interviews:
            talent = talents.setdefault(interview.candidate_id, self.rng.uniform(1.5, 3.8))
            questions = scorecard_questions(interview)
            competencies = scorecard_competencies(interview)
            for person in self.rng.sample(self.interviewers, INTERVIEWERS_PER_INTERVIEW):
                answers = {
                    q["key"]: {"key_points": [0], "mistakes": [], "rating": self._rating(person.pk, talent),
                               "not_asked": False, "notes": "Walked through the trade-offs; missed one edge case."}
                    for q in questions
                }  # fmt: skip
                ratings = [a["rating"] for a in answers.values()]
                cards.append(
                    Scorecard(
                        interview=interview,
                        interviewer=person,
                        state=ScorecardState.SUBMITTED,
                        answers=answers,
                        competencies={
                            k: {"rating": self._rating(person.pk, talent), "notes": ""} for k in competencies
                        },
                        recommendation=self.rng.choice(list(Recommendation)),
                        justification="Solid reasoning about retrieval quality and evaluation.",
                        submitted_at=interview.scheduled_at,
                        mean_rating=sum(ratings) / len(ratings),
                    )
                )
        Scorecard.objects.bulk_create(cards, batch_size=2000)
        Interview.interviewers.through.objects.bulk_create(
            [
                Interview.interviewers.through(interview_id=card.interview_id, user_id=card.interviewer_id)
                for card in cards
            ],
            ignore_conflicts=True,
        )


def _measure(client: Client, urls: list[str]) -> dict[str, Any]:
    times, queries = [], []
    for index in range(PAGE_SAMPLES):
        url = urls[index % len(urls)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        times.append(elapsed * 1000)
        queries.append(len(captured.captured_queries))
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": (min(queries), max(queries)),
    }


@pytest.mark.django_db
def test_dashboard_and_candidate_pages_at_size() -> None:
    seeder = Seeder()
    recruiter = seeder.recruiters[0]
    manager = UserFactory(role=Role.HIRING_MANAGER, username="bench-manager")
    client = Client()
    client.force_login(manager)
    results: dict[int, dict[str, dict[str, Any]]] = {}
    seeded_seconds = {}
    for size in SIZES:
        started = time.perf_counter()
        seeder.add(size - seeder.seeded)
        seeded_seconds[size] = time.perf_counter() - started
        sample = list(Candidate.objects.order_by("?").values_list("pk", flat=True)[:PAGE_SAMPLES])
        pages = {
            "dashboard (hiring manager)": ["/"],
            "dashboard filtered by role": [f"/?role={role.value}" for role in JobRole],
            f"dashboard (recruiter {recruiter.username})": ["/"],
            "dashboard API": ["/api/v1/dashboard/"],
            "charts API": ["/api/v1/dashboard/charts/"],
            "candidate page": [reverse("candidates:detail", args=[pk]) for pk in sample],
            "evaluation page": [reverse("interviews:evaluation", args=[pk]) for pk in sample],
            "evaluation API": [f"/api/v1/evaluations/{pk}/" for pk in sample],
        }
        results[size] = {}
        for name, urls in pages.items():
            if name.startswith("dashboard (recruiter"):
                recruiter_client = Client()
                recruiter_client.force_login(recruiter)
                results[size][name] = _measure(recruiter_client, urls)
            else:
                results[size][name] = _measure(client, urls)
        started = time.perf_counter()
        export = client.get("/pipeline.csv")
        lines = b"".join(export.streaming_content).count(b"\n")
        results[size]["pipeline CSV (whole export)"] = {
            "p50": (time.perf_counter() - started) * 1000,
            "p95": float("nan"),
            "queries": ("-", "-"),
        }
        assert lines == size + 1

    scorecards = Scorecard.objects.count()
    print(f"\n\nDashboard at size: {seeder.seeded} candidates, {scorecards} submitted scorecards")
    print("seeding: " + ", ".join(f"{size} candidates {seconds:.1f} s" for size, seconds in seeded_seconds.items()))
    header = f"{'page':34} " + " ".join(f"{f'p50/p95 ms @{s}':>20} {f'queries @{s}':>12}" for s in SIZES)
    print(header)
    for name in results[SIZES[0]]:
        cells = []
        for size in SIZES:
            figure = results[size][name]
            low, high = figure["queries"]
            queries = f"{low}" if low == high else f"{low}-{high}"
            cells.append(f"{figure['p50']:>9.1f}/{figure['p95']:<9.1f}  {queries:>12}")
        print(f"{name:34} " + " ".join(cells))
    worst = max(results[SIZES[-1]][name]["p95"] for name in results[SIZES[-1]] if "CSV" not in name)
    print(f"worst page p95 at {SIZES[-1]} candidates: {worst:.1f} ms (goal < 150 ms)")
