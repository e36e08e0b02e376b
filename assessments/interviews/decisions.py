"""The hiring manager's decision: hire or no hire, with a reason; the candidate
moves to the matching stage and the timeline records both."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.candidates.models import Candidate, EventKind, Stage
from assessments.candidates.services import candidate_change_stage, candidate_event_record
from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record
from hiring_platform.errors import ApplicationError

from .evaluation import candidate_evaluation

DECISIONS = {"hire": Stage.HIRED, "no_hire": Stage.REJECTED}
DECISION_CHOICES = [("hire", "Hire"), ("no_hire", "No hire")]


@transaction.atomic
def candidate_decide(*, actor: User, candidate: Candidate, decision: str, reason: str) -> Candidate:
    if decision not in DECISIONS:
        raise ApplicationError(
            _("Decide hire or no hire."), code="interviews.invalid_decision", extra={"field": "decision"}
        )
    if not reason.strip():
        raise ApplicationError(
            _("Give the reason for the decision."), code="interviews.reason_required", extra={"field": "reason"}
        )
    evaluation = candidate_evaluation(candidate)
    candidate_event_record(
        candidate=candidate,
        kind=EventKind.HIRING_DECISION,
        actor=actor,
        after={
            "decision": decision,
            "overall": evaluation.overall,
            "summary": (_("Hire") if decision == "hire" else _("No hire"))
            + f" ({evaluation.overall if evaluation.overall is not None else '—'})",
        },
        reason=reason.strip(),
    )
    audit_record(
        action=AuditAction.HIRING_DECISION,
        actor=actor,
        target=candidate,
        detail={"decision": decision, "overall": evaluation.overall},
    )
    return candidate_change_stage(actor=actor, candidate=candidate, to_stage=DECISIONS[decision], reason=reason)
