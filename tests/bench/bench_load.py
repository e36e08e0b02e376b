"""Load test: the platform started as `make run` starts it (the Procfile's web,
worker, sandbox worker and beat through honcho, migrated and loaded by the same
`migrate_and_load` of scripts/lib.sh) on a database, media folder and port of its
own, so a developer's `make run` data is untouched; then 50 people at once through
locust (tests/bench/load_users.py): 15 recruiters, 15 interviewers filling scoring
forms and 20 take-home candidates polling their status, who all upload a reference
solution at the same moment. Prints requests, throughput, p50/p95/p99 and errors
per endpoint, and how long the grading queue takes to drain. Every process it
started is stopped and the database dropped, even on failure. Run with `make bench`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT
from tests.takehome.conftest import zip_folder

DATABASE = os.environ.get("BENCH_LOAD_DATABASE", "bench_hiring")
RECRUITERS, INTERVIEWERS, CANDIDATES = 15, 15, 20  # 50 people
INTERVIEWS_EACH = 30  # more forms than one interviewer fills in the test
LOAD_SECONDS, SUBMIT_AT = 120, 30
DRAIN_LIMIT_SECONDS = 360
# Solutions of every quality, so that fast and slow gradings queue together (the
# embedding models load in the sandbox: the slow ones).
REFERENCES = ("keyword", "random", "empty", "keyword", "embedding")
# The rate limits stay on, but every simulated person calls from 127.0.0.1, which the
# per-address limits would count as one client: 30 sign-ins, 20 pages polling every
# 2 s and 20 uploads. Raised for the bench only (and printed).
RAISED_LIMITS = {
    "RATELIMIT_LOGIN": "1000/10m",
    "RATELIMIT_CANDIDATE_LINK": "100000/10m",
    "RATELIMIT_CANDIDATE_UPLOAD": "1000/h",
}


def database_url(name: str) -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{name}"))


def maintenance() -> psycopg.Connection[Any]:
    return psycopg.connect(database_url("postgres"), autocommit=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - our own server on 127.0.0.1
        return str(answer.read().decode())


class Platform:
    """The Procfile's processes on the bench's database; `stop` ends all of them."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "platform.log"
        for folder in ("media", "prometheus"):
            (workdir / folder).mkdir(mode=0o755)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hiring_platform.settings.local",  # as `make run`
            "DATABASE_URL": database_url(DATABASE),
            "MEDIA_ROOT": str(workdir / "media"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(workdir / "celerybeat-schedule"),
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
            "WEB_PORT": str(self.port),
            "SITE_URL": self.url,
            "LOG_LEVEL": "WARNING",
            **RAISED_LIMITS,
        }
        self.honcho: subprocess.Popen[bytes] | None = None
        self.processes: list[psutil.Process] = []
        self.deepest: dict[str, int] = {}
        self.scrapes = self.missed_scrapes = 0

    def prepare(self) -> None:
        with maintenance() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{DATABASE}"')
        self.run(["bash", "-c", ". scripts/lib.sh && migrate_and_load"])

    def run(self, command: list[str]) -> None:
        with self.log.open("ab") as log:
            done = subprocess.run(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, check=False)
        assert done.returncode == 0, f"{command} failed; see {self.log}:\n{self.tail()}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.honcho = subprocess.Popen(
                [str(ROOT / ".venv/bin/honcho"), "-f", str(ROOT / "Procfile"), "-d", str(ROOT), "start"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.honcho.poll() is None, f"honcho exited with {self.honcho.returncode}:\n{self.tail()}"
            with contextlib.suppress(OSError):
                if json.loads(get(f"{self.url}/readyz", timeout=3))["status"] == "ready":
                    # Every process honcho started, to make sure that none outlives the bench.
                    self.processes = psutil.Process(self.honcho.pid).children(recursive=True)
                    return
            time.sleep(1)
        pytest.fail(f"the platform was not ready within 120 s:\n{self.tail()}")

    def stop(self) -> None:
        if self.honcho is not None and self.honcho.poll() is None:
            self.processes = self.processes or psutil.Process(self.honcho.pid).children(recursive=True)
            self.honcho.send_signal(signal.SIGTERM)  # honcho passes it on and waits for its processes
            try:
                self.honcho.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.honcho.pid, signal.SIGKILL)
                self.honcho.wait()
        _, alive = psutil.wait_procs(self.processes, timeout=15)
        for process in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        with maintenance() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:]) if self.log.exists() else ""

    def query(self, sql: str) -> Any:
        return self.query_all(sql)[0]

    def query_all(self, sql: str, *params: Any) -> list[Any]:
        with psycopg.connect(database_url(DATABASE)) as db:
            return db.execute(sql, params).fetchall()

    def sample_queues(self) -> dict[str, int] | None:
        """The Celery queues' depths on /metrics, keeping the deepest seen. A scrape that
        takes longer than Prometheus' default timeout (10 s) is counted as missed (None)."""
        self.scrapes += 1
        try:
            samples = self.metrics(timeout=10)
        except OSError:
            self.missed_scrapes += 1
            return None
        depths = {
            dict(labels)["queue"]: int(value)
            for (name, labels), value in samples.items()
            if name == "hiring_celery_queue_depth"
        }
        for queue, depth in depths.items():
            self.deepest[queue] = max(self.deepest.get(queue, 0), depth)
        return depths

    def metrics(self, timeout: float = 30) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
        families = text_string_to_metric_families(get(f"{self.url}/metrics", timeout=timeout))
        return {(s.name, frozenset(s.labels.items())): s.value for family in families for s in family.samples}


@pytest.fixture
def platform() -> Iterator[Platform]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    workdir.chmod(0o755)  # the sandbox's containers read the workspaces under media/
    platform = Platform(workdir)
    try:
        yield platform
    finally:
        platform.stop()
        shutil.rmtree(workdir, ignore_errors=True)


# The grading runs of the uploads (and any that started after them), by purpose.
RUN_DURATIONS = """
    SELECT purpose, count(*),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)),
           max(extract(epoch FROM finished_at - created_at)), string_agg(DISTINCT verdict, ',')
    FROM takehome_gradingrun WHERE created_at >= to_timestamp(%s) GROUP BY purpose ORDER BY purpose
"""


def wait_drained(platform: Platform, submissions_expected: int) -> tuple[float, float | None]:
    """Poll until every upload is unpacked and every grading run done (the hidden runs
    follow the public ones in the same transaction, so there is no gap between them),
    then until both Celery queues are empty. Returns when the last run finished and
    when the queues were first seen empty (None: not within the limit)."""
    deadline = time.monotonic() + DRAIN_LIMIT_SECONDS
    next_report = time.monotonic()
    graded_at: float | None = None
    while time.monotonic() < deadline:
        depths = platform.sample_queues()
        if graded_at is None:
            submissions, waiting = platform.query(
                "SELECT (SELECT count(*) FROM takehome_submission),"
                " (SELECT count(*) FROM takehome_submission WHERE state = 'received')"
                " + (SELECT count(*) FROM takehome_gradingrun WHERE state <> 'done')"
            )
            if submissions >= submissions_expected and waiting == 0:
                finished = platform.query("SELECT extract(epoch FROM max(finished_at)) FROM takehome_gradingrun")[0]
                graded_at = float(finished)
        if graded_at is not None and depths is not None and not any(depths.values()):
            return graded_at, time.time()
        if time.monotonic() >= next_report:
            to_go = "graded" if graded_at is not None else f"{waiting} uploads and runs to go"
            print(f"  draining: {to_go}; queues {depths}", flush=True)
            next_report += 30
        time.sleep(2)
    if graded_at is None:
        pytest.fail(f"the grading did not finish within {DRAIN_LIMIT_SECONDS} s")
    return graded_at, None


def print_figures(figures: dict[str, Any]) -> None:
    print(f"\nload: {figures['users']} people for {figures['seconds']:.0f} s")
    print(f"  {'endpoint':<48} {'requests':>8} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}  (ms)")
    for row in [*figures["endpoints"], figures["total"]]:
        endpoint = f"{row['method'] or ''} {row['name']}"
        print(
            f"  {endpoint:<48} {row['requests']:>8} {row['rps']:>6.1f} {row['p50']:>6.0f}"
            f" {row['p95']:>6.0f} {row['p99']:>6.0f} {row['failures']:>6}"
        )


@pytest.mark.timeout(900)
def test_fifty_people_and_twenty_takehome_uploads_at_once(platform: Platform, tmp_path: Path) -> None:
    began = time.monotonic()
    platform.prepare()
    plan = tmp_path / "plan.json"
    platform.run(
        [sys.executable, "-m", "tests.bench.load_setup", str(plan), str(RECRUITERS), str(INTERVIEWERS),
         str(CANDIDATES), str(INTERVIEWS_EACH)]
    )  # fmt: skip
    archives = tmp_path / "archives"
    archives.mkdir()
    for index, name in enumerate(REFERENCES):
        (archives / f"{index}-{name}.zip").write_bytes(
            zip_folder(ROOT / "fixtures/takehome/reference-solutions" / name)
        )
    platform.start()
    submissions_before = platform.query("SELECT count(*) FROM takehome_submission")[0]
    print(f"\nplatform ready on {platform.url} (database {DATABASE}) after {time.monotonic() - began:.0f} s")
    print(
        "rate limits on, per-address ones raised for the bench: "
        + ", ".join(f"{k}={v}" for k, v in RAISED_LIMITS.items())
    )

    stats = tmp_path / "stats.json"
    locust = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/bench/load_users.py"), "--host", platform.url, "--plan", str(plan),
         "--archives", str(archives), "--out", str(stats), "--recruiters", str(RECRUITERS),
         "--interviewers", str(INTERVIEWERS), "--seconds", str(LOAD_SECONDS), "--submit-at", str(SUBMIT_AT)],
        cwd=ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + LOAD_SECONDS + 120
        while locust.poll() is None and time.monotonic() < deadline:
            platform.sample_queues()  # as a monitoring system would scrape, every 2 s
            time.sleep(2)
    finally:
        if locust.poll() is None:
            locust.kill()
        locust.wait()
    assert locust.returncode == 0, f"locust exited with {locust.returncode}"
    figures = json.loads(stats.read_text())
    print_figures(figures)
    errors = figures["errors"]
    print(
        "errors: 0"
        if not errors
        else "errors: " + "; ".join(f"{e['count']}x {e['method']} {e['name']}: {e['error']}" for e in errors)
    )
    # /metrics adds up gunicorn's workers (multiprocess files): its count of status polls must be locust's.
    counted_polls = sum(
        value
        for (name, labels), value in platform.metrics().items()
        if name == "hiring_http_request_duration_seconds_count" and dict(labels)["view"] == "takehome-candidate:status"
    )
    polls = next(row for row in figures["endpoints"] if row["name"] == "/t/[link]/status/ (poll)")
    print(f"metrics: {int(counted_polls)} status polls counted across the web workers; locust sent {polls['requests']}")

    uploads = figures["uploads"]
    accepted = sum(upload["status"] == 302 for upload in uploads)
    first_upload = min(upload["started"] for upload in uploads)
    spread = max(upload["started"] for upload in uploads) - first_upload
    graded_at, emptied_at = wait_drained(platform, submissions_expected=submissions_before + accepted)
    emptied = f"{emptied_at - first_upload:.0f} s" if emptied_at else f"not within {DRAIN_LIMIT_SECONDS} s"
    print(
        f"grading: {accepted} of {len(uploads)} uploads accepted, sent within {spread:.2f} s"
        f" ({', '.join(REFERENCES)} in turn); every run done {graded_at - first_upload:.0f} s after the first"
        f" upload, both Celery queues empty after {emptied}; deepest queues on /metrics: {platform.deepest}"
        f" ({platform.scrapes} scrapes every 2 s, {platform.missed_scrapes} slower than 10 s)"
    )
    for purpose, runs, median, longest, verdicts in platform.query_all(RUN_DURATIONS, first_upload):
        print(
            f"  {purpose:<6} runs {runs}: queued to done p50 {float(median):.0f} s, max {float(longest):.0f} s;"
            f" verdicts {verdicts}"
        )
    print(f"whole load test: {time.monotonic() - began:.0f} s")
    assert errors == []
    assert len(uploads) == CANDIDATES
    assert counted_polls == polls["requests"]
