"""The home page: a pipeline summary for recruiters and hiring managers, the
assigned candidates for interviewers."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from assessments.candidates.models import Stage
from assessments.candidates.selectors import candidates_visible_to
from hiring_platform.accounts.permissions import RuleRequiredMixin


class HomeView(RuleRequiredMixin, View):
    rule = "web.home"

    def get(self, request: HttpRequest) -> HttpResponse:
        visible = candidates_visible_to(request.user)
        counts = dict(visible.order_by().values_list("stage").annotate(n=Count("id")))
        stages = [{"value": stage.value, "label": stage.label, "count": counts.get(stage.value, 0)} for stage in Stage]
        return render(
            request,
            "web/home.html",
            {"stages": stages, "recent": visible.order_by("-updated_at")[:10], "total": sum(counts.values())},
        )
