"""Template helpers of interviews: the interviews block of a candidate's page."""

from __future__ import annotations

from typing import Any

from django import template

from hiring_platform.accounts.permissions import can

register = template.Library()


@register.inclusion_tag("interviews/partials/candidate_interviews.html", takes_context=True)
def interviews_of(context: dict[str, Any], candidate: Any) -> dict[str, Any]:
    user = context["request"].user
    interviews = [
        interview
        for interview in candidate.interviews.select_related("plan_version__plan")
        .prefetch_related("interviewers")
        .order_by("-created_at")
        if can(user, "interviews.view_interview", interview)
    ]
    return {"interviews": interviews, "candidate": candidate, "can_schedule": can(user, "interviews.schedule")}
