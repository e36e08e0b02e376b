"""The one environment reader. `NAME_FILE` is accepted for every secret so
Docker secrets (files under /run/secrets) work without shell tricks."""

from __future__ import annotations

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def secret(name: str, default: str | None = None) -> str | None:
    """Return `name` from the environment, or the content of the file named by `NAME_FILE`."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)
