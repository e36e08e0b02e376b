"""The home page: the recruiter dashboard (pipeline board with filters, what needs
attention) for the hiring team; interviewers see the same for their candidates."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from assessments.choices import JobRole, Level
from hiring_platform.accounts.permissions import RuleRequiredMixin, can
from hiring_platform.accounts.roles import Role
from hiring_platform.accounts.selectors import users_with_role

from .charts import interviewer_calibration, score_distribution, time_in_stage
from .dashboard import needs_attention, pipeline_board


class BoardFilterForm(forms.Form):
    role = forms.ChoiceField(choices=[("", _("All roles")), *JobRole.choices], required=False, label=_("Role"))
    level = forms.ChoiceField(choices=[("", _("All levels")), *Level.choices], required=False, label=_("Level"))
    owner = forms.ModelChoiceField(
        queryset=users_with_role(Role.RECRUITER), required=False, label=_("Recruiter"), empty_label=_("All recruiters")
    )


class HomeView(RuleRequiredMixin, View):
    rule = "web.home"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = BoardFilterForm(request.GET or None)
        filters = dict(form.cleaned_data) if form.is_valid() else {}
        if filters.get("owner") is not None:
            filters["owner"] = filters["owner"].pk
        charts = None
        if can(request.user, "web.charts"):
            charts = {
                "distribution": score_distribution(request.user, filters),
                "calibration": interviewer_calibration(request.user, filters),
                "time_in_stage": time_in_stage(request.user, filters),
            }
        return render(
            request,
            "web/home.html",
            {
                "form": form,
                "board": pipeline_board(request.user, filters),
                "attention": needs_attention(request.user),
                "charts": charts,
            },
        )
