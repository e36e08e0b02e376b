"""Template helpers of resume screening."""

from __future__ import annotations

from typing import Any

from django import template

from hiring_platform.accounts.permissions import can

from .. import selectors
from ..forms import StartForm
from ..models import ScreeningState

register = template.Library()


@register.inclusion_tag("screening/partials/candidate_screenings.html", takes_context=True)
def screenings_of(context: dict[str, Any], candidate: Any) -> dict[str, Any]:
    """The screening block of a candidate's page (the page's own rule already let the user in)."""
    user = context["request"].user
    rows = []
    for screening in candidate.screenings.select_related("version__checklist").order_by("-created_at")[:10]:
        done = screening.state == ScreeningState.DONE
        rows.append({"screening": screening, "summary": selectors.screening_summary(screening) if done else None})
    checklist = selectors.checklist_for_role(candidate.role)
    return {
        "rows": rows,
        "candidate": candidate,
        "can_start": can(user, "screening.manage") and bool(candidate.resume),
        "start_form": StartForm(initial={"checklist": checklist}),
        "csrf_token": context.get("csrf_token"),
    }
