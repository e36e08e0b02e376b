"""manage.py import_questions PATH... : import question documents into the bank.

Reads the bank's YAML format (.yaml/.yml) and plain-text documents laid out
like the seeds (.txt/.md). Prints what each entry did; `--dry-run` only reports.
Each document is all-or-nothing: an error names the line and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.questionbank.importing.errors import ImportFormatError
from assessments.questionbank.importing.plan import ImportReport, import_document


def print_report(command: BaseCommand, report: ImportReport, verbosity: int) -> None:
    counts = ", ".join(f"{action} {count}" for action, count in report.counts().items())
    command.stdout.write(f"{report.document}: {counts}{'' if report.applied else ' (dry run, nothing written)'}")
    for outcome in report.outcomes:
        if verbosity >= 2 or (verbosity >= 1 and outcome.action not in ("unchanged",)):
            reason = f" - {outcome.reason}" if outcome.reason else ""
            command.stdout.write(f"  line {outcome.line}: {outcome.action} {outcome.key}{reason}")


class Command(BaseCommand):
    help = "Import questions from YAML (the bank's format) or plain-text documents laid out like the seeds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")

    def handle(self, *args: Any, paths: list[Path], dry_run: bool, verbosity: int, **options: Any) -> None:
        failed = False
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError as error:
                self.stderr.write(f"{path}: cannot read the file ({error.strerror}).")
                failed = True
                continue
            try:
                report = import_document(actor=None, document=path.name, data=data, apply=not dry_run)
            except ImportFormatError as error:
                self.stderr.write(f"ERROR {error.message}")
                failed = True
                continue
            print_report(self, report, verbosity)
        if failed:
            raise CommandError("some documents were not imported (see above); nothing was written for them.")
