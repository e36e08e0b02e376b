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
from .limits import MIB, Limits
from .mounts import MountRefused, check_mounts

LABEL = "hiring.sandbox"
CLIENT_SCRIPT = Path(__file__).resolve().parent / "grading_client.py"
GATEWAY_SCRIPT = Path(__file__).resolve().parent / "gateway.py"
GATEWAY_MODEL = "/opt/model/model.gguf"  # in the gateway image (deploy/gateway/Dockerfile)
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
    """The job's bind mounts, checked against its policy before any container exists
    (a refusal is an infrastructure error: the spec is the platform's, not the candidate's)."""
    try:
        checked = check_mounts(job, job.mount_policy)
    except MountRefused as error:
        raise InfrastructureError(f"mount refused: {error}") from error
    mounts = [Mount(target="/workspace", source=str(checked.workspace), type="bind", read_only=True)]
    if checked.data is not None:
        mounts.append(Mount(target="/data", source=str(checked.data), type="bind", read_only=True))
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
    client: docker.DockerClient,
    job: SandboxJob,
    role: str,
    deadline: float,
    environment: dict[str, str],
    network_mode: str = "none",
) -> Any:
    """The candidate's hardened container with no network (or only the loopback of
    the grading sidecar it joins), as a context manager."""
    return _started(
        client,
        image=job.image,
        command=job.command,
        name=_name(job, role),
        labels=_labels(job, role, deadline),
        environment=environment,
        network_mode=network_mode,
        mounts=_mounts(job),
        working_dir="/workspace",
        **_hardening(job.limits, own_network=network_mode == "none"),
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


def _attach_stdin(client: docker.DockerClient, container: Container) -> socket.socket:
    """The container's standard input, attached before it starts: attaching to a
    running container raced its first reads, and questions sent too early were lost."""
    attached = client.api.attach_socket(container.id, params={"stdin": 1, "stream": 1})
    raw: socket.socket = getattr(attached, "_sock", attached)
    return raw


def _send_and_close(raw: socket.socket, payload: bytes) -> None:
    try:
        raw.sendall(payload)
        raw.shutdown(socket.SHUT_WR)
    finally:
        raw.close()


def _sidecar_config(service: ServiceJob) -> str:
    limits, gateway = service.client_limits, service.gateway
    config: dict[str, Any] = {
        "port": service.port,
        "health_seconds": limits.health_seconds,
        "seconds_per_answer": limits.seconds_per_answer,
        "bytes_per_answer": limits.bytes_per_answer,
    }
    if gateway is not None:
        config["gateway"] = {"model": GATEWAY_MODEL, "threads": max(1, int(gateway.cpus)), "budgets": gateway.budgets}
    return json.dumps(config)


def _sidecar(client: docker.DockerClient, service: ServiceJob, deadline: float) -> Any:
    """The grading sidecar: owns the network namespace (loopback only) the service
    joins, runs the grading client and, when the task has a model, the gateway."""
    job, gateway, cap = service.job, service.gateway, _output_cap(service)
    sidecar_job = SandboxJob(job.job_id, job.attempt, job.image, [], job.workspace)
    mounts = [Mount(target="/grader/client.py", source=str(CLIENT_SCRIPT), type="bind", read_only=True)]
    if gateway is not None:
        mounts.append(Mount(target="/grader/gateway.py", source=str(GATEWAY_SCRIPT), type="bind", read_only=True))
        limits = Limits(memory_bytes=gateway.memory_bytes, cpus=gateway.cpus, pids=64, output_bytes=cap)
    else:
        limits = Limits(memory_bytes=256 * MIB, pids=32, output_bytes=cap)
    return _started(
        client,
        image=gateway.image if gateway is not None else job.image,
        command=["python3", "/grader/client.py", _sidecar_config(service)],
        name=_name(sidecar_job, "client"),
        labels=_labels(sidecar_job, "client", deadline),
        environment={},
        network_mode="none",
        mounts=mounts,
        stdin_open=True,
        working_dir="/tmp",  # noqa: S108 - the sidecar's own /tmp
        **_hardening(limits),
    )


def _output_cap(service: ServiceJob) -> int:
    return service.gateway.output_bytes if service.gateway is not None else service.client_limits.output_bytes


@dataclass
class _Exchange:
    """What the grading client did: its exit code (None: stopped by us), its output,
    whether its output passed its cap, and whether the service stopped first."""

    client_exit: int | None
    output: bytes
    output_over_limit: bool
    service_stopped: bool


def _stopped(container: Container) -> bool:
    try:
        container.reload()
    except NotFound:
        return True
    return container.status != "running"


def _gateway_ready(sidecar: Container, watch: _Watch, seconds: float) -> bool:
    """Until the sidecar says its gateway serves; False if it stopped or took too long."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if b'"event": "gateway_ready"' in b"".join(watch.chunks):
            return True
        if _stopped(sidecar):
            return False
        time.sleep(0.2)
    return False


def _ask(
    sidecar: Container,
    stdin: socket.socket,
    watch: _Watch,
    service: ServiceJob,
    service_container: Container,
    began: float,
) -> _Exchange:
    """Send the questions to the grading client and wait until it is done, the
    service stops (nobody is left to ask) or the wall time passes."""
    payload = "".join(json.dumps(question, ensure_ascii=False) + "\n" for question in service.questions)
    _send_and_close(stdin, payload.encode())
    client_exit: int | None = None
    service_stopped = False
    while (remaining := service.client_limits.wall_seconds - (time.monotonic() - began)) > 0:
        client_exit = _wait(sidecar, min(remaining, 1.0))
        if client_exit is not None:
            break
        if _stopped(service_container):
            service_stopped = True
            break
    if client_exit is None:
        sidecar.kill()
    answers_raw = watch.finish()
    return _Exchange(client_exit, answers_raw, watch.over_limit.is_set(), service_stopped)


def run_service(service: ServiceJob) -> SandboxResult:
    """Start the grading sidecar (no network: loopback only), then the candidate's
    service in the sidecar's network namespace; the grading client waits for
    /health, asks the questions it reads on stdin one at a time and writes the
    answers (and the gateway's call records) on stdout."""
    job, limits, client_limits = service.job, service.job.limits, service.client_limits
    began = time.monotonic()
    ready_seconds = service.gateway.ready_seconds if service.gateway is not None else 0.0
    deadline = time.time() + ready_seconds + client_limits.wall_seconds + 120
    environment = {"PORT": str(service.port), **job.environment}
    try:
        _mounts(job)  # refused before any container exists
        client = docker_client()
        with _sidecar(client, service, deadline) as sidecar:
            answers_watch = _Watch(sidecar, _output_cap(service), stdout_only=True)
            stdin = _attach_stdin(client, sidecar)
            sidecar.start()
            answers_watch.start()
            if service.gateway is not None and not _gateway_ready(sidecar, answers_watch, ready_seconds):
                tail = b"".join(answers_watch.chunks)[-300:].decode("utf-8", errors="replace")
                raise InfrastructureError(f"the model gateway did not start: {tail}")
            exchange_began = time.monotonic()
            network = f"container:{sidecar.id}"
            with _candidate_container(client, job, "service", deadline, environment, network) as service_container:
                watch = _Watch(service_container, limits.output_bytes)
                if (failed := _start(service_container, watch)) is not None:
                    return failed
                exchange = _ask(sidecar, stdin, answers_watch, service, service_container, exchange_began)
                service_running = not _stopped(service_container)
                if service_running:
                    service_container.kill()
                exit_code = _wait(service_container, 5) if not service_running else None
                records = _parse_answers(exchange.output)
                answers = [record for record in records if "id" in record]
                verdict, detail = _service_verdict(
                    service_container, exit_code, exchange, service_running, records, answers,
                    len(service.questions), watch,
                )  # fmt: skip
                startup = next((r.get("startup_seconds") for r in records if r.get("event") == "healthy"), None)
                return _result(
                    verdict,
                    detail,
                    exit_code,
                    began,
                    watch,
                    startup_seconds=float(startup) if isinstance(startup, int | float) else None,
                    answers=answers,
                    model_calls=[record for record in records if record.get("event") == "model_call"],
                )
    except (InfrastructureError, DockerException, requests.RequestException) as error:
        return _infrastructure(error)


def _service_verdict(
    container: Container,
    exit_code: int | None,
    exchange: _Exchange,
    service_running: bool,
    records: list[dict[str, object]],
    answers: list[dict[str, object]],
    asked: int,
    watch: _Watch,
) -> tuple[Verdict, str]:
    """The candidate's verdicts come from the service's behaviour; anything the
    grading client or the host got wrong is an infrastructure error (retried, never
    the candidate's score)."""
    container.reload()
    healthy = any(record.get("event") == "healthy" for record in records)
    if watch.over_limit.is_set():
        return Verdict.OUTPUT_LIMIT, f"the service's output passed {watch.output_limit} bytes"
    if container.attrs.get("State", {}).get("OOMKilled"):
        return Verdict.OUT_OF_MEMORY, "the service was killed for using more memory than allowed"
    if any(record.get("event") == "never_healthy" for record in records):
        return Verdict.FAILED_TO_START, "the service never answered GET /health"
    if exchange.service_stopped and not healthy:
        return Verdict.FAILED_TO_START, f"the service exited with code {exit_code} before answering GET /health"
    if exchange.service_stopped or not service_running:
        return Verdict.CRASHED, f"the service exited during grading with code {exit_code}"
    if exchange.output_over_limit:
        return Verdict.INFRASTRUCTURE_ERROR, "the grading client's output passed its cap: answers were lost"
    if exchange.client_exit is None:
        # Every answer is bounded by the per-answer limit and the wall time covers them
        # all, so running past it means the host was too slow, not the service.
        return Verdict.INFRASTRUCTURE_ERROR, "grading passed its wall time although every answer is bounded"
    if exchange.client_exit != 0:
        return Verdict.INFRASTRUCTURE_ERROR, f"the grading client failed with exit code {exchange.client_exit}"
    if len(answers) != asked:
        return Verdict.INFRASTRUCTURE_ERROR, f"the grading client returned {len(answers)} answers for {asked} questions"
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
