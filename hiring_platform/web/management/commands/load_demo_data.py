"""Load the demo accounts and candidates of fixtures/demo through the services
(so validation runs). Idempotent: a second run adds nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments.candidates import services as candidate_services
from assessments.candidates.models import Candidate
from assessments.interviews.models import Interview, Plan
from assessments.interviews.scorecards import (
    scorecard_competencies,
    scorecard_open,
    scorecard_questions,
    scorecard_submit,
)
from assessments.interviews.services import interview_schedule
from assessments.takehome import services as takehome_services
from assessments.takehome.models import TakeHomeTask, TimeMode
from hiring_platform.accounts.roles import Role
from hiring_platform.accounts.services import user_ensure

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
REFERENCES = Path(settings.BASE_DIR) / "fixtures" / "takehome" / "reference-solutions"


class Command(BaseCommand):
    help = "Create one demo account per role, a few demo candidates, their take-homes and interviews (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = yaml.safe_load((DEMO / "accounts.yaml").read_text(encoding="utf-8"))
        with transaction.atomic():
            users = {
                account["username"]: user_ensure(
                    username=account["username"],
                    email=account["email"],
                    password=account["password"],
                    role=Role(account["role"]),
                    first_name=account["first_name"],
                    last_name=account["last_name"],
                )
                for account in accounts
            }
            created = self._load_candidates(users)
            takehomes = self._load_takehomes()
            interviews = self._load_interviews(users)
        self.stdout.write(
            f"Demo candidates created: {created}; take-home uploads queued for grading: {takehomes}; "
            f"interviews scheduled: {interviews}"
        )
        self.stdout.write("Demo accounts (local only):")
        for account in accounts:
            self.stdout.write(f"  {account['role']:<15} {account['username']:<13} {account['password']}")

    def _load_candidates(self, users: dict[str, Any]) -> int:
        created = 0
        for entry in yaml.safe_load((DEMO / "candidates.yaml").read_text(encoding="utf-8")):
            if Candidate.objects.filter(email=entry["email"]).exists():
                continue
            owner = users[entry["owner"]]
            history = entry.pop("history")
            interviewers = [users[name] for name in entry.pop("interviewers", [])]
            entry["owner"] = owner
            candidate = candidate_services.candidate_create(actor=owner, interviewers=interviewers, **entry)
            for step in history:
                stage, reason = (step["stage"], step["reason"]) if isinstance(step, dict) else (step, "")
                candidate = candidate_services.candidate_change_stage(
                    actor=owner, candidate=candidate, to_stage=stage, reason=reason
                )
            created += 1
        return created

    def _load_takehomes(self) -> int:
        """Issue the bundled task to a few candidates and upload a reference solution
        for each (needs `load_task_data` first; skipped without the task)."""
        task = TakeHomeTask.objects.filter(slug="rag-support").first()
        if task is None:
            return 0
        queued = 0
        for entry in yaml.safe_load((DEMO / "takehomes.yaml").read_text(encoding="utf-8")):
            candidate = Candidate.objects.get(email=entry["candidate"])
            if candidate.assignments.exists():
                continue
            assignment, _ = takehome_services.assignment_issue(
                actor=candidate.owner, task=task, candidate=candidate, time_mode=TimeMode.WINDOW
            )
            takehome_services.assignment_start(assignment=assignment)
            archive = _zip(REFERENCES / entry["reference"])
            upload = SimpleUploadedFile(f"{entry['reference']}.zip", archive, content_type="application/zip")
            takehome_services.submission_upload(assignment=assignment, upload=upload)
            queued += 1
        return queued

    def _load_interviews(self, users: dict[str, Any]) -> int:
        """Past interviews with their scorecards (fixtures/demo/interviews.yaml); needs
        `load_plan_templates` first; skipped for a candidate who has interviews already."""
        scheduled = 0
        entries = yaml.safe_load((DEMO / "interviews.yaml").read_text(encoding="utf-8"))
        done = set(Interview.objects.values_list("candidate__email", flat=True))
        for entry in entries:
            plan = Plan.objects.filter(template_key=entry["plan"]).first()
            candidate = Candidate.objects.get(email=entry["candidate"])
            if plan is None or candidate.email in done:
                continue
            interview = interview_schedule(
                actor=candidate.owner,
                candidate=candidate,
                plan=plan,
                stage_key=entry["stage"],
                interviewers=[users[name] for name in entry["interviewers"]],
                language="en",
                scheduled_at=timezone.now() - timedelta(hours=entry["hours_ago"]),
            )
            for name, card in entry["scorecards"].items():
                scorecard_submit(
                    actor=users[name],
                    scorecard=scorecard_open(actor=users[name], interview=interview),
                    data=_scorecard_data(interview, card),
                )
            scheduled += 1
        return scheduled


def _scorecard_data(interview: Interview, card: dict[str, Any]) -> dict[str, Any]:
    """A complete form: the listed ratings in turn for the questions and the competencies."""
    ratings = card["ratings"]
    questions = scorecard_questions(interview)
    return {
        "answers": {
            q["key"]: {"key_points": [0], "mistakes": [], "rating": ratings[i % len(ratings)], "notes": ""}
            for i, q in enumerate(questions)
        },
        "competencies": {
            key: {"rating": ratings[i % len(ratings)], "notes": ""}
            for i, key in enumerate(scorecard_competencies(interview))
        },
        "recommendation": card["recommendation"],
        "justification": card["justification"],
    }


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
