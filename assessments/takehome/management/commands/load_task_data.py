"""manage.py load_task_data FOLDER --name NAME: validate and store a version of a
take-home task's data (kb.jsonl, public_questions.jsonl and hidden_questions.jsonl,
the last either in FOLDER or in FOLDER/hidden). Loading the same data again changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.takehome.dataset import FILES, DatasetError
from assessments.takehome.services import HIDDEN_FILE, task_dataset_load


class Command(BaseCommand):
    help = "Validate and store a version of a take-home task's data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--name", required=True, help="the task data's name, e.g. rag-support")

    def handle(self, *args: Any, folder: Path, name: str, **options: Any) -> None:
        files = {}
        for file_name in FILES:
            candidates = [folder / file_name] + ([folder / "hidden" / file_name] if file_name == HIDDEN_FILE else [])
            found = next((path for path in candidates if path.is_file()), None)
            if found is None:
                raise CommandError(f"{folder}: {file_name} not found")
            files[file_name] = found.read_bytes()
        try:
            dataset, created = task_dataset_load(name=name, files=files)
        except DatasetError as error:
            raise CommandError(f"the task data is not valid: {error}") from None
        state = "stored" if created else "already stored"
        self.stdout.write(
            f"{dataset} {state}: {dataset.kb_count} knowledge-base entries, "
            f"{dataset.public_count} public and {dataset.hidden_count} hidden questions"
        )
