"""Forms of the screening pages; the services hold the rules."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Checklist, Decision, FlagStatus


class StartForm(forms.Form):
    checklist = forms.ModelChoiceField(queryset=Checklist.objects.filter(current__isnull=False), label=_("Checklist"))


class FlagReviewForm(forms.Form):
    status = forms.ChoiceField(choices=[(FlagStatus.CONFIRMED, _("Confirm")), (FlagStatus.REJECTED, _("Reject"))])
    note = forms.CharField(required=False, max_length=2000)


class FlagAddForm(forms.Form):
    key = forms.ChoiceField(label=_("Flag"))
    note = forms.CharField(label=_("Why (quote or explain)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = choices  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class FlagEditForm(forms.Form):
    key = forms.RegexField(regex=r"^[a-z][a-z0-9_]{1,48}$", label=_("Key"), required=False)
    kind = forms.ChoiceField(choices=[("green", _("Green")), ("red", _("Red"))], label=_("Kind"))
    weight = forms.IntegerField(min_value=1, max_value=5, label=_("Weight"))
    title_en = forms.CharField(max_length=200, label=_("Title (English)"))
    title_ru = forms.CharField(max_length=200, label=_("Title (Russian)"))
    description_en = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Description (English)"))
    description_ru = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Description (Russian)"))
    rules = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10, "class": "mono"}),
        label=_("Detection rules (YAML)"),
        help_text=_(
            "A list of rules: any, with_nearby, unless_nearby, unless, min_distinct, absent (regular expressions)."
        ),
    )

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new = new
        self.fields["key"].required = new
        if not new:
            self.fields["key"].widget = forms.HiddenInput()

    def clean_rules(self) -> list[Any]:
        try:
            rules = yaml.safe_load(self.cleaned_data["rules"])
        except yaml.YAMLError as error:
            raise forms.ValidationError(_("Not valid YAML: %(error)s") % {"error": error}) from None
        if not isinstance(rules, list):
            raise forms.ValidationError(_("A list of rules is expected."))
        return rules

    def flag(self, key: str) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["key"] = data["key"] if self.new else key
        return data
