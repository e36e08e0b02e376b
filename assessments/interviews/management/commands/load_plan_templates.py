"""manage.py load_plan_templates [FOLDER]: the plan templates of
fixtures/interviews/templates/*.yaml through the services (validated; a changed
template gets a new version, an unchanged one nothing). Needs the question bank."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from assessments.interviews.models import Plan
from assessments.interviews.services import plan_create, plan_save
from hiring_platform.errors import ApplicationError

DEFAULT = Path(settings.BASE_DIR) / "fixtures" / "interviews" / "templates"


class Command(BaseCommand):
    help = "Load the interview plan templates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, nargs="?", default=DEFAULT)

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        problems = []
        with transaction.atomic():
            for path in sorted(folder.glob("*.yaml")):
                try:
                    template = yaml.safe_load(path.read_text(encoding="utf-8"))
                    content = {"stages": template["stages"]}
                    existing = Plan.objects.filter(template_key=template["key"]).first()
                    if existing is None:
                        plan = plan_create(
                            actor=None,
                            name=template["name"],
                            role=template["role"],
                            level=template["level"],
                            content=content,
                            template_key=template["key"],
                        )
                        written = True
                    else:
                        plan, written = plan_save(actor=None, plan=existing, content=content)
                except ApplicationError as error:
                    problems.append(f"{path.name}: " + "\n  ".join(error.extra.get("problems", [error.message])))
                    continue
                except (yaml.YAMLError, KeyError, TypeError) as error:
                    problems.append(f"{path.name}: {error!r}")
                    continue
                minutes = plan.current.total_minutes if plan.current else 0
                self.stdout.write(
                    f"{plan.template_key}: v{plan.current.number if plan.current else 0}, {minutes} min"
                    f"{' (new version)' if written else ''}"
                )
            if problems:
                transaction.set_rollback(True)
        if problems:
            raise CommandError("plan templates not valid:\n" + "\n".join(problems))
