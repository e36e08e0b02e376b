"""Fixtures for the sandbox tests: the real image and Docker Engine that `make test` prepares."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from sandbox import MountPolicy, leftovers
from sandbox.image import gateway_image_tag, image_tag
from sandbox.services import sandbox_mount_policy


@pytest.fixture(scope="session")
def sandbox_image() -> str:
    tag = image_tag()
    client = docker.from_env()
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        pytest.fail(f"the sandbox image {tag} is missing: `make test` builds it (python -m sandbox.image ensure)")
    return tag


@pytest.fixture(scope="session")
def gateway_image() -> str:
    tag = gateway_image_tag()
    try:
        docker.from_env().images.get(tag)
    except docker.errors.ImageNotFound:
        pytest.fail(
            f"the gateway image {tag} is missing: `make test` builds it (python -m sandbox.image ensure gateway)"
        )
    return tag


@pytest.fixture
def workspace(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """A submission folder readable by the sandbox user (as extraction leaves it), inside
    the workspaces root of the test's MEDIA_ROOT, where the platform's mount policy allows it."""
    root = sandbox_mount_policy().workspaces
    folder = root / "job"
    folder.mkdir(mode=0o755, parents=True)
    for parent in [tmp_path, *folder.relative_to(tmp_path).parents]:
        (tmp_path / parent).chmod(0o755)
    return folder


@pytest.fixture
def mount_policy(settings) -> MountPolicy:  # type: ignore[no-untyped-def]
    """The policy the platform gives its jobs (sandbox.services), for jobs built directly."""
    return sandbox_mount_policy()


@pytest.fixture(autouse=True)
def _no_leftover_containers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every sandbox test that uses the engine must leave no container of ours behind.
    Only containers that appeared during the test count, and only around tests that
    use the engine; stopped ones are removed, running ones are left to their deadline
    (the reaper): another run on the same engine (a second checkout, a colleague's
    `make test`) keeps its own."""
    if not {"sandbox_image", "gateway_image", "celery_worker"} & set(request.fixturenames):
        yield
        return
    before = set(leftovers())
    yield
    left = [name for name in leftovers() if name not in before]
    client = docker.from_env()
    for name in left:
        with contextlib.suppress(docker.errors.NotFound):
            container = client.containers.get(name)
            if container.status != "running":
                container.remove(v=True)
    assert left == [], f"containers left behind: {left}"
