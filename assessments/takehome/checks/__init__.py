"""The static checks of a submission (the `static` part of the auto-score):
REPORT.md's sections, ruff's findings and the size, computed by the worker when
the archive is unpacked; the candidate's own tests, run in the sandbox
afterwards (services/static_checks.py). The weights are in `score.py`.

`Submission.static_checks` holds {"report", "tests", "lint", "size", "score"};
each part keeps its evidence for the reviewer and its `value` (0..1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .lint import lint_check
from .report import report_check
from .score import PART_WEIGHTS, static_score
from .tests_run import TESTS_ENVIRONMENT, tests_command, tests_outcome

CODE_MAX_BYTES = 5 * 1024 * 1024  # more than this is data or vendored code, not a small service
CODE_MAX_FILES = 500
TESTS_PENDING = {"status": "pending", "value": 0.0}


def size_check(files: list[dict[str, object]]) -> dict[str, object]:
    size = sum(int(str(item["size"])) for item in files)
    ok = size <= CODE_MAX_BYTES and len(files) <= CODE_MAX_FILES
    return {"ok": ok, "bytes": size, "files": len(files), "value": 1.0 if ok else 0.0}


def workspace_checks(root: Path, files: list[dict[str, object]], report: str) -> dict[str, Any]:
    """The checks the worker runs on the unpacked files; the tests are still to run."""
    checks: dict[str, Any] = {
        "report": report_check(report),
        "tests": dict(TESTS_PENDING),
        "lint": lint_check(root, files),
        "size": size_check(files),
    }
    return {**checks, "score": static_score(checks)}


def checks_with_tests(checks: dict[str, Any], tests: dict[str, Any]) -> dict[str, Any]:
    updated = {**checks, "tests": tests}
    return {**updated, "score": static_score(updated)}


def checks_erased(checks: dict[str, Any]) -> dict[str, Any]:
    """The checks without what the candidate wrote (test output, file names,
    quoted report lines, lint messages); every count, value and the score stay."""
    if not checks:
        return {}
    erased = dict(checks)
    if isinstance(erased.get("tests"), dict):
        erased["tests"] = {**erased["tests"], "output": "", "detail": ""}
    if isinstance(erased.get("lint"), dict):
        erased["lint"] = {**erased["lint"], "findings": []}
    if isinstance(erased.get("report"), dict):
        erased["report"] = {**erased["report"], "metric_figure_line": ""}
    erased.pop("test_files", None)  # the shape before these checks listed test file names
    return erased


__all__ = [
    "CODE_MAX_BYTES",
    "CODE_MAX_FILES",
    "PART_WEIGHTS",
    "TESTS_ENVIRONMENT",
    "checks_erased",
    "checks_with_tests",
    "static_score",
    "tests_command",
    "tests_outcome",
    "workspace_checks",
]
