"""manage.py load_task_data FOLDER --name NAME: validate and store a version of a
take-home task's data (kb.jsonl, public_questions.jsonl and hidden_questions.jsonl,
the last either in FOLDER or in FOLDER/hidden). Loading the same data again changes nothing.

When FOLDER also holds a `task.yaml` (and instructions.en.md / instructions.ru.md),
the task template it describes is created, or updated to use this data version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from assessments.takehome.dataset import FILES, DatasetError
from assessments.takehome.models import TakeHomeTask
from assessments.takehome.services import HIDDEN_FILE, task_dataset_load, task_update
from assessments.takehome.services.task_templates import EDITABLE_FIELDS


class Command(BaseCommand):
    help = "Validate and store a version of a take-home task's data (and its task template, if described)."

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
        template = self._template(folder)
        try:
            with transaction.atomic():
                dataset, created = task_dataset_load(name=name, files=files)
                if template is not None:
                    task = TakeHomeTask.objects.filter(slug=template["slug"]).first() or TakeHomeTask(
                        slug=template["slug"]
                    )
                    task.dataset = dataset
                    task_update(task=task, **{key: template[key] for key in EDITABLE_FIELDS if key in template})
        except DatasetError as error:
            raise CommandError(f"the task data is not valid: {error}") from None
        except ValidationError as error:
            raise CommandError(f"task.yaml is not valid: {error.message_dict}") from None
        state = "stored" if created else "already stored"
        self.stdout.write(
            f"{dataset} {state}: {dataset.kb_count} knowledge-base entries, "
            f"{dataset.public_count} public and {dataset.hidden_count} hidden questions"
        )
        if template is not None:
            self.stdout.write(f"task {template['slug']!r} uses {dataset}")

    def _template(self, folder: Path) -> dict[str, Any] | None:
        path = folder / "task.yaml"
        if not path.is_file():
            return None
        try:
            template = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise CommandError(f"{path}: not valid YAML: {error}") from None
        if not isinstance(template, dict) or not template.get("slug"):
            raise CommandError(f"{path}: a mapping with at least `slug` is expected")
        for language in ("en", "ru"):
            instructions = folder / f"instructions.{language}.md"
            if not instructions.is_file():
                raise CommandError(f"{folder}: instructions.{language}.md not found")
            template[f"instructions_{language}"] = instructions.read_text(encoding="utf-8")
        return template
