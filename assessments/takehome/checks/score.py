"""The static component of the auto-score (`static`, 5 of the 100 points), 0..1:
a weighted mean of four parts, each 0..1.

| part | weight | earns its value (0..1) for |
|---|---|---|
| report | 0.4 | REPORT.md: a quarter for each section found (approach, metric, next |
|        |     | steps: a heading with 8+ words under it, English or Russian) and a |
|        |     | quarter for a metric's figure ("hit@5 0.7"); report.py |
| tests  | 0.3 | the candidate's pytest run in the sandbox: passed tests with a body |
|        |     | / (those + failed + errors); 0 with no tests, only empty ones, a |
|        |     | timeout or a crash; tests_run.py |
| lint   | 0.2 | ruff's bug-finding rules: 1 at up to 1 finding per 100 lines of |
|        |     | Python, falling linearly to 0 at 10; 0 without Python; lint.py |
| size   | 0.1 | code within 5 MB and 500 files |

A part that could not run through no fault of the candidate (the tests job ended
in a platform error after the sandbox's retries, or ruff failed on the worker)
is left out and the others are rescaled, so it neither costs nor earns points.
A part still pending counts 0 (the score is read only once the tests are done).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PART_WEIGHTS: dict[str, float] = {"report": 0.4, "tests": 0.3, "lint": 0.2, "size": 0.1}
assert abs(sum(PART_WEIGHTS.values()) - 1.0) < 1e-9  # noqa: S101 - a guard on the table above

NOT_COUNTED = {("tests", "platform_error"), ("lint", "not_run")}


def counted(part: str, checks: Mapping[str, Any]) -> bool:
    result = checks.get(part)
    return isinstance(result, Mapping) and (part, result.get("status")) not in NOT_COUNTED


def static_score(checks: Mapping[str, Any]) -> float:
    """The weighted mean of the counted parts' values, to four places."""
    weights = {part: weight for part, weight in PART_WEIGHTS.items() if counted(part, checks)}
    total = sum(weights.values())
    if total == 0:
        return 0.0
    earned = sum(weight * float(checks[part].get("value", 0.0)) for part, weight in weights.items())
    return round(earned / total, 4)
