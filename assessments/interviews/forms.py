"""Forms of the plan pages; plan content is edited by the builder (JSON through the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.choices import JobRole, Level
from assessments.questionbank.models import Topic
from hiring_platform.accounts.roles import Role
from hiring_platform.accounts.selectors import users_with_role

from .models import InterviewLanguage, Plan


class FromTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=Plan.objects.filter(is_template=True, current__isnull=False), label=_("Template")
    )
    name = forms.CharField(max_length=200, label=_("Name of the new plan"))


class SuggestForm(forms.Form):
    role = forms.ChoiceField(choices=JobRole.choices, label=_("Role"))
    level = forms.ChoiceField(choices=Level.choices, label=_("Level"))
    minutes = forms.IntegerField(min_value=15, max_value=240, initial=60, label=_("Interview time, minutes"))
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("position", "slug"),
        to_field_name="slug",
        required=False,
        label=_("Topics to stress"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class ScratchForm(forms.Form):
    role = forms.ChoiceField(choices=JobRole.choices, label=_("Role"))
    level = forms.ChoiceField(choices=Level.choices, label=_("Level"))


class ScheduleForm(forms.Form):
    stage = forms.ChoiceField(label=_("Plan and interview stage"))
    interviewers = forms.ModelMultipleChoiceField(
        queryset=users_with_role(Role.INTERVIEWER),
        label=_("Interviewers"),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    language = forms.ChoiceField(choices=InterviewLanguage.choices, label=_("Language of the interview"))
    scheduled_at = forms.DateTimeField(
        required=False,
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        for plan in Plan.objects.filter(current__isnull=False, is_template=False).select_related("current"):
            for stage in plan.current.content["stages"]:  # type: ignore[union-attr]
                if stage["kind"] == "interview":
                    choices.append((f"{plan.pk}:{stage['key']}", f"{plan.name} — {stage['title_en']}"))
        self.fields["stage"].choices = choices  # type: ignore[attr-defined]

    def plan_and_stage(self) -> tuple[Plan, str]:
        plan_id, stage_key = self.cleaned_data["stage"].split(":", 1)
        return Plan.objects.select_related("current").get(pk=int(plan_id)), stage_key


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("hire", _("Hire")), ("no_hire", _("No hire"))], widget=forms.RadioSelect, label=_("Decision")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"), max_length=5000)
