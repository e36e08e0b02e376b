"""The people and data the load test needs, created through the services on the
load test's own database (run by bench_load.py with the platform's environment):

    python -m tests.bench.load_setup PLAN.json RECRUITERS INTERVIEWERS CANDIDATES INTERVIEWS_EACH

Writes PLAN.json: accounts with their password, candidate ids to browse, each
interviewer's interviews with a complete scoring form, and the take-home links of
candidates who have opened their task (they upload during the test)."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Any

import django


def main() -> None:
    django.setup()
    from django.db import transaction

    from assessments.candidates.services import candidate_create
    from assessments.interviews.models import Plan
    from assessments.interviews.services import interview_schedule
    from assessments.takehome.models import TakeHomeTask
    from assessments.takehome.services import assignment_issue, assignment_start
    from hiring_platform.accounts.roles import Role
    from hiring_platform.accounts.services import user_ensure

    out = Path(sys.argv[1])
    recruiters_count, interviewers_count, candidates_count, interviews_each = map(int, sys.argv[2:6])
    password = secrets.token_urlsafe(16)

    def account(role: Role, name: str) -> Any:
        return user_ensure(username=name, email=f"{name}@example.com", password=password, role=role)

    with transaction.atomic():
        recruiters = [account(Role.RECRUITER, f"load-recruiter-{i}") for i in range(recruiters_count)]
        interviewers = [account(Role.INTERVIEWER, f"load-interviewer-{i}") for i in range(interviewers_count)]
        pool = [
            candidate_create(
                actor=recruiters[i % len(recruiters)], owner=recruiters[i % len(recruiters)],
                full_name=f"Load candidate {i}", email=f"load{i}@example.com", role="mlops", level="middle",
            )
            for i in range(90)
        ]  # fmt: skip
        plan = Plan.objects.get(template_key="mlops-middle")
        stage = next(s["key"] for s in plan.current.content["stages"] if s["kind"] == "interview")
        forms: dict[str, list[dict[str, Any]]] = {}
        for index, person in enumerate(interviewers):
            forms[person.username] = []
            for number in range(interviews_each):
                interview = interview_schedule(
                    actor=recruiters[0], candidate=pool[(index * interviews_each + number) % len(pool)], plan=plan,
                    stage_key=stage, interviewers=[person], language="en",
                )  # fmt: skip
                forms[person.username].append({"interview": interview.pk, "form": _complete_form(interview)})
        task = TakeHomeTask.objects.get(slug="rag-support")
        links = []
        for i in range(candidates_count):
            candidate = candidate_create(
                actor=recruiters[0], owner=recruiters[0], full_name=f"Take-home candidate {i}",
                email=f"takehome{i}@example.com", role="mlops", level="middle",
            )  # fmt: skip
            assignment, token = assignment_issue(
                actor=recruiters[0], task=task, candidate=candidate, time_mode="window"
            )
            assignment_start(assignment=assignment)
            links.append(token)
    plan_file = {
        "password": password,
        "recruiters": [person.username for person in recruiters],
        "candidates": [candidate.pk for candidate in pool],
        "interviewers": forms,
        "takehome_links": links,
    }
    out.write_text(json.dumps(plan_file), encoding="utf-8")


def _complete_form(interview: Any) -> dict[str, Any]:
    """What an interviewer's finished form sends: every question rated, every competency too."""
    from assessments.interviews.scorecards import scorecard_competencies, scorecard_questions

    return {
        "answers": {
            q["key"]: {"key_points": [0], "mistakes": [], "rating": 1 + i % 4, "not_asked": False, "notes": "Fine."}
            for i, q in enumerate(scorecard_questions(interview))
        },
        "competencies": {key: {"rating": 3, "notes": ""} for key in scorecard_competencies(interview)},
        "recommendation": "yes",
        "justification": "Solid reasoning about retrieval quality, evaluation and rollbacks.",
    }


if __name__ == "__main__":
    main()
