"""The candidate's own tests, run with pytest in the sandbox, and what their
output tells the reviewer.

How the counts come back. The sandbox returns one thing: the container's
output. `--junitxml` would need a second channel (the file sits in the
container's /tmp, gone with it) or printing the XML, and pytest's own summary
line is prose whose wording changes between versions and that a test can print
too. So the command is `python -c RUNNER`: pytest.main() with a small plugin
that counts every report through pytest's own `pytest_report_teststatus` (the
status the terminal summary shows, independent of the candidate's `-q`/`-p
no:terminal` options), notes which tests have an empty body, and prints one
JSON line after a marker once pytest returns. The last marker line is read.

The counts are evidence for the reviewer, not proof: the tests are the
candidate's code, and a conftest.py can print a fake marker line, skip the
real run or exit early. That is why they are worth 1.5 of the 100 auto-score
points at most, and why the output is shown beside them.

Everything pytest and the tests print goes to a file in the container's /tmp
(file descriptors 1 and 2 redirected) and only its tail is printed, so a
chatty suite keeps its counts instead of passing the sandbox's output limit.

The run: `python -m pytest`-like (the workspace on sys.path, as candidates run
it), cache plugin off and no bytecode written (/workspace is read-only), temp
files under /tmp, collection errors reported without stopping the other files.
The candidate's own pytest configuration is honoured (it is their suite).
"""

from __future__ import annotations

import json
from typing import Any

from sandbox import Verdict

MARKER = "@@takehome-pytest-counts@@ "
COUNTS = ("passed", "failed", "errors", "skipped", "xfailed", "xpassed")
COUNT_MAX = 1_000_000
OUTPUT_MAX_CHARS = 20_000  # the tail: the failures and the summary are at the end
TAIL_BYTES = OUTPUT_MAX_CHARS * 2  # what the runner prints of pytest's output (UTF-8: up to 2 bytes a letter here)

# Runs inside the sandbox (Python 3.11, pytest from the image). Kept small and
# dependency-free; an "empty" test is one whose bytecode only returns None
# (`pass`, `...`, a docstring), so `def test(): pass` passes but earns nothing.
RUNNER = r"""
import collections, dis, json, os, sys
import pytest

TRIVIAL = {"RESUME", "NOP", "CACHE", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST"}


def empty(function):
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    return all(
        step.opname in TRIVIAL and (step.opname not in ("LOAD_CONST", "RETURN_CONST") or step.argval is None)
        for step in dis.get_instructions(code)
    )


class Counts:
    def __init__(self):
        self.counts = collections.Counter()
        self.empty_ids = set()
        self.empty_passed = 0
        self.collected = 0
        self.config = None

    def pytest_configure(self, config):
        self.config = config

    def pytest_collection_modifyitems(self, items):
        self.collected = len(items)
        self.empty_ids = {item.nodeid for item in items if empty(getattr(item, "function", None))}

    def pytest_collectreport(self, report):
        if report.failed:
            self.counts["errors"] += 1

    def pytest_runtest_logreport(self, report):
        status = self.config.hook.pytest_report_teststatus(report=report, config=self.config)
        category = status[0] if status else ""
        if category == "error":
            category = "errors"
        if category:
            self.counts[category] += 1
        if category == "passed" and report.nodeid in self.empty_ids:
            self.empty_passed += 1


# Everything pytest and the tests write goes to a file in /tmp; only its tail is
# printed, so a chatty suite cannot pass the sandbox's output limit and lose its counts.
log = open("/tmp/pytest-output.txt", "w+b")
saved = os.dup(1), os.dup(2)
sys.stdout.flush(), sys.stderr.flush()
os.dup2(log.fileno(), 1), os.dup2(log.fileno(), 2)
counts = Counts()
try:
    code = int(pytest.main(sys.argv[1:], plugins=[counts]))
finally:
    sys.stdout.flush(), sys.stderr.flush()
    os.dup2(saved[0], 1), os.dup2(saved[1], 2)
size = os.fstat(log.fileno()).st_size
log.seek(max(0, size - TAIL_BYTES))
sys.stdout.write(log.read().decode("utf-8", errors="replace"))
summary = {**counts.counts, "empty": counts.empty_passed, "collected": counts.collected, "exit_code": code}
summary["output_bytes"] = size
print("\n" + MARKER + json.dumps(summary), flush=True)
# Failed tests are not a crash: the exit code is in the summary.
"""


def tests_command() -> list[str]:
    return [
        "python3",
        "-c",
        f"MARKER = {MARKER!r}\nTAIL_BYTES = {TAIL_BYTES}\n{RUNNER}",
        "-p",
        "no:cacheprovider",
        "--basetemp=/tmp/pytest",
        "--continue-on-collection-errors",
        "--color=no",
        "--tb=short",
        "-rfE",
    ]


TESTS_ENVIRONMENT = {"PYTHONDONTWRITEBYTECODE": "1", "HOME": "/tmp"}  # noqa: S108 - the container's own /tmp


def _summary(logs: str) -> dict[str, int] | None:
    for line in reversed(logs.splitlines()):
        if line.startswith(MARKER):
            try:
                parsed = json.loads(line[len(MARKER) :])
            except ValueError:
                return None
            if not isinstance(parsed, dict):
                return None
            return {
                name: min(COUNT_MAX, max(0, value)) if isinstance(value, int) else 0
                for name, value in parsed.items()
                if name in (*COUNTS, "empty", "collected", "exit_code", "output_bytes")
            }
    return None


def _output(logs: str) -> tuple[str, bool]:
    shown = "\n".join(line for line in logs.splitlines() if not line.startswith(MARKER)).rstrip()
    if len(shown) <= OUTPUT_MAX_CHARS:
        return shown, False
    return shown[-OUTPUT_MAX_CHARS:], True


def tests_value(tests: dict[str, Any]) -> float:
    """Share of the tests that ran which passed with a body; 0 when none did."""
    if tests.get("status") != "ran":
        return 0.0
    substantive = max(0, int(tests.get("passed", 0)) - int(tests.get("empty", 0)))
    ran = substantive + int(tests.get("failed", 0)) + int(tests.get("errors", 0))
    return substantive / ran if substantive else 0.0


STATUS_OF_VERDICT = {
    Verdict.TIMED_OUT: "timed_out",
    Verdict.OUT_OF_MEMORY: "out_of_memory",
    Verdict.OUTPUT_LIMIT: "output_limit",
}


def tests_outcome(result: dict[str, Any]) -> dict[str, object]:
    """What the tests job's result (the sandbox's SandboxResult as stored) says.

    status: ran | no_tests | timed_out | out_of_memory | output_limit | crashed
    | platform_error (the sandbox failed us after its retries: not the
    candidate's doing, so the part is left out of the score)."""
    verdict = Verdict(str(result.get("verdict", Verdict.INFRASTRUCTURE_ERROR)))
    logs = str(result.get("logs", ""))
    output, truncated = _output(logs)
    summary = _summary(logs)
    printed_only_a_tail = summary is not None and summary.get("output_bytes", 0) > TAIL_BYTES
    outcome: dict[str, Any] = {
        "output": output,
        "output_truncated": truncated or printed_only_a_tail or bool(result.get("logs_truncated")),
        "seconds": round(float(result.get("duration_seconds") or 0.0), 2),
        "detail": str(result.get("detail", ""))[:500],
    }
    if verdict is Verdict.INFRASTRUCTURE_ERROR:
        outcome.update(status="platform_error", output="")
    elif verdict in STATUS_OF_VERDICT:
        outcome["status"] = STATUS_OF_VERDICT[verdict]
    elif summary is None:
        outcome.update(status="crashed", exit_code=result.get("exit_code"))
    elif summary.get("collected", 0) == 0 and not summary.get("errors"):
        outcome.update(status="no_tests", exit_code=summary.get("exit_code"))
    else:
        outcome.update(status="ran", **{name: summary.get(name, 0) for name in (*COUNTS, "empty", "collected")})
        outcome["exit_code"] = summary.get("exit_code")
    outcome["value"] = round(tests_value(outcome), 4)
    return outcome
