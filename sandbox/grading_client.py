"""The grading client: runs in the grading sidecar, a short-lived container
whose network namespace (loopback only) the candidate's service joins. Standard
library only, unless the task has a model.

argv[1] is JSON: {"port", "health_seconds", "seconds_per_answer", "bytes_per_answer"}
and, when the task has a model, "gateway": {"model", "threads", "budgets"}: the
client then first starts the model gateway (gateway.py, beside this file) on
127.0.0.1:11434, writes {"event": "gateway_ready"} (the runner starts the service
only then), tells the gateway which question is being asked, and the gateway
writes one {"event": "model_call", ...} line per call.
It waits for GET /health, then reads questions as JSON lines on stdin
({"id", "question"}), asks POST /ask for each one at a time, and writes one JSON
line per answer on stdout: {"id", "status", "answer", "sources", "latency_ms", "error"}.
Responses are read with a cap on bytes and a hard deadline per answer (an
interval timer, so a service that trickles one byte at a time cannot stretch it);
whatever the service sends, the client writes only short, well-formed lines, at
most MAX_ANSWER_CHARS of an answer. After MAX_CONSECUTIVE_TIMEOUTS timeouts in a
row the service is taken as hung: the remaining questions are recorded as timeouts
without waiting for each (they would time out the same way).
"""

from __future__ import annotations

import http.client
import json
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

MAX_SOURCES = 20
MAX_SOURCE_CHARS = 200
MAX_ANSWER_CHARS = 4000  # above what the grader compares (3x the longest reference); keeps output bounded
MAX_CONSECUTIVE_TIMEOUTS = 5


class AnswerTimeout(Exception):
    """The per-answer deadline passed."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise AnswerTimeout


_output = threading.Lock()  # the gateway's threads write call records too


def emit(record: dict[str, Any]) -> None:
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _output:
        sys.stdout.write(line)
        sys.stdout.flush()


def start_gateway(config: dict[str, Any]) -> Any:
    """Load the models and serve them; the gateway's Meter (its `question` is ours to set)."""
    import gateway

    meter = gateway.Meter(gateway.Budgets.from_config(config.get("budgets", {})))
    models = gateway.Models(str(config["model"]), int(config["threads"]), meter.budgets.context_tokens)
    gateway.serve(gateway.Gateway(models, meter, emit))
    emit({"event": "gateway_ready"})
    return meter


def request(port: int, method: str, path: str, body: bytes | None, timeout: float, cap: int) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read(cap + 1)
        return response.status, data
    finally:
        connection.close()


def wait_healthy(port: int, seconds: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            status, _ = request(port, "GET", "/health", None, timeout=2.0, cap=1024)
            if status == 200:
                return time.monotonic() - started
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    return None


def ask(port: int, question: dict[str, object], seconds: float, cap: int) -> dict[str, object]:
    record: dict[str, object] = {"id": str(question.get("id", ""))[:100], "answer": "", "sources": [], "error": ""}
    body = json.dumps({"question": str(question.get("question", ""))}, ensure_ascii=False).encode()
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        status, data = request(port, "POST", "/ask", body, timeout=seconds, cap=cap)
    except (AnswerTimeout, TimeoutError):
        return {**record, "status": "timeout", "latency_ms": round(seconds * 1000)}
    except (OSError, http.client.HTTPException) as error:
        return {**record, "status": "error", "error": type(error).__name__, "latency_ms": _ms(started)}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    record["latency_ms"] = _ms(started)
    if len(data) > cap:
        return {**record, "status": "too_large"}
    if status != 200:
        return {**record, "status": "http_error", "error": f"HTTP {status}"}
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {**record, "status": "malformed", "error": "not JSON"}
    answer = payload.get("answer") if isinstance(payload, dict) else None
    if not isinstance(answer, str):
        return {**record, "status": "malformed", "error": "no answer string"}
    sources = payload.get("sources")
    sources = sources if isinstance(sources, list) else []
    record["answer"] = answer[:MAX_ANSWER_CHARS]
    record["truncated"] = len(answer) > MAX_ANSWER_CHARS
    record["sources"] = [str(source)[:MAX_SOURCE_CHARS] for source in sources[:MAX_SOURCES]]
    record["status"] = "ok"
    return record


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def main() -> int:
    config = json.loads(sys.argv[1])
    port = int(config["port"])
    meter = start_gateway(config["gateway"]) if config.get("gateway") else None
    startup = wait_healthy(port, float(config["health_seconds"]))
    if startup is None:
        emit({"event": "never_healthy"})
        return 0
    emit({"event": "healthy", "startup_seconds": round(startup, 3)})
    signal.signal(signal.SIGALRM, _on_alarm)
    seconds = float(config["seconds_per_answer"])
    timeouts_in_a_row = 0
    for line in sys.stdin:
        try:
            question = json.loads(line)
        except ValueError:
            continue
        if timeouts_in_a_row >= MAX_CONSECUTIVE_TIMEOUTS:
            emit(
                {
                    "id": str(question.get("id", ""))[:100],
                    "status": "timeout",
                    "answer": "",
                    "sources": [],
                    "error": "not asked: the service stopped answering",
                    "latency_ms": round(seconds * 1000),
                }
            )
            continue
        if meter is not None:
            meter.question = str(question.get("id", ""))[:100]
        record = ask(port, question, seconds, int(config["bytes_per_answer"]))
        timeouts_in_a_row = timeouts_in_a_row + 1 if record["status"] == "timeout" else 0
        emit(record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
