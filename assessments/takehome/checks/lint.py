"""ruff's findings on the candidate's code, run by the worker on the unpacked
workspace. ruff only parses the files (it never imports or runs them), so this
is safe outside the sandbox; it is still bounded by a timeout.

The candidate cannot steer it: `--isolated` ignores their pyproject.toml /
ruff.toml (which could exclude everything), `--no-respect-gitignore` their
.gitignore (a `*` in it would hide every file) and `--ignore-noqa` their
`# noqa` comments. The rules are the ones that point at bugs, not taste, so
a reviewer can read each finding as a question to ask:

- E4, E7, E9, F: ruff's defaults (pyflakes and pycodestyle's errors): unused
  and undefined names, syntax errors, `== None`, bare `except:`;
- B0: bugbear's likely bugs (mutable defaults, loop variables in closures,
  `assert False`); not its opinionated B9 rules;
- S102, S301, S307, S506, S602, S605: exec, pickle, eval, yaml.load, shell=True,
  os.system: the security findings that matter for a service reading input.
  Not S104 (binding 0.0.0.0 is the contract) nor S108 (/tmp is the only
  writable place) nor S101 (tests assert);
- PLE: pylint's errors.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from ruff import find_ruff_bin

RULES = ("E4", "E7", "E9", "F", "B0", "S102", "S301", "S307", "S506", "S602", "S605", "PLE")
LINT_SECONDS = 30
FINDINGS_KEPT = 20
MESSAGE_MAX_CHARS = 200
SOURCE_SUFFIXES = (".py", ".pyi")
SOURCE_MAX_BYTES = 2 * 1024 * 1024  # a bigger "source file" is data; not read for the line count
# Findings per 100 lines of Python: full value up to the first bound, none from the second.
FULL_AT_PER_100_LINES = 1.0
ZERO_AT_PER_100_LINES = 10.0


def _python_lines(root: Path, files: list[dict[str, object]]) -> int:
    lines = 0
    for item in files:
        path, size = str(item["path"]), int(str(item["size"]))
        if path.endswith(SOURCE_SUFFIXES) and size <= SOURCE_MAX_BYTES:
            text = (root / path).read_bytes().decode("utf-8", errors="replace")
            lines += sum(1 for line in text.splitlines() if line.strip())
    return lines


def _value(findings: int, lines: int) -> float:
    if lines == 0:
        return 0.0  # no Python code: nothing earns the part
    per_100 = 100 * findings / lines
    if per_100 <= FULL_AT_PER_100_LINES:
        return 1.0
    if per_100 >= ZERO_AT_PER_100_LINES:
        return 0.0
    return (ZERO_AT_PER_100_LINES - per_100) / (ZERO_AT_PER_100_LINES - FULL_AT_PER_100_LINES)


def ruff_binary() -> str:
    """The ruff installed beside this Python (the platform's pinned one, whatever the
    worker's PATH), else the first on PATH; FileNotFoundError when there is none."""
    try:
        return find_ruff_bin()
    except FileNotFoundError:
        found = shutil.which("ruff")
        if found is None:
            raise
        return found


def _ruff(root: Path) -> list[dict[str, object]]:
    command = [
        ruff_binary(),
        "check",
        "--isolated",
        "--no-cache",
        "--no-respect-gitignore",
        "--ignore-noqa",
        "--exit-zero",
        "--output-format",
        "json",
        "--select",
        ",".join(RULES),
        ".",
    ]
    completed = subprocess.run(  # noqa: S603 - fixed arguments; the code is only parsed
        command, cwd=root, capture_output=True, timeout=LINT_SECONDS, check=True, stdin=subprocess.DEVNULL
    )
    parsed = json.loads(completed.stdout or b"[]")
    if not isinstance(parsed, list):
        raise ValueError("ruff's output is not a list")
    return parsed


def _finding(root: Path, raw: dict[str, object]) -> dict[str, object]:
    location = raw.get("location")
    filename = Path(str(raw.get("filename", "")))
    try:
        file = filename.relative_to(root.resolve()).as_posix()
    except ValueError:
        file = filename.name
    return {
        "file": file,
        "line": int(location.get("row", 0)) if isinstance(location, dict) else 0,
        "code": str(raw.get("code") or "syntax-error"),  # a syntax error has no rule code
        "message": str(raw.get("message", ""))[:MESSAGE_MAX_CHARS],
    }


def lint_check(root: Path, files: list[dict[str, object]]) -> dict[str, object]:
    """Counts by rule, the first FINDINGS_KEPT findings (file, line, code, message)
    and the part's value; "not_run" (value 0) when ruff fails or times out."""
    try:
        lines = _python_lines(root, files)
        raw = _ruff(root)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        detail = "timed out" if isinstance(error, subprocess.TimeoutExpired) else type(error).__name__
        return {"status": "not_run", "detail": detail, "value": 0.0}
    findings = sorted(
        (_finding(root, item) for item in raw if isinstance(item, dict)),
        key=lambda finding: (str(finding["file"]), int(str(finding["line"])), str(finding["code"])),
    )
    by_rule = Counter(str(finding["code"]) for finding in findings)
    return {
        "status": "ok",
        "total": len(findings),
        "by_rule": dict(by_rule.most_common()),
        "findings": findings[:FINDINGS_KEPT],
        "python_lines": lines,
        "per_100_lines": round(100 * len(findings) / lines, 2) if lines else None,
        "value": round(_value(len(findings), lines), 4),
    }
