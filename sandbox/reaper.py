"""Remove sandbox containers past their deadline. A Celery hard time limit
kills the worker process, not the containers it started: their labels say
when they must be gone, and a periodic task calls `reap`."""

from __future__ import annotations

import time

from docker.errors import DockerException, NotFound

from .runner import LABEL, docker_client


def reap(*, now: float | None = None, all_of_ours: bool = False) -> list[str]:
    """Remove our containers whose deadline has passed (or all of ours); return their names."""
    now = time.time() if now is None else now
    client = docker_client()
    removed = []
    for container in client.containers.list(all=True, filters={"label": f"{LABEL}=1"}):
        deadline = float(container.labels.get(f"{LABEL}.deadline", "0") or 0)
        if all_of_ours or deadline < now:
            try:
                container.remove(force=True, v=True)
                removed.append(container.name)
            except NotFound:
                continue
            except DockerException:
                continue
    return removed


def reap_job(job_id: str) -> list[str]:
    """Remove every container of one job, whatever its deadline."""
    client = docker_client()
    removed = []
    for container in client.containers.list(all=True, filters={"label": f"{LABEL}.job={job_id}"}):
        try:
            container.remove(force=True, v=True)
            removed.append(container.name)
        except DockerException:
            continue
    return removed


def leftovers() -> list[str]:
    """Names of our containers that still exist (for tests and health checks)."""
    client = docker_client()
    return [container.name for container in client.containers.list(all=True, filters={"label": f"{LABEL}=1"})]
