"""The typed edge of the sandbox: what a caller asks for and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .limits import ClientLimits, GatewayLimits, Limits
from .mounts import MountPolicy


class Verdict(StrEnum):
    OK = "ok"
    FAILED_TO_START = "failed_to_start"
    TIMED_OUT = "timed_out"
    OUT_OF_MEMORY = "out_of_memory"
    CRASHED = "crashed"
    OUTPUT_LIMIT = "output_limit"
    INVALID_SUBMISSION = "invalid_submission"
    INFRASTRUCTURE_ERROR = "infrastructure_error"  # the only verdict worth a retry

    @property
    def retryable(self) -> bool:
        return self is Verdict.INFRASTRUCTURE_ERROR


@dataclass(frozen=True)
class SandboxJob:
    """One run: `command` in `image`, `workspace` at /workspace and `data` at /data (both
    read-only), each only where `mount_policy` allows it (without one, the job does not run)."""

    job_id: str
    attempt: int
    image: str
    command: list[str]
    workspace: Path
    data: Path | None = None
    environment: dict[str, str] = field(default_factory=dict)  # the container gets only these
    limits: Limits = field(default_factory=Limits)
    mount_policy: MountPolicy | None = None


@dataclass(frozen=True)
class ServiceJob:
    """A candidate's HTTP service (`job`, which listens on `port`) queried by the grading client."""

    job: SandboxJob
    questions: list[dict[str, object]]
    port: int = 8000
    client_limits: ClientLimits = field(default_factory=ClientLimits)
    gateway: GatewayLimits | None = None  # a model gateway beside the service


@dataclass
class SandboxResult:
    verdict: Verdict
    exit_code: int | None = None
    duration_seconds: float = 0.0
    startup_seconds: float | None = None  # until /health answered (services only)
    memory_peak_bytes: int = 0
    pids_peak: int = 0
    logs: str = ""
    logs_truncated: bool = False
    detail: str = ""  # a short, human explanation of the verdict
    answers: list[dict[str, object]] = field(default_factory=list)
    model_calls: list[dict[str, object]] = field(default_factory=list)  # the gateway's log, in order
