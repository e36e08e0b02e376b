"""What a job may mount: the one check between a job's spec (which comes from
the database) and the Docker Engine's bind mounts.

A hostile or buggy spec must never mount anything but a candidate's workspace
(at /workspace) and a task-data version's public folder (at /data): not the
hidden questions beside `public/`, not `/`, the Docker socket or `/etc`, not a
symlink or `..` leading elsewhere. The caller names the allowed roots in a
`MountPolicy` carried by the job (the platform reads them from its settings);
the runner calls `check_mounts` before it creates any container and mounts the
resolved paths it returns, so a symlink swapped in after the check is not
followed by the engine either.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .job import SandboxJob

PUBLIC_FOLDER = "public"


class MountRefused(Exception):
    """A job's workspace or data folder is outside what its policy allows; the job does not run."""


@dataclass(frozen=True)
class MountPolicy:
    """The folders a job's mounts may come from.

    `workspaces`: a job's workspace is a folder strictly inside it (never the root
    itself, which holds every candidate's workspace). `task_data`: a job's data
    folder is exactly `<task_data>/<name>/<version>/public`; None: no data mount at all.
    """

    workspaces: Path
    task_data: Path | None = None


@dataclass(frozen=True)
class CheckedMounts:
    """The resolved (symlink-free) sources to mount."""

    workspace: Path
    data: Path | None


def _resolved(path: Path, what: str) -> Path:
    if not path.is_absolute():
        raise MountRefused(f"the {what} {str(path)[:200]!r} is not an absolute path")
    return Path(os.path.realpath(path))


def _root(path: Path, what: str) -> Path:
    root = _resolved(path, what)
    if root == Path(root.anchor):
        raise MountRefused(f"the {what} is the file system's root")
    return root


def _inside(path: Path, root: Path) -> bool:
    return path != root and path.is_relative_to(root)


def _check_workspace(workspace: Path, policy: MountPolicy, data_root: Path | None) -> Path:
    root = _root(policy.workspaces, "workspaces root")
    resolved = _resolved(workspace, "workspace")
    if not _inside(resolved, root):
        raise MountRefused(f"the workspace {str(resolved)[:200]!r} is not inside the workspaces root")
    # Even a policy whose roots overlap (workspaces root = MEDIA_ROOT) never lets a
    # workspace reach the task data, its hidden questions above all.
    if data_root is not None and (resolved.is_relative_to(data_root) or data_root.is_relative_to(resolved)):
        raise MountRefused(f"the workspace {str(resolved)[:200]!r} overlaps the task data")
    if not resolved.is_dir():
        raise MountRefused(f"the workspace {str(resolved)[:200]!r} is not a folder")
    return resolved


def _check_data(data: Path, data_root: Path | None) -> Path:
    if data_root is None:
        raise MountRefused("the job names a data folder but its policy allows none")
    resolved = _resolved(data, "data folder")
    if not _inside(resolved, data_root):
        raise MountRefused(f"the data folder {str(resolved)[:200]!r} is not inside the task data root")
    parts = resolved.relative_to(data_root).parts
    # <name>/<version>/public and nothing else: never hidden/, a sibling, the version
    # folder holding both, or a staging folder (names starting with a dot).
    if len(parts) != 3 or parts[2] != PUBLIC_FOLDER or any(part.startswith(".") for part in parts):
        raise MountRefused(f"the data folder {str(resolved)[:200]!r} is not a task-data version's public folder")
    if not resolved.is_dir():
        raise MountRefused(f"the data folder {str(resolved)[:200]!r} is not a folder")
    return resolved


def check_mounts(job: SandboxJob, policy: MountPolicy | None) -> CheckedMounts:
    """The resolved workspace and data folder of `job`, or MountRefused (nothing is mounted)."""
    if policy is None:
        raise MountRefused("the job carries no mount policy, so it may mount nothing")
    data_root = _root(policy.task_data, "task data root") if policy.task_data is not None else None
    workspace = _check_workspace(job.workspace, policy, data_root)
    data = _check_data(job.data, data_root) if job.data is not None else None
    return CheckedMounts(workspace=workspace, data=data)
