from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assessments.choices import JobRole, Level
from hiring_platform.accounts.roles import Role
from hiring_platform.accounts.selectors import users_with_role

from .models import Candidate, Source, Stage
from .resumes import ACCEPTED_EXTENSIONS


class CandidateForm(forms.ModelForm):
    # A bare "github.com/anna" means https (Django 6's default, chosen explicitly).
    profile_url = forms.URLField(label=_("profile or code link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Candidate
        fields = [
            "full_name",
            "email",
            "phone",
            "profile_url",
            "role",
            "level",
            "source",
            "owner",
            "interviewers",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "interviewers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = users_with_role(Role.RECRUITER)  # type: ignore[attr-defined]
        self.fields["interviewers"].queryset = users_with_role(Role.INTERVIEWER)  # type: ignore[attr-defined]
        self.fields["interviewers"].required = False

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the candidate's name."))
        return name


class CandidateFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=200)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any stage")), *Stage.choices], required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *JobRole.choices], required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("Any level")), *Level.choices], required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("Any source")), *Source.choices], required=False)
    owner = forms.ModelChoiceField(
        label=_("Recruiter"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Any recruiter")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = users_with_role(Role.RECRUITER)  # type: ignore[attr-defined]


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CandidateEraseForm(forms.Form):
    """The erasure cannot be undone: the user types the candidate's name to confirm."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the candidate asked for their data to be deleted."),
    )
    confirm_name = forms.CharField(label=_("Type the candidate's full name to confirm"), max_length=200)

    def __init__(self, *args: Any, candidate_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate_name = candidate_name

    def clean_confirm_name(self) -> str:
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.candidate_name.split()).casefold():
            raise forms.ValidationError(_("The name does not match."))
        return typed


class ResumeUploadForm(forms.Form):
    resume = forms.FileField(
        label=_("Resume"),
        help_text=_("PDF, DOCX, TXT or MD."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
