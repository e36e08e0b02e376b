"""Precision and recall of the analyser per flag on a labelled set of resumes
(fixtures/screening/labels.yaml). Used by the quality test and the bench."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .analyzer import analyse, normalise
from .checklists import flag_validate, flags_for_template


@dataclass
class FlagCounts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0


@dataclass
class Report:
    per_flag: dict[str, FlagCounts] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)  # "r07.txt: vague_claims missed"

    def add(self, other: Report) -> Report:
        merged = Report(mistakes=self.mistakes + other.mistakes)
        for key in set(self.per_flag) | set(other.per_flag):
            a, b = self.per_flag.get(key, FlagCounts()), other.per_flag.get(key, FlagCounts())
            merged.per_flag[key] = FlagCounts(
                a.true_positive + b.true_positive,
                a.false_positive + b.false_positive,
                a.false_negative + b.false_negative,
            )
        return merged


def role_checklists(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """role -> the flags of that role's shipped checklist."""
    library = {flag["key"]: flag_validate(flag) for flag in yaml.safe_load((folder / "flags.yaml").read_text())}
    checklists = {}
    for path in sorted((folder / "checklists").glob("*.yaml")):
        template = yaml.safe_load(path.read_text(encoding="utf-8"))
        checklists[template["role"]] = flags_for_template(library, template)
    return checklists


def evaluate(folder: Path, entries: Iterable[dict[str, Any]]) -> Report:
    """Each resume against its role's checklist; a flag counts only where the checklist has it."""
    checklists = role_checklists(folder)
    report = Report()
    for entry in entries:
        flags = checklists[entry["role"]]
        keys = {flag["key"] for flag in flags}
        text = normalise((folder / "resumes" / entry["file"]).read_text(encoding="utf-8"))
        found = {suggestion.key for suggestion in analyse(text, flags)}
        expected = set(entry["flags"]) & keys
        for key in keys:
            counts = report.per_flag.setdefault(key, FlagCounts())
            if key in found and key in expected:
                counts.true_positive += 1
            elif key in found:
                counts.false_positive += 1
                report.mistakes.append(f"{entry['file']}: {key} suggested but not expected")
            elif key in expected:
                counts.false_negative += 1
                report.mistakes.append(f"{entry['file']}: {key} expected but missed")
    return report


def labelled_set(folder: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8")))


def table(report: Report) -> str:
    lines = [f"{'flag':<22} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>9} {'recall':>7}"]
    for key, counts in sorted(report.per_flag.items()):
        lines.append(
            f"{key:<22} {counts.true_positive:>3} {counts.false_positive:>3} {counts.false_negative:>3}"
            f" {counts.precision:>9.2f} {counts.recall:>7.2f}"
        )
    return "\n".join(lines)
