"""Resource limits of one sandbox run. Safe defaults; every one configurable."""

from __future__ import annotations

from dataclasses import dataclass, field

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 1024 * MIB  # also memory+swap: no swap escape
    cpus: float = 1.0
    pids: int = 128  # stops fork bombs
    open_files: int = 256
    file_size_bytes: int = 64 * MIB  # largest file a process may write
    tmpfs_bytes: int = 128 * MIB  # /tmp; without a size a tmpfs can take half the host's memory
    docker_log_bytes: int = 2 * MIB  # what the engine keeps on disk
    output_bytes: int = 256 * 1024  # what we read back of stdout+stderr
    wall_seconds: float = 60.0
    oom_score_adj: int = 1000  # the kernel kills the sandbox before the worker


@dataclass(frozen=True)
class ClientLimits:
    """The grading client: time and bytes per answer, and for the whole exchange."""

    health_seconds: float = 60.0  # for the service to answer GET /health
    seconds_per_answer: float = 20.0
    bytes_per_answer: int = 64 * 1024
    output_bytes: int = 4 * MIB
    wall_seconds: float = 600.0


@dataclass(frozen=True)
class GatewayLimits:
    """The model gateway beside a service (sandbox/gateway.py): its own image, CPU
    share (its threads) and memory, and the budgets it enforces (gateway.Budgets'
    fields; unset ones take its defaults)."""

    image: str
    cpus: float = 1.0
    memory_bytes: int = 1536 * MIB
    ready_seconds: float = 120.0  # to load the models
    budgets: dict[str, int] = field(default_factory=dict)
    output_bytes: int = 8 * MIB  # answers and call records: the gateway bounds its log below this


@dataclass(frozen=True)
class ExtractLimits:
    """Archive extraction counts real bytes and files, never the sizes an archive declares."""

    archive_bytes: int = 20 * MIB
    total_bytes: int = 100 * MIB
    files: int = 2000
    depth: int = 20
