"""The attack suite: hostile programs against the real Docker Engine.

Each program gets the verdict it must get; the host state that must hold
after it is checked too (no container left, by the autouse fixture)."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import Limits, MountPolicy, SandboxJob, Verdict, run

from .attacks.programs import ATTACKS, HOST_FILES, HOST_SERVICES

MIB = 1024 * 1024
ATTACK_LIMITS = Limits(memory_bytes=256 * MIB, pids=64, output_bytes=64 * 1024, tmpfs_bytes=16 * MIB, wall_seconds=6.0)


def run_program(image: str, workspace: Path, source: str, name: str) -> object:
    (workspace / "attack.py").write_text(source)
    policy = MountPolicy(workspaces=workspace.parent)
    return run(
        SandboxJob(name, 1, image, ["python3", "attack.py"], workspace, limits=ATTACK_LIMITS, mount_policy=policy)
    )


@pytest.mark.parametrize("name", sorted(set(ATTACKS) - {"host_services", "host_files"}))
def test_attack_gets_its_verdict(name: str, sandbox_image: str, workspace: Path) -> None:
    source, expected = ATTACKS[name]
    disk_before = shutil.disk_usage(workspace).used

    result = run_program(sandbox_image, workspace, source, f"attack-{name}")

    assert result.verdict == expected, (result.verdict, result.detail, result.logs[-2000:])
    assert result.duration_seconds < ATTACK_LIMITS.wall_seconds + 15
    assert len(result.logs.encode()) <= ATTACK_LIMITS.output_bytes
    assert result.pids_peak <= ATTACK_LIMITS.pids
    # Nothing a job writes reaches the host's disk (its /tmp is memory, capped).
    assert shutil.disk_usage(workspace).used - disk_before < 8 * MIB
    assert sorted(path.name for path in workspace.iterdir()) == ["attack.py"]


@pytest.fixture
def host_listener() -> Iterator[tuple[int, list[str]]]:
    """A real service on the host bound to all interfaces, recording who connects."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", 0))  # noqa: S104 - on purpose: the attack tries to reach it
    server.listen()
    server.settimeout(0.2)
    connections: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                peer, address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connections.append(address[0])
            peer.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    server.close()
    thread.join(2)


def test_host_services_are_unreachable(sandbox_image: str, workspace: Path, host_listener) -> None:  # type: ignore[no-untyped-def]
    port, connections = host_listener
    # Our listener, PostgreSQL and Redis of `make test`, the web server, the Docker API ports.
    ports = [port, 54329, 63790, 8000, 2375, 2376, 5432, 6379]
    source = HOST_SERVICES.replace("HOST_PORTS", repr(ports))

    result = run_program(sandbox_image, workspace, source, "attack-host-services")

    assert result.verdict == Verdict.OK, result.logs
    assert "escaped: []" in result.logs
    assert connections == []


def test_host_files_the_docker_socket_and_other_jobs_data_are_out_of_reach(
    sandbox_image: str, workspace: Path, tmp_path: Path
) -> None:
    canary = "canary-7c1f0e.txt"
    other_job = tmp_path / "other-job"
    other_job.mkdir(mode=0o755)
    (other_job / canary).write_text("another candidate's data")
    Path("/tmp", canary).write_text("host file")  # noqa: S108 - a host file the job must not see
    try:
        result = run_program(sandbox_image, workspace, HOST_FILES.replace("CANARY", repr(canary)), "attack-host-files")
    finally:
        Path("/tmp", canary).unlink()  # noqa: S108

    assert result.verdict == Verdict.OK, result.logs
    assert "found: []" in result.logs
    assert (other_job / canary).read_text() == "another candidate's data"


def test_the_environment_holds_only_what_the_job_passes(  # type: ignore[no-untyped-def]
    sandbox_image: str, workspace: Path, mount_policy: MountPolicy, monkeypatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", "must-not-leak")
    (workspace / "env.py").write_text("import os, json; print(json.dumps(dict(os.environ)))")

    job = SandboxJob(
        "env",
        1,
        sandbox_image,
        ["python3", "env.py"],
        workspace,
        environment={"PORT": "8000"},
        mount_policy=mount_policy,
    )
    result = run(job)

    assert result.verdict == Verdict.OK
    assert "must-not-leak" not in result.logs
    assert "DATABASE_URL" not in result.logs
    assert '"PORT": "8000"' in result.logs


def test_a_missing_image_is_an_infrastructure_error_worth_a_retry(workspace: Path, mount_policy: MountPolicy) -> None:
    result = run(
        SandboxJob("no-image", 1, "hiring-sandbox:does-not-exist", ["true"], workspace, mount_policy=mount_policy)
    )

    assert result.verdict == Verdict.INFRASTRUCTURE_ERROR
    assert result.verdict.retryable
    assert "image missing" in result.detail


def test_a_command_that_cannot_start_fails_to_start(
    sandbox_image: str, workspace: Path, mount_policy: MountPolicy
) -> None:
    result = run(
        SandboxJob("no-command", 1, sandbox_image, ["/workspace/missing.sh"], workspace, mount_policy=mount_policy)
    )

    assert result.verdict == Verdict.FAILED_TO_START, (result.exit_code, result.detail)
    assert not result.verdict.retryable
