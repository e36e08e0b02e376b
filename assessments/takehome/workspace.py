"""Turning an uploaded archive into a workspace the sandbox can run: unpack it
safely, find how the service starts, list its files and run the static checks
that need no sandbox (checks/: the report's sections, ruff, the size).

Decided here (the contract in DESIGN.md leaves it open):
- The service starts with `sh start.sh` (unpacked files carry no exec bit and
  /workspace is read-only), or with `sh -c "<start>"` when a `takehome.toml` at the
  root names `start = "..."`; the toml wins when both exist.
- Many people zip the folder rather than its content: when the archive holds
  one folder and nothing else at its root, that folder is the root.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sandbox import ExtractionInfrastructureError, ExtractLimits, InvalidSubmission, extract_archive

from .checks import workspace_checks

REPORT_MAX_CHARS = 100_000
IGNORED_ROOT_ENTRIES = {"__MACOSX", ".DS_Store"}


@dataclass(frozen=True)
class Workspace:
    root: Path
    command: list[str]
    files: list[dict[str, object]]
    report: str
    static_checks: dict[str, object] = field(default_factory=dict)


def _service_root(unpacked: Path) -> Path:
    entries = [entry for entry in unpacked.iterdir() if entry.name not in IGNORED_ROOT_ENTRIES]
    has_start = (unpacked / "start.sh").is_file() or (unpacked / "takehome.toml").is_file()
    if not has_start and len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return unpacked


def _start_command(root: Path) -> list[str]:
    toml_path = root / "takehome.toml"
    if toml_path.is_file():
        try:
            config = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise InvalidSubmission(f"takehome.toml is not valid TOML: {error}") from None
        start = config.get("start")
        if not isinstance(start, str) or not start.strip() or len(start) > 500:
            raise InvalidSubmission('takehome.toml must name the start command as start = "..." (one line)')
        return ["sh", "-c", start]
    if (root / "start.sh").is_file():
        return ["sh", "start.sh"]
    raise InvalidSubmission(
        "there is no start.sh at the root of the archive (nor a takehome.toml naming a start command)"
    )


def _files(root: Path) -> list[dict[str, object]]:
    listed = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            listed.append({"path": path.relative_to(root).as_posix(), "size": path.stat().st_size})
    return listed


def _report(root: Path) -> str:
    found = next((path for path in root.iterdir() if path.is_file() and path.name.lower() == "report.md"), None)
    if found is None:
        return ""
    return found.read_bytes()[: REPORT_MAX_CHARS * 4].decode("utf-8", errors="replace")[:REPORT_MAX_CHARS]


def workspace_unpack(archive: Path, target: Path, limits: ExtractLimits | None = None) -> Workspace:
    """Unpack `archive` into `target` (which must not exist). Raises InvalidSubmission
    for the archive's faults and ExtractionInfrastructureError when the worker could not
    read or write the files; the caller removes `target` then."""
    extract_archive(archive, target, limits)
    try:
        root = _service_root(target)
        command = _start_command(root)
        files = _files(root)
        report = _report(root)
    except OSError as error:  # the worker's system (too many open files, I/O): unpacked files are ours
        raise ExtractionInfrastructureError.from_os_error(error) from error
    checks = workspace_checks(root, files, report)
    return Workspace(root=root, command=command, files=files, report=report, static_checks=checks)
