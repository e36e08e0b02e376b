"""Shared fixtures: one user per role, API clients, a real Celery worker process."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from hiring_platform.accounts.roles import Role

from .factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("anonymous", "recruiter", "interviewer", "hiring_manager", "admin")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The test database starts with the project's question bank, loaded once
    through the same command as `make run`. Tests roll back their own writes;
    transactional tests (which flush) run last and load what they need."""
    with django_db_blocker.unblock():
        call_command("load_question_bank", verbosity=0)


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English; a request in Russian must not leak into the next test."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path, settings: pytest.FixtureRequest) -> None:
    """Every test writes uploads into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_rate_limit_counts() -> None:
    """Rate-limit counters live in Redis, which outlives a test (Axes' failed sign-ins
    and lockouts are database rows: rolled back or flushed with the test). Each test
    starts with none, or tests that sign in often from 127.0.0.1 would meet a 429."""
    connection = redis.Redis.from_url(settings.REDIS_URL)
    try:
        keys = list(connection.scan_iter(match=f"*:{settings.RATELIMIT_CACHE_PREFIX}*", count=1000))
        if keys:
            connection.delete(*keys)
    except redis.ConnectionError:
        pass  # Redis is down (a fault test restarts it): there are no counters to meet either
    finally:
        connection.close()


@pytest.fixture
def recruiter(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.RECRUITER, username="rita")


@pytest.fixture
def interviewer(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.INTERVIEWER, username="ivan")


@pytest.fixture
def hiring_manager(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.HIRING_MANAGER, username="maria")


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.ADMIN, username="alex")


@pytest.fixture
def users(recruiter, interviewer, hiring_manager, admin_user):  # type: ignore[no-untyped-def]
    return {
        "anonymous": None,
        "recruiter": recruiter,
        "interviewer": interviewer,
        "hiring_manager": hiring_manager,
        "admin": admin_user,
    }


@pytest.fixture
def rag_task(db):  # type: ignore[no-untyped-def]
    """The bundled take-home task, loaded as `make run` loads it."""
    from assessments.takehome.models import TakeHomeTask

    call_command("load_task_data", str(ROOT / "fixtures/takehome/rag-support-v1"), "--name", "rag-support", verbosity=0)
    return TakeHomeTask.objects.get(slug="rag-support")


@pytest.fixture
def checklists(db):  # type: ignore[no-untyped-def]
    """The shipped screening checklists, loaded as `make run` loads them."""
    from assessments.screening.models import Checklist

    call_command("load_checklists", verbosity=0)
    return {checklist.slug: checklist for checklist in Checklist.objects.select_related("current")}


@pytest.fixture
def evaluated(recruiter, interviewer, checklists, rag_task):  # type: ignore[no-untyped-def]
    """A candidate evaluated at every stage and their plan (tests/interviews/scoring.py)."""
    from tests.interviews.scoring import evaluated_candidate

    return evaluated_candidate(recruiter, interviewer, checklists, rag_task)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def recruiter_api(recruiter) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(recruiter)
    return client


def _test_database_url() -> str:
    database = settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )


def start_worker(name: str = "test") -> subprocess.Popen[bytes]:
    """A real Celery worker process (both queues) on the test Redis and the test
    database, with the calling test's MEDIA_ROOT; returns once it answers a ping.
    Stop it with `stop_worker`."""
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DJANGO_SETTINGS_MODULE": "hiring_platform.settings.test",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the test's own folder: uploads and workspaces
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "hiring_platform",
        "worker",
        "--loglevel",
        "WARNING",
        "--concurrency",
        "1",
        "--pool",
        "prefork",
        "--queues",
        "celery,sandbox",
        "--prefetch-multiplier",
        "1",
        "--hostname",
        f"{name}-{os.getpid()}@%h",
        "--without-mingle",
        "--without-gossip",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    from hiring_platform.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5, destination=[f"{name}-{os.getpid()}@{socket.gethostname()}"]):
            return process
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {process.returncode}")
    stop_worker(process, signal.SIGKILL)
    pytest.fail("the Celery worker did not answer a ping within 60 s")


def stop_worker(process: subprocess.Popen[bytes], how: signal.Signals = signal.SIGTERM) -> None:
    """Stop the worker and its pool processes (SIGKILL: as if the machine lost them)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, how)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[subprocess.Popen[bytes]]:  # type: ignore[no-untyped-def]
    """A live worker for tests that use Celery; they see committed data only (transactional_db)."""
    process = start_worker()
    yield process
    stop_worker(process)


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path


@pytest.hookimpl(trylast=True)  # after pytest-django has put transactional tests last
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that restart the project's services run after everything else, so a
    slow recovery can only fail them, never a test that merely shared the machine."""
    items.sort(key=lambda item: item.get_closest_marker("faults") is not None)
