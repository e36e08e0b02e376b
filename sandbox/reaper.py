"""Remove sandbox containers past their deadline. A Celery hard time limit
kills the worker process, not the containers it started: their labels say
when they must be gone, and a periodic task calls `reap`."""

from __future__ import annotations

import time

from docker.errors import DockerException
from docker.models.containers import Container

from .runner import LABEL, docker_client


def _remove(containers: list[Container]) -> list[str]:
    """Remove each container (volumes too); names of those removed. A failure is left to the next sweep."""
    removed = []
    for container in containers:
        try:
            container.remove(force=True, v=True)
        except DockerException:  # NotFound included: already gone
            continue
        removed.append(container.name)
    return removed


def reap(*, now: float | None = None, all_of_ours: bool = False) -> list[str]:
    """Remove our containers whose deadline has passed (or all of ours); return their names."""
    now = time.time() if now is None else now
    ours = docker_client().containers.list(all=True, filters={"label": f"{LABEL}=1"})
    return _remove([c for c in ours if all_of_ours or float(c.labels.get(f"{LABEL}.deadline", "0") or 0) < now])


def reap_job(job_id: str) -> list[str]:
    """Remove every container of one job, whatever its deadline."""
    return _remove(docker_client().containers.list(all=True, filters={"label": f"{LABEL}.job={job_id}"}))


def leftovers() -> list[str]:
    """Names of our containers that still exist (for tests and health checks)."""
    client = docker_client()
    return [container.name for container in client.containers.list(all=True, filters={"label": f"{LABEL}=1"})]
