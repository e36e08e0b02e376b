"""/healthz and /readyz against the real services."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hiring_platform import health


def test_healthz_answers_without_touching_dependencies(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_readyz_reports_every_dependency_up_with_a_live_worker(client, celery_worker: Any) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "redis", "docker", "celery_worker"}
    assert all(check["status"] == "up" for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_reports_a_down_dependency_without_leaking_its_address(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "not ready"
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "up"
    assert "127.0.0.1" not in json.dumps(body)


@pytest.mark.django_db
def test_readyz_without_a_celery_worker_is_not_ready(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # No worker fixture here; a worker of a concurrently running `make run`
    # uses another Redis database, so it cannot answer this ping.
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["celery_worker"]["status"] == "down"
    assert health.CHECKS["celery_worker"] is health.check_celery_worker
