"""The model gateway beside a candidate's service, in the real sandbox: the service
reaches the model only on 127.0.0.1:11434 in the API shapes clients know, every
call is metered and logged against the question being asked, budgets hold,
malformed or hostile requests get the error a client expects (never a hang), and
the same service gives the same answers twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sandbox import ClientLimits, GatewayLimits, Limits, MountPolicy, SandboxJob, ServiceJob, Verdict, run_service

pytestmark = pytest.mark.timeout(600)

# The candidate's service: each question names what to do with the gateway; the
# answer is a JSON report of what came back.
SERVER = r"""
import json, os, socket, threading, urllib.error, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GATEWAY = "http://127.0.0.1:11434"
M = "qwen2.5-coder-0.5b-instruct"
CHAT = [{"role": "user", "content": "Reply with one word: the capital of France."}]


def call(path, body=None, raw=None, method=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    method = method or ("POST" if data is not None else "GET")
    request = urllib.request.Request(GATEWAY + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=50) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def shapes():
    _, openai = call("/v1/chat/completions", {"model": M, "messages": CHAT, "max_tokens": 8, "temperature": 1.5})
    _, ollama = call("/api/chat", {"model": M, "messages": CHAT, "stream": False, "options": {"num_predict": 8}})
    _, completion = call("/v1/completions", {"model": M, "prompt": "2 + 2 =", "max_tokens": 4})
    options = {"num_predict": 4}
    _, generate = call("/api/generate", {"model": M, "prompt": "2 + 2 =", "stream": False, "options": options})
    _, vectors = call("/v1/embeddings", {"model": "use-multilingual-v3", "input": ["сброс пароля", "password reset"]})
    _, embed = call("/api/embed", {"model": "use-multilingual-v3", "input": "password reset"})
    first, second = (item["embedding"] for item in vectors["data"])
    return {
        "models": [m["id"] for m in call("/v1/models")[1]["data"]],
        "tags": [m["name"] for m in call("/api/tags")[1]["models"]],
        "openai": openai["choices"][0]["message"]["content"],
        "ollama": ollama["message"]["content"],
        "usage": openai["usage"],
        "ollama_counts": [ollama["prompt_eval_count"], ollama["eval_count"]],
        "completion": completion["choices"][0]["text"],
        "generate": generate["response"],
        "dimensions": [len(first), len(embed["embeddings"][0])],
        "cross_language": round(sum(a * b for a, b in zip(first, second)), 2),
    }


def errors():
    model = "qwen2.5-coder-0.5b-instruct"
    return {
        "unknown_model": call("/v1/chat/completions", {"model": "gpt-4o", "messages": CHAT}),
        "unknown_ollama": call("/api/chat", {"model": "llama3", "messages": CHAT, "stream": False}),
        "malformed": call("/v1/chat/completions", raw=b"{not json"),
        "no_messages": call("/v1/chat/completions", {"model": model}),
        "stream": call("/v1/chat/completions", {"model": model, "messages": CHAT, "stream": True}),
        "ollama_default_stream": call("/api/generate", {"model": model, "prompt": "hi"}),
        "huge": call("/v1/completions", raw=json.dumps({"model": model, "prompt": "x" * 1_000_000}).encode()),
        "no_path": call("/v1/nothing", {"model": model}),
    }


def budget():
    body = {"model": "qwen2.5-coder-0.5b-instruct", "messages": CHAT, "max_tokens": 8}
    return [call("/v1/chat/completions", body)[0] for _ in range(3)]


def flood():
    statuses = []
    def one():
        try:
            statuses.append(call("/v1/chat/completions", {"model": M, "messages": CHAT, "max_tokens": 2})[0])
        except Exception as error:
            statuses.append(type(error).__name__)
    threads = [threading.Thread(target=one) for _ in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(set(map(str, statuses)))


def reach():
    open_ports = []
    for port in range(1, 65536):
        with socket.socket() as probe:
            probe.settimeout(0.05)
            # A probe can connect to itself when the kernel picks the probed port as its own
            # source port (TCP simultaneous open): that is no listener.
            if probe.connect_ex(("127.0.0.1", port)) == 0 and probe.getsockname() != probe.getpeername():
                open_ports.append(port)
    outside = []
    for host in ("8.8.8.8", "172.17.0.1"):
        try:
            socket.create_connection((host, 80), timeout=1).close()
            outside.append(host)
        except OSError:
            pass
    return {"open": open_ports, "outside": outside, "model_here": os.path.exists("/opt/model/model.gguf")}


ACTIONS = {"shapes": shapes, "errors": errors, "budget": budget, "budget-again": budget, "flood": flood, "reach": reach}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers()

    def do_POST(self):
        question = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["question"]
        body = json.dumps({"answer": json.dumps(ACTIONS[question]()), "sources": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
"""


def serve(sandbox_image: str, gateway_image: str, workspace: Path, questions: list[str], **budgets: int) -> Any:
    (workspace / "server.py").write_text(SERVER)
    job = SandboxJob(
        f"gateway-{questions[0]}",
        1,
        sandbox_image,
        ["python3", "server.py"],
        workspace,
        limits=Limits(wall_seconds=60),
        mount_policy=MountPolicy(workspaces=workspace.parent),
    )
    service = ServiceJob(
        job,
        [{"id": f"q-{name}", "question": name} for name in questions],
        client_limits=ClientLimits(health_seconds=20, seconds_per_answer=120, wall_seconds=500),
        gateway=GatewayLimits(image=gateway_image, cpus=1.0, budgets=budgets),
    )
    result = run_service(service)
    assert result.verdict == Verdict.OK, (result.detail, result.logs[-2000:])
    return result


def report(result: Any, question: str) -> Any:
    answer = next(a for a in result.answers if a["id"] == f"q-{question}")
    assert answer["status"] == "ok", answer
    return json.loads(answer["answer"])


def test_the_model_answers_in_openai_and_ollama_shapes_deterministically_and_every_call_is_logged(
    sandbox_image: str, gateway_image: str, workspace: Path
) -> None:
    # given a service that calls every endpoint once, run twice
    first = serve(sandbox_image, gateway_image, workspace, ["shapes"])
    second = serve(sandbox_image, gateway_image, workspace, ["shapes"])

    shapes = report(first, "shapes")
    assert shapes["models"] == shapes["tags"] == ["qwen2.5-coder-0.5b-instruct", "use-multilingual-v3"]
    # The same messages give the same text whichever API shape, and whatever temperature was asked
    assert shapes["openai"] == shapes["ollama"]
    assert "paris" in shapes["openai"].lower()
    assert shapes["usage"]["total_tokens"] == shapes["usage"]["prompt_tokens"] + shapes["usage"]["completion_tokens"]
    assert shapes["ollama_counts"] == [shapes["usage"]["prompt_tokens"], shapes["usage"]["completion_tokens"]]
    assert shapes["completion"] == shapes["generate"]
    assert shapes["dimensions"] == [512, 512]
    assert shapes["cross_language"] > 0.7  # the multilingual model: the same meaning in two languages
    assert report(second, "shapes") == shapes  # the same service and data: the same answers

    # every call is in the log, charged to the question being asked, with what was sent and returned
    calls = [call for call in first.model_calls if call["endpoint"] not in ("/v1/models", "/api/tags")]
    assert [call["endpoint"] for call in calls] == [
        "/v1/chat/completions", "/api/chat", "/v1/completions", "/api/generate", "/v1/embeddings", "/api/embed",
    ]  # fmt: skip
    assert {call["question"] for call in calls} == {"q-shapes"}
    assert {call["status"] for call in calls} == {200}
    chat = calls[0]
    assert "capital of France" in chat["prompt"]
    assert chat["completion"] == shapes["openai"]
    assert chat["temperature_requested"] == 1.5  # recorded, not used
    assert chat["prompt_tokens"] == shapes["usage"]["prompt_tokens"]
    assert all(call["ms"] >= 0 for call in calls)


def test_bad_requests_get_the_error_a_client_expects(sandbox_image: str, gateway_image: str, workspace: Path) -> None:
    result = serve(sandbox_image, gateway_image, workspace, ["errors"])

    errors = report(result, "errors")
    status = {name: value[0] for name, value in errors.items()}
    assert status == {
        "unknown_model": 404,
        "unknown_ollama": 404,
        "malformed": 400,
        "no_messages": 400,
        "stream": 400,
        "ollama_default_stream": 400,
        "huge": 413,
        "no_path": 404,
    }
    assert errors["unknown_model"][1]["error"]["code"] == "model_not_found"  # OpenAI's shape
    assert "llama3" in errors["unknown_ollama"][1]["error"]  # Ollama's shape: a message string
    assert errors["stream"][1]["error"]["code"] == "stream_unsupported"
    refused = [call for call in result.model_calls if call["status"] != 200]
    assert len(refused) == 6  # the oversized body and the unknown path never reach the gateway's handler


def test_budgets_hold_per_question_and_the_next_question_starts_afresh(
    sandbox_image: str, gateway_image: str, workspace: Path
) -> None:
    # given a per-question budget that one short chat call spends
    result = serve(sandbox_image, gateway_image, workspace, ["budget", "budget-again"], tokens_per_question=30)

    # then the next call of the question is refused with 429, and the next question has its budget back
    assert report(result, "budget") == [200, 429, 429]
    assert report(result, "budget-again") == [200, 429, 429]
    refused = [call for call in result.model_calls if call["status"] == 429]
    assert {call["error"] for call in refused} == {"this question's budget of 30 tokens is spent"}


def test_a_flood_of_parallel_calls_is_bounded_and_the_run_still_ends_with_a_verdict(
    sandbox_image: str, gateway_image: str, workspace: Path
) -> None:
    result = serve(sandbox_image, gateway_image, workspace, ["flood"], calls_per_question=500)

    statuses = report(result, "flood")
    assert statuses == ["200", "429"]  # some served, the rest refused at once: never a hang
    served = [call for call in result.model_calls if call["status"] == 200]
    assert 1 <= len(served) <= 100


def test_the_service_reaches_only_the_gateway_and_its_own_port(
    sandbox_image: str, gateway_image: str, workspace: Path
) -> None:
    reach = report(serve(sandbox_image, gateway_image, workspace, ["reach"]), "reach")

    assert reach["open"] == sorted([8000, 11434])  # llama.cpp's own listener is a unix socket in the sidecar
    assert reach["outside"] == []
    assert reach["model_here"] is False  # the model files are in the sidecar's image only
