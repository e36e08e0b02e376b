"""Template helpers of interviews: the interviews block of a candidate's page."""

from __future__ import annotations

from typing import Any

from django import template

from hiring_platform.accounts.permissions import can

from ..scorecards import scorecards_visible

register = template.Library()


@register.inclusion_tag("interviews/partials/candidate_interviews.html", takes_context=True)
def interviews_of(context: dict[str, Any], candidate: Any) -> dict[str, Any]:
    """Interviews the user may see, with their scorecards under the blind-until-submitted rule."""
    user = context["request"].user
    interviews = [
        interview
        for interview in candidate.interviews.select_related("plan_version__plan")
        .prefetch_related("interviewers")
        .order_by("-created_at")
        if can(user, "interviews.view_interview", interview)
    ]
    visible = list(scorecards_visible(user, candidate)) if can(user, "interviews.view_scorecard") else []
    rows = [
        {
            "interview": interview,
            "mine": any(person.pk == user.pk for person in interview.interviewers.all()),
            "scorecards": [s for s in visible if s.interview_id == interview.pk],
        }
        for interview in interviews
    ]
    return {
        "rows": rows,
        "candidate": candidate,
        "can_schedule": can(user, "interviews.schedule"),
        "can_evaluate": can(user, "interviews.view_evaluation"),
    }
