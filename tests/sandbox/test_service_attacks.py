"""A candidate's HTTP service against the grading client: hostile answers stay
contained, and the service is never reachable but through the client."""

from __future__ import annotations

from pathlib import Path

from sandbox import ClientLimits, Limits, MountPolicy, SandboxJob, ServiceJob, Verdict, run_service
from sandbox.grading_client import MAX_ANSWER_CHARS

SERVER = """
import json, os, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

MODE = {mode!r}

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if MODE == "never_healthy":
            self.send_response(503); self.end_headers(); return
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        question = json.loads(self.rfile.read(length))["question"]
        if MODE == "huge":
            body = b'{{"answer": "' + b"x" * (5 * 1024 * 1024) + b'"}}'
        elif MODE == "long":
            body = json.dumps({{"answer": "word " * 3000, "sources": ["kb-1"]}}).encode()
        elif MODE == "garbage":
            body = b"\\x00\\xff not json at all"
        elif MODE == "no_answer":
            body = json.dumps({{"sources": ["kb-1"]}}).encode()
        elif MODE == "slow" and "slow" in question:
            time.sleep(30); body = b"{{}}"
        elif MODE == "crash":
            os._exit(3)
        else:
            body = json.dumps({{"answer": "fine: " + question, "sources": ["kb-1", "kb-2"]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
"""

QUESTIONS = [{"id": "q1", "question": "Как сбросить пароль?"}, {"id": "q2", "question": "slow one"}]
CLIENT_LIMITS = ClientLimits(health_seconds=5, seconds_per_answer=3, bytes_per_answer=64 * 1024, wall_seconds=40)


def serve(image: str, workspace: Path, mode: str) -> object:
    (workspace / "server.py").write_text(SERVER.format(mode=mode))
    policy = MountPolicy(workspaces=workspace.parent)
    job = SandboxJob(
        f"service-{mode}",
        1,
        image,
        ["python3", "server.py"],
        workspace,
        limits=Limits(wall_seconds=60),
        mount_policy=policy,
    )
    return run_service(ServiceJob(job, QUESTIONS, client_limits=CLIENT_LIMITS))


def statuses(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {answer["id"]: answer["status"] for answer in result.answers}


def test_a_well_behaved_service_is_graded(sandbox_image: str, workspace: Path) -> None:
    result = serve(sandbox_image, workspace, "ok")

    assert result.verdict == Verdict.OK, result.detail
    assert result.answers[0] == {
        "id": "q1",
        "answer": "fine: Как сбросить пароль?",
        "sources": ["kb-1", "kb-2"],
        "error": "",
        "status": "ok",
        "truncated": False,
        "latency_ms": result.answers[0]["latency_ms"],
    }
    assert result.startup_seconds is not None


def test_a_huge_answer_is_cut_at_the_cap(sandbox_image: str, workspace: Path) -> None:
    result = serve(sandbox_image, workspace, "huge")

    assert result.verdict == Verdict.OK
    assert statuses(result) == {"q1": "too_large", "q2": "too_large"}
    assert all(answer["answer"] == "" for answer in result.answers)


def test_a_long_answer_under_the_byte_cap_is_kept_cut_and_marked(sandbox_image: str, workspace: Path) -> None:
    result = serve(sandbox_image, workspace, "long")

    assert result.verdict == Verdict.OK, result.detail
    assert statuses(result) == {"q1": "ok", "q2": "ok"}
    assert [len(answer["answer"]) for answer in result.answers] == [MAX_ANSWER_CHARS, MAX_ANSWER_CHARS]
    assert all(answer["truncated"] for answer in result.answers)


def test_malformed_answers_are_recorded_as_such(sandbox_image: str, workspace: Path) -> None:
    garbage = serve(sandbox_image, workspace, "garbage")
    no_answer = serve(sandbox_image, workspace, "no_answer")

    assert statuses(garbage) == {"q1": "malformed", "q2": "malformed"}
    assert statuses(no_answer) == {"q1": "malformed", "q2": "malformed"}


def test_a_slow_answer_times_out_and_grading_goes_on(sandbox_image: str, workspace: Path) -> None:
    result = serve(sandbox_image, workspace, "slow")

    assert result.verdict == Verdict.OK
    assert statuses(result) == {"q1": "ok", "q2": "timeout"}


def test_a_server_that_never_becomes_healthy_failed_to_start(sandbox_image: str, workspace: Path) -> None:
    result = serve(sandbox_image, workspace, "never_healthy")

    assert result.verdict == Verdict.FAILED_TO_START
    assert result.answers == []


def test_a_service_that_dies_during_grading_crashed(sandbox_image: str, workspace: Path) -> None:
    result = serve(sandbox_image, workspace, "crash")

    assert result.verdict == Verdict.CRASHED
    assert "code 3" in result.detail


def test_a_service_that_exits_at_once_failed_to_start_and_is_not_retried(
    sandbox_image: str, workspace: Path, mount_policy: MountPolicy
) -> None:
    # The grading client cannot join the network of a container that already
    # exited: that is the candidate's failure, not the engine's.
    (workspace / "start.sh").write_text("echo 'model file missing' >&2\nexit 3\n")
    job = SandboxJob("svc-exits", 1, sandbox_image, ["sh", "start.sh"], workspace, mount_policy=mount_policy)

    result = run_service(ServiceJob(job, [{"id": "q1", "question": "hi"}]))

    assert result.verdict == Verdict.FAILED_TO_START
    assert not result.verdict.retryable
    assert "model file missing" in result.logs
    assert result.exit_code == 3
