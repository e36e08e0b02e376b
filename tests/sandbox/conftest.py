"""Fixtures for the sandbox tests: the real image and Docker Engine that `make test` prepares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from sandbox import leftovers, reap
from sandbox.image import image_tag


@pytest.fixture(scope="session")
def sandbox_image() -> str:
    tag = image_tag()
    client = docker.from_env()
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        pytest.fail(f"the sandbox image {tag} is missing: `make test` builds it (python -m sandbox.image ensure)")
    return tag


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A submission folder readable by the sandbox user (as extraction leaves it)."""
    folder = tmp_path / "workspace"
    folder.mkdir(mode=0o755)
    tmp_path.chmod(0o755)
    return folder


@pytest.fixture(autouse=True)
def _no_leftover_containers() -> Iterator[None]:
    """Every sandbox test must leave no container of ours behind."""
    yield
    left = leftovers()
    reap(all_of_ours=True)
    assert left == [], f"containers left behind: {left}"
