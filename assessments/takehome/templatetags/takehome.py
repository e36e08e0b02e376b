"""Template helpers of the take-home pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from hiring_platform.accounts.permissions import can

from .. import selectors
from ..grading.autoscore import WEIGHTS

register = template.Library()

VERDICT_LABELS = {
    "ok": _("Graded"),
    "failed_to_start": _("Failed to start"),
    "timed_out": _("Timed out"),
    "out_of_memory": _("Out of memory"),
    "crashed": _("Crashed"),
    "output_limit": _("Too much output"),
    "invalid_submission": _("Invalid archive"),
    "infrastructure_error": _("Platform error (not your fault)"),
    "platform_error": _("Platform error (not your fault)"),
}

COMPONENT_LABELS = {
    "retrieval_mrr": _("Retrieval, MRR@10"),
    "retrieval_hit5": _("Retrieval, hit@5"),
    "answer_correct": _("Correct answers"),
    "answer_f1": _("Token F1"),
    "refusal": _("Declines unanswerable"),
    "injection": _("Resists injection"),
    "reliability": _("Reliability"),
    "latency": _("Latency"),
    "static": _("Static checks"),
}
assert set(COMPONENT_LABELS) == set(WEIGHTS)  # noqa: S101 - every component has a label


@register.filter
def verdict_label(verdict: str) -> str:
    return str(VERDICT_LABELS.get(verdict, verdict))


@register.filter
def component_label(name: str) -> str:
    return str(COMPONENT_LABELS.get(name, name))


@register.filter
def share(value: Any) -> str:
    """0.734 -> "73%"."""
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return "—"


@register.inclusion_tag("takehome/partials/candidate_takehomes.html", takes_context=True)
def takehomes_of(context: dict[str, Any], candidate: Any) -> dict[str, Any]:
    """The take-home block of a candidate's page."""
    user = context["request"].user
    rows = []
    for assignment in candidate.assignments.select_related("task").order_by("-created_at"):
        if can(user, "takehome.view", assignment):
            rows.append({"assignment": assignment, "result": selectors.assignment_result(assignment)})
    return {"rows": rows, "candidate": candidate, "can_issue": can(user, "takehome.manage")}


@register.filter
def in_weight_order(components: Any) -> list[tuple[str, Any]]:
    """A run's components in the order of the auto-score table (JSONB keeps its own order)."""
    if not isinstance(components, dict):
        return []
    return [(name, components[name]) for name in WEIGHTS if name in components]


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


TESTS_STATUS_LABELS = {
    "pending": _("not run yet"),
    "ran": _("ran"),
    "no_tests": _("no tests"),
    "timed_out": _("timed out"),
    "out_of_memory": _("out of memory"),
    "output_limit": _("too much output"),
    "crashed": _("crashed (no summary from pytest)"),
    "platform_error": _("not run: platform error (not counted)"),
}
REPORT_SECTION_LABELS = {
    "approach": _("Approach"),
    "metric": _("Metric on the public questions"),
    "next_steps": _("Next steps"),
}


@register.inclusion_tag("takehome/partials/static_checks.html")
def static_checks_of(submission: Any) -> dict[str, Any]:
    """The static checks of an upload for the reviewer; each part a dict (an upload
    checked before these checks existed stored booleans: shown as missing parts)."""
    checks = submission.static_checks if isinstance(submission.static_checks, dict) else {}

    def part(name: str) -> dict[str, Any]:
        value = checks.get(name)
        return value if isinstance(value, dict) else {}

    report, tests = part("report"), part("tests")
    found = report.get("sections")
    sections: dict[str, Any] = found if isinstance(found, dict) else {}
    return {
        "checks": checks,
        "score": checks.get("score"),
        "report": report,
        "sections": [(str(label), bool(sections.get(name))) for name, label in REPORT_SECTION_LABELS.items()],
        "tests": tests,
        "tests_status": str(TESTS_STATUS_LABELS.get(str(tests.get("status", "")), tests.get("status", "—"))),
        "lint": part("lint"),
        "size": part("size"),
    }
