"""Scoring data for tests: a complete scorecard, and a candidate evaluated at every stage."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from assessments.interviews import scorecards, services
from assessments.interviews.models import Interview, Plan
from assessments.questionbank.models import Question
from assessments.screening.models import Screening, ScreeningFlag
from assessments.takehome.models import GradingRun, Submission
from assessments.takehome.services import assignment_issue, assignment_start
from hiring_platform.accounts.roles import Role
from tests.factories import CandidateFactory, UserFactory


def complete(interview: Interview) -> dict:  # type: ignore[type-arg]
    questions = scorecards.scorecard_questions(interview)
    return {
        "answers": {q["key"]: {"key_points": [0], "mistakes": [], "rating": 3, "notes": "ok"} for q in questions[1:]}
        | {questions[0]["key"]: {"not_asked": True}},
        "competencies": {key: {"rating": 3} for key in scorecards.scorecard_competencies(interview)},
        "recommendation": "yes",
        "justification": "Clear reasoning about retries and rollbacks; weak on monitoring.",
    }


def evaluated_candidate(recruiter: Any, interviewer: Any, checklists: Any, rag_task: Any) -> Any:
    """A candidate with a screening, a graded take-home (80) and two submitted scorecards (3s and 4s)."""
    if not Question.objects.exists():  # transactional tests start from an empty bank
        call_command("load_question_bank", verbosity=0)
    call_command("load_plan_templates", verbosity=0)
    candidate = CandidateFactory(role="mlops", stage="decision", interviewers=[interviewer])
    # Screening: one confirmed green flag of weight 3.
    version = checklists["mlops"].current
    screening = Screening.objects.create(candidate=candidate, version=version, state="done", resume_name="cv.txt")
    ScreeningFlag.objects.create(screening=screening, key="mlops_tooling", kind="green", weight=3, source="suggested")
    # Take-home: a graded hidden run of 80 points.
    assignment, _ = assignment_issue(actor=recruiter, task=rag_task, candidate=candidate, time_mode="window")
    assignment_start(assignment=assignment)
    submission = Submission.objects.create(
        assignment=assignment,
        number=1,
        archive="x.zip",
        archive_name="x.zip",
        archive_size=1,
        sha256="0",
        state="ready",
    )
    GradingRun.objects.create(
        submission=submission, purpose="hidden", state="done", verdict="ok", auto_score=80.0, dataset=rag_task.dataset,
        grader_version="t",
    )  # fmt: skip
    # Interview: two interviewers, ratings 3 and 4.
    plan = services.plan_copy(actor=recruiter, source=Plan.objects.get(template_key="mlops-junior"), name="P")
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    colleague = UserFactory(role=Role.INTERVIEWER, username="colleague")
    interview = services.interview_schedule(
        actor=recruiter, candidate=candidate, plan=plan, stage_key=stage["key"], interviewers=[interviewer, colleague],
        language="en",
    )  # fmt: skip
    for person, rating in ((interviewer, 3), (colleague, 4)):
        data = complete(interview)
        for answer in data["answers"].values():
            if not answer.get("not_asked"):
                answer["rating"] = rating
        data["competencies"] = {key: {"rating": rating} for key in data["competencies"]}
        scorecards.scorecard_submit(
            actor=person, scorecard=scorecards.scorecard_open(actor=person, interview=interview), data=data
        )
    return candidate, plan
