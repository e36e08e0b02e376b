"""Load the project's question bank from fixtures/questionbank (topics, then
every questions/*.yaml) through the import services. Idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand

from assessments.questionbank.importing.plan import import_document
from assessments.questionbank.services import topics_load

from .import_questions import print_report

BANK = Path(settings.BASE_DIR) / "fixtures" / "questionbank"


class Command(BaseCommand):
    help = "Load the topics and questions of fixtures/questionbank (idempotent)."

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        topics = yaml.safe_load((BANK / "topics.yaml").read_text(encoding="utf-8"))
        changed = topics_load(entries=topics)
        self.stdout.write(f"topics: {len(topics)} ({changed} created or changed)")
        for path in sorted((BANK / "questions").glob("*.yaml")):
            report = import_document(actor=None, document=path.name, data=path.read_bytes(), apply=True)
            print_report(self, report, verbosity=0 if verbosity < 2 else verbosity)
