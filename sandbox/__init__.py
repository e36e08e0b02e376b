"""The Docker sandbox that runs candidates' code (see DESIGN.md).

A small library with a typed edge and no Django imports: callers build a
`SandboxJob` (or a `ServiceJob` for an HTTP service queried by the grading
client) carrying a `MountPolicy` (which folders it may mount) and get a
`SandboxResult` with a `Verdict`. Only the sandbox worker
runs jobs. `extract_archive` unpacks submissions safely (`check_archive` checks
an upload the same way, writing nothing; `InvalidSubmission` is the archive's
fault, `ExtractionInfrastructureError` the worker's); `reap` removes containers
past their deadline; `sandbox.image` builds the runtime image.
"""

from .extract import Extracted, ExtractionInfrastructureError, InvalidSubmission, check_archive, extract_archive
from .job import SandboxJob, SandboxResult, ServiceJob, Verdict
from .limits import ClientLimits, ExtractLimits, GatewayLimits, Limits
from .mounts import MountPolicy
from .reaper import leftovers, reap
from .runner import run, run_service

__all__ = [
    "ClientLimits",
    "ExtractLimits",
    "Extracted",
    "ExtractionInfrastructureError",
    "GatewayLimits",
    "InvalidSubmission",
    "Limits",
    "MountPolicy",
    "SandboxJob",
    "SandboxResult",
    "ServiceJob",
    "Verdict",
    "check_archive",
    "extract_archive",
    "leftovers",
    "reap",
    "run",
    "run_service",
]
