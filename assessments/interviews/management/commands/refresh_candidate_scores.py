"""Store the evaluation figures of candidates that have none yet (after an upgrade,
or data loaded around the services); `--all` recomputes every candidate's."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessments.candidates.models import Candidate
from assessments.interviews.evaluation import candidate_score_refresh


class Command(BaseCommand):
    help = "Compute the stored evaluation figures (CandidateScore) the dashboard charts and the CSV export read."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="recompute every candidate, not only those missing")

    def handle(self, *args: Any, **options: Any) -> None:
        candidates = Candidate.objects.all() if options["all"] else Candidate.objects.filter(score__isnull=True)
        count = 0
        for pk in candidates.values_list("pk", flat=True).iterator():
            candidate_score_refresh(candidate_id=pk)
            count += 1
        self.stdout.write(f"Candidate scores refreshed: {count}")
