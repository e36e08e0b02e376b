"""Load the demo accounts and candidates of fixtures/demo through the services
(so validation runs). Idempotent: a second run adds nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.candidates import services as candidate_services
from assessments.candidates.models import Candidate
from assessments.takehome import services as takehome_services
from assessments.takehome.models import TakeHomeTask, TimeMode
from hiring_platform.accounts.roles import Role
from hiring_platform.accounts.services import user_ensure

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
REFERENCES = Path(settings.BASE_DIR) / "fixtures" / "takehome" / "reference-solutions"


class Command(BaseCommand):
    help = "Create one demo account per role, a few demo candidates and their take-homes (idempotent)."

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
        self.stdout.write(f"Demo candidates created: {created}; take-home uploads queued for grading: {takehomes}")
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


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
