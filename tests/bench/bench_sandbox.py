"""Sandbox overhead against a bare process on the host.

Prints: start-to-result for a trivial job and for a job doing ~10 s of CPU
work, sandboxed vs bare (ratio); container start-up p50/p95 (start to the
program's first output); a service job with the grading client's container;
jobs per minute at a concurrency of 2 on this machine. Run with `make bench`."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sandbox import Limits, SandboxJob, ServiceJob, Verdict, run, run_service
from sandbox.image import image_tag

TRIVIAL = "pass"
WORK_10S = "import time\nend = time.perf_counter() + 10\nwhile time.perf_counter() < end: pass\n"
STAMP = "import time; print(time.time(), flush=True)"
SERVER = """
import json, os
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers()
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"answer": "a", "sources": []}).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass
HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare(source: str) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", source], check=True)
    return time.perf_counter() - began


def boxed(image: str, workspace: Path, source: str, name: str = "bench") -> float:
    (workspace / "job.py").write_text(source)
    began = time.perf_counter()
    result = run(SandboxJob(name, 1, image, ["python3", "job.py"], workspace, limits=Limits(wall_seconds=60)))
    assert result.verdict == Verdict.OK, result.detail
    return time.perf_counter() - began


def test_sandbox_overhead() -> None:
    image = image_tag()
    workspace = Path(tempfile.mkdtemp())
    workspace.chmod(0o755)
    boxed(image, workspace, TRIVIAL)  # warm the engine's caches

    trivial_bare = [bare(TRIVIAL) for _ in range(10)]
    trivial_box = [boxed(image, workspace, TRIVIAL) for _ in range(10)]
    work_bare = bare(WORK_10S)
    work_box = boxed(image, workspace, WORK_10S)

    startups = []
    for _ in range(20):
        (workspace / "job.py").write_text(STAMP)
        began = time.time()
        result = run(SandboxJob("bench-start", 1, image, ["python3", "job.py"], workspace))
        startups.append(float(result.logs.split()[0]) - began)

    (workspace / "server.py").write_text(SERVER)
    questions = [{"id": str(n), "question": "q"} for n in range(10)]
    service_times = []
    for _ in range(5):
        began = time.perf_counter()
        graded = run_service(
            ServiceJob(SandboxJob("bench-svc", 1, image, ["python3", "server.py"], workspace), questions)
        )
        assert graded.verdict == Verdict.OK, graded.detail
        service_times.append(time.perf_counter() - began)

    jobs = 20
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda n: boxed(image, workspace, TRIVIAL, f"bench-{n}"), range(jobs)))
    per_minute = jobs / (time.perf_counter() - began) * 60

    median_bare, median_box = statistics.median(trivial_bare), statistics.median(trivial_box)
    print("\nsandbox overhead (start to result)")
    print(
        f"  trivial job: bare {median_bare:.3f} s, sandboxed {median_box:.3f} s, "
        f"overhead {median_box - median_bare:.3f} s, ratio {median_box / median_bare:.2f}"
    )
    print(f"  10 s job:    bare {work_bare:.2f} s, sandboxed {work_box:.2f} s, ratio {work_box / work_bare:.3f}")
    print(
        f"  container start to first output: p50 {percentile(startups, 0.5):.3f} s, "
        f"p95 {percentile(startups, 0.95):.3f} s"
    )
    print(
        f"  service job (server + grading client container, 10 questions): p50 {statistics.median(service_times):.3f} s"
    )
    print(f"  trivial jobs per minute at concurrency 2: {per_minute:.0f}")
