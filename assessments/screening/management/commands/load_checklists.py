"""manage.py load_checklists [FOLDER]: the flag library (flags.yaml) and the role
checklists (checklists/*.yaml) through the services; a changed checklist gets a
new version, an unchanged one nothing. FOLDER defaults to fixtures/screening."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from assessments.screening.checklists import ChecklistError, flag_validate, flags_for_template
from assessments.screening.services import checklist_store

DEFAULT = Path(settings.BASE_DIR) / "fixtures" / "screening"


class Command(BaseCommand):
    help = "Load the resume-screening flag library and role checklists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, nargs="?", default=DEFAULT)

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            library = {flag["key"]: flag_validate(flag) for flag in self._yaml(folder / "flags.yaml")}
            with transaction.atomic():
                for path in sorted((folder / "checklists").glob("*.yaml")):
                    template = self._yaml(path)
                    checklist, changed = checklist_store(
                        slug=template["slug"],
                        role=template["role"],
                        title_en=template["title_en"],
                        title_ru=template["title_ru"],
                        flags=flags_for_template(library, template),
                        note=f"loaded from {path.name}",
                    )
                    state = f"version {checklist.current.number}" if checklist.current else "?"
                    self.stdout.write(f"{checklist.slug}: {state}{' (new)' if changed else ''}")
        except (ChecklistError, KeyError) as error:
            raise CommandError(f"the checklists are not valid: {error}") from None

    def _yaml(self, path: Path) -> Any:
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise CommandError(f"{path}: {error}") from None
