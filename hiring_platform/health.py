"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: every
dependency answers) as JSON, for load balancers and `make run`'s banner."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import docker
import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hiring_platform.celery import app as celery_app


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis() -> None:
    client = redis.Redis.from_url(str(settings.REDIS_URL), socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def check_docker() -> None:
    client = docker.DockerClient(base_url=settings.DOCKER_HOST, timeout=settings.DOCKER_PING_TIMEOUT_SECONDS)
    try:
        client.ping()
    finally:
        client.close()


def check_celery_worker() -> None:
    # limit=1: return as soon as one worker answers instead of waiting out the timeout.
    replies = celery_app.control.ping(timeout=1.0, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker answered a ping within 1 s")


logger = logging.getLogger(__name__)

CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "redis": check_redis,
    "docker": check_docker,
    "celery_worker": check_celery_worker,
}


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            # The details go to the log only: the endpoint is public and must not leak hosts.
            logger.warning("readiness check %s failed: %s", name, exc)
            results[name] = {"status": "down", "error": type(exc).__name__}
        else:
            results[name] = {"status": "up"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    ready = all(result["status"] == "up" for result in results.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": results}, status=200 if ready else 503)
