"""Run a job in a hardened container and report a verdict. The only module
that talks to the Docker Engine about jobs (the image builder aside).

Lifecycle of every container: create (hardened, labelled with its job and
deadline, uniquely named) -> start -> wait with our own deadline while a
thread counts output bytes and another records resource peaks -> read the
state (OOMKilled, exit code) -> kill and remove in `finally`. No auto_remove:
the exit code and logs would vanish with it. No `docker exec`, ever.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import requests
from docker.errors import APIError, DockerException, ImageNotFound, NotFound
from docker.models.containers import Container
from docker.types import LogConfig, Mount, Ulimit

from .job import SandboxJob, SandboxResult, ServiceJob, Verdict
from .limits import ClientLimits, Limits

LABEL = "hiring.sandbox"
CLIENT_SCRIPT = Path(__file__).resolve().parent / "grading_client.py"
SANDBOX_USER = "10001:10001"
DOCKER_TIMEOUT = 30


class InfrastructureError(Exception):
    """The engine or the image failed us; the job itself said nothing yet."""


def docker_client() -> docker.DockerClient:
    try:
        client = docker.from_env(timeout=DOCKER_TIMEOUT)
        client.ping()
    except (DockerException, requests.RequestException) as error:
        raise InfrastructureError(f"the Docker Engine does not answer: {error}") from error
    return client


def _hardening(limits: Limits, *, own_network: bool = True) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "user": SANDBOX_USER,
        "read_only": True,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true"],  # and Docker's default seccomp profile
        "init": True,  # reaps zombies, forwards signals
        "mem_limit": limits.memory_bytes,
        "memswap_limit": limits.memory_bytes,  # equal: no swap
        "nano_cpus": int(limits.cpus * 1e9),
        "pids_limit": limits.pids,
        "ulimits": [
            Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files),
            Ulimit(name="fsize", soft=limits.file_size_bytes, hard=limits.file_size_bytes),
            Ulimit(name="core", soft=0, hard=0),
        ],
        "tmpfs": {"/tmp": f"rw,nosuid,nodev,size={limits.tmpfs_bytes}"},  # noqa: S108 - the container's own /tmp
        "log_config": LogConfig(
            type=LogConfig.types.JSON, config={"max-size": str(limits.docker_log_bytes), "max-file": "1"}
        ),
        "oom_score_adj": limits.oom_score_adj,
        "ipc_mode": "private",
    }
    if own_network:  # a container joined to another's network namespace shares its host name
        settings["hostname"] = "sandbox"
    return settings


def _labels(job: SandboxJob, role: str, deadline: float) -> dict[str, str]:
    return {
        LABEL: "1",
        f"{LABEL}.job": job.job_id,
        f"{LABEL}.attempt": str(job.attempt),
        f"{LABEL}.role": role,
        f"{LABEL}.deadline": str(int(deadline)),
    }


def _mounts(job: SandboxJob) -> list[Mount]:
    mounts = [Mount(target="/workspace", source=str(job.workspace), type="bind", read_only=True)]
    if job.data is not None:
        mounts.append(Mount(target="/data", source=str(job.data), type="bind", read_only=True))
    return mounts


def _name(job: SandboxJob, role: str) -> str:
    safe = "".join(char if char.isalnum() or char in "-_" else "-" for char in job.job_id)[:40]
    return f"sandbox-{safe}-{job.attempt}-{role}-{uuid.uuid4().hex[:8]}"


@dataclass
class _Watch:
    """Counts a container's output and records its resource peaks, in threads."""

    container: Container
    output_limit: int
    stdout_only: bool = False
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    over_limit: threading.Event = field(default_factory=threading.Event)
    memory_peak: int = 0
    pids_peak: int = 0
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for target in (self._read_logs, self._read_stats):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _read_logs(self) -> None:
        try:
            stream = self.container.logs(stream=True, follow=True, stdout=True, stderr=not self.stdout_only)
            for chunk in stream:
                room = self.output_limit - self.size
                if room > 0:
                    self.chunks.append(chunk[:room])
                self.size += len(chunk)
                if self.size > self.output_limit:
                    self.over_limit.set()
                    # Stop the flood at once rather than at the deadline.
                    self.container.kill()
                    return
        except (DockerException, requests.RequestException):
            return

    def _read_stats(self) -> None:
        try:
            for stats in self.container.stats(stream=True, decode=True):
                memory = stats.get("memory_stats") or {}
                self.memory_peak = max(self.memory_peak, int(memory.get("max_usage") or memory.get("usage") or 0))
                self.pids_peak = max(self.pids_peak, int((stats.get("pids_stats") or {}).get("current") or 0))
        except (DockerException, requests.RequestException, ValueError):
            return

    def finish(self, seconds: float = 2.0) -> bytes:
        """The output read so far; the log stream ends when the container stops.
        (The stats stream ends only when the container is removed: not waited for.)"""
        self._threads[0].join(seconds)
        return b"".join(self.chunks)


def _remove(container: Container | None) -> None:
    if container is None:
        return
    try:
        container.remove(force=True, v=True)
    except NotFound:
        pass
    except (DockerException, requests.RequestException):
        pass  # the reaper removes it by its labels


def _wait(container: Container, seconds: float) -> int | None:
    """The exit code, or None when the deadline passed first."""
    try:
        status = container.wait(timeout=max(seconds, 0.1))
    except (requests.ReadTimeout, requests.ConnectionError):
        return None
    return int(status.get("StatusCode", -1))


def _verdict(container: Container, exit_code: int | None, watch: _Watch) -> tuple[Verdict, str]:
    container.reload()
    state = container.attrs.get("State", {})
    if watch.over_limit.is_set():
        return Verdict.OUTPUT_LIMIT, f"the output passed {watch.output_limit} bytes"
    if exit_code is None:
        return Verdict.TIMED_OUT, "the deadline passed"
    if state.get("OOMKilled"):
        return Verdict.OUT_OF_MEMORY, "killed for using more memory than allowed"
    if exit_code == 0:
        return Verdict.OK, ""
    if exit_code in (126, 127):  # the shell's and init's "cannot execute" / "not found"
        return Verdict.FAILED_TO_START, f"the start command could not be run (exit code {exit_code})"
    return Verdict.CRASHED, f"exited with code {exit_code}"


@contextmanager
def _started(client: docker.DockerClient, **kwargs: Any) -> Iterator[Container]:
    container: Container | None = None
    try:
        container = client.containers.create(**kwargs)
        yield container
    finally:
        _remove(container)


def _candidate_container(
    client: docker.DockerClient, job: SandboxJob, role: str, deadline: float, environment: dict[str, str]
) -> Any:
    """The candidate's hardened container with no network, as a context manager."""
    return _started(
        client,
        image=job.image,
        command=job.command,
        name=_name(job, role),
        labels=_labels(job, role, deadline),
        environment=environment,
        network_mode="none",
        mounts=_mounts(job),
        working_dir="/workspace",
        **_hardening(job.limits),
    )


def _start(container: Container, watch: _Watch) -> SandboxResult | None:
    """Start the container and its watch; a result only when it could not start."""
    try:
        container.start()
    except APIError as error:
        return SandboxResult(Verdict.FAILED_TO_START, detail=str(error.explanation or error)[:500])
    watch.start()
    return None


def _result(
    verdict: Verdict, detail: str, exit_code: int | None, began: float, watch: _Watch, **extra: Any
) -> SandboxResult:
    output = watch.finish()
    return SandboxResult(
        verdict=verdict,
        exit_code=exit_code,
        duration_seconds=time.monotonic() - began,
        memory_peak_bytes=watch.memory_peak,
        pids_peak=watch.pids_peak,
        logs=output.decode("utf-8", errors="replace"),
        logs_truncated=watch.size > watch.output_limit,
        detail=detail,
        **extra,
    )


def _infrastructure(error: Exception) -> SandboxResult:
    if isinstance(error, ImageNotFound):
        return SandboxResult(Verdict.INFRASTRUCTURE_ERROR, detail=f"image missing: {error}"[:500])
    return SandboxResult(Verdict.INFRASTRUCTURE_ERROR, detail=str(error)[:500])


def run(job: SandboxJob) -> SandboxResult:
    """Run `job.command` to completion (or its deadline) and judge it."""
    limits = job.limits
    began = time.monotonic()
    deadline = time.time() + limits.wall_seconds + 60
    try:
        client = docker_client()
        with _candidate_container(client, job, "run", deadline, dict(job.environment)) as container:
            watch = _Watch(container, limits.output_bytes)
            if (failed := _start(container, watch)) is not None:
                return failed
            exit_code = _wait(container, limits.wall_seconds - (time.monotonic() - began))
            if exit_code is None:
                container.kill()
            verdict, detail = _verdict(container, exit_code, watch)
            return _result(verdict, detail, exit_code, began, watch)
    except (InfrastructureError, DockerException, requests.RequestException) as error:
        return _infrastructure(error)


def _send_stdin(client: docker.DockerClient, container: Container, payload: bytes) -> None:
    """Write the questions to the client container's standard input, then close it."""
    attached = client.api.attach_socket(container.id, params={"stdin": 1, "stream": 1})
    raw: socket.socket = getattr(attached, "_sock", attached)
    try:
        raw.sendall(payload)
        raw.shutdown(socket.SHUT_WR)
    finally:
        raw.close()


def _client_limits_json(limits: ClientLimits, port: int) -> str:
    return json.dumps(
        {
            "port": port,
            "health_seconds": limits.health_seconds,
            "seconds_per_answer": limits.seconds_per_answer,
            "bytes_per_answer": limits.bytes_per_answer,
        }
    )


def _ask(
    client: docker.DockerClient,
    client_job: SandboxJob,
    service: ServiceJob,
    service_container: Container,
    deadline: float,
    began: float,
) -> tuple[int | None, bytes]:
    """Run the grading client in the service's network namespace; (its exit code or None, its stdout)."""
    job, client_limits = service.job, service.client_limits
    with _started(
        client,
        image=job.image,
        command=["python3", "/grader/client.py", _client_limits_json(client_limits, service.port)],
        name=_name(client_job, "client"),
        labels=_labels(client_job, "client", deadline),
        environment={},
        network_mode=f"container:{service_container.id}",
        mounts=[Mount(target="/grader/client.py", source=str(CLIENT_SCRIPT), type="bind", read_only=True)],
        stdin_open=True,
        working_dir="/tmp",  # noqa: S108 - the client container's own /tmp
        **_hardening(
            Limits(memory_bytes=256 * 1024 * 1024, pids=32, output_bytes=client_limits.output_bytes),
            own_network=False,
        ),
    ) as client_container:
        answers_watch = _Watch(client_container, client_limits.output_bytes, stdout_only=True)
        client_container.start()
        answers_watch.start()
        payload = "".join(json.dumps(question, ensure_ascii=False) + "\n" for question in service.questions)
        _send_stdin(client, client_container, payload.encode())
        client_exit = _wait(client_container, client_limits.wall_seconds - (time.monotonic() - began))
        if client_exit is None:
            client_container.kill()
        answers_raw = answers_watch.finish()
    return client_exit, answers_raw


def run_service(service: ServiceJob) -> SandboxResult:
    """Start the candidate's service with no network at all, then a short-lived
    grading client in its network namespace that waits for /health, asks the
    questions it reads on stdin one at a time and writes the answers on stdout."""
    job, limits, client_limits = service.job, service.job.limits, service.client_limits
    began = time.monotonic()
    deadline = time.time() + client_limits.wall_seconds + 120
    environment = {"PORT": str(service.port), **job.environment}
    try:
        client = docker_client()
        with _candidate_container(client, job, "service", deadline, environment) as service_container:
            watch = _Watch(service_container, limits.output_bytes)
            if (failed := _start(service_container, watch)) is not None:
                return failed
            client_job = SandboxJob(job.job_id, job.attempt, job.image, [], job.workspace)
            try:
                client_exit, answers_raw = _ask(client, client_job, service, service_container, deadline, began)
            except APIError:
                # Joining the service's network namespace fails once the service has
                # exited: that is the candidate's start-up failing, not the engine.
                service_container.reload()
                if service_container.status == "running":
                    raise
                exit_code = _wait(service_container, 5)
                return _result(
                    Verdict.FAILED_TO_START,
                    f"the service exited with code {exit_code} before answering GET /health",
                    exit_code,
                    began,
                    watch,
                )
            service_container.reload()
            service_running = service_container.status == "running"
            if service_running:
                service_container.kill()
            exit_code = _wait(service_container, 5) if not service_running else None
            verdict, detail = _service_verdict(service_container, exit_code, service_running, client_exit, watch)
            answers = _parse_answers(answers_raw)
            startup = next((a.get("startup_seconds") for a in answers if a.get("event") == "healthy"), None)
            if verdict is Verdict.OK and any(a.get("event") == "never_healthy" for a in answers):
                verdict, detail = Verdict.FAILED_TO_START, "the service never answered GET /health"
            return _result(
                verdict,
                detail,
                exit_code,
                began,
                watch,
                startup_seconds=float(startup) if isinstance(startup, int | float) else None,
                answers=[answer for answer in answers if "id" in answer],
            )
    except (InfrastructureError, DockerException, requests.RequestException) as error:
        return _infrastructure(error)


def _service_verdict(
    container: Container, exit_code: int | None, was_running: bool, client_exit: int | None, watch: _Watch
) -> tuple[Verdict, str]:
    container.reload()
    if watch.over_limit.is_set():
        return Verdict.OUTPUT_LIMIT, f"the service's output passed {watch.output_limit} bytes"
    if container.attrs.get("State", {}).get("OOMKilled"):
        return Verdict.OUT_OF_MEMORY, "the service was killed for using more memory than allowed"
    if not was_running:
        return Verdict.CRASHED, f"the service exited during grading with code {exit_code}"
    if client_exit is None:
        return Verdict.TIMED_OUT, "grading took longer than allowed"
    return Verdict.OK, ""


def _parse_answers(raw: bytes) -> list[dict[str, object]]:
    answers = []
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            answers.append(value)
    return answers
