"""Fixtures for the sandbox tests: the real image and Docker Engine that `make test` prepares."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from sandbox import leftovers
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
def _no_leftover_containers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every sandbox test that uses the engine must leave no container of ours behind.
    Only containers that appeared during the test are counted and removed, and only
    around tests that use the engine: another test run on the same engine (a second
    checkout, a colleague's `make test`) keeps its own."""
    if not {"sandbox_image", "celery_worker"} & set(request.fixturenames):
        yield
        return
    before = set(leftovers())
    yield
    left = [name for name in leftovers() if name not in before]
    client = docker.from_env()
    for name in left:
        with contextlib.suppress(docker.errors.NotFound):
            client.containers.get(name).remove(force=True, v=True)
    assert left == [], f"containers left behind: {left}"
