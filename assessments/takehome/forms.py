"""Forms of the take-home pages. Validation of content happens in the services
(one place); forms check shapes and turn service errors into field errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Rating, TakeHomeReview, TakeHomeTask, TimeMode
from .services.task_templates import EDITABLE_FIELDS


class IssueForm(forms.Form):
    task = forms.ModelChoiceField(queryset=TakeHomeTask.objects.all(), label=_("Task"))
    time_mode = forms.ChoiceField(choices=TimeMode.choices, label=_("Time"), initial=TimeMode.WINDOW)
    window_hours = forms.IntegerField(
        label=_("Working window, hours"), min_value=1, max_value=24 * 30, required=False, initial=72
    )
    due_at = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    max_submissions = forms.IntegerField(label=_("Uploads allowed"), min_value=1, max_value=20, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("time_mode") == TimeMode.DEADLINE and not data.get("due_at"):
            self.add_error("due_at", _("Set the deadline."))
        return data


class ExtendForm(forms.Form):
    hours = forms.IntegerField(label=_("Extra hours"), min_value=1, max_value=24 * 30, initial=24)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class UploadForm(forms.Form):
    archive = forms.FileField(
        label=_("Archive (.zip or .tar.gz)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".zip,.tar.gz,.tgz", "data-max-bytes": settings.TAKEHOME_ARCHIVE_MAX_BYTES}
        ),
    )


class ReviewForm(forms.ModelForm):
    class Meta:
        model = TakeHomeReview
        fields = ["code_quality", "tool_choice", "evaluation_quality", "report_quality", "notes"]
        widgets = dict.fromkeys(fields[:4], forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[:4]:
            self.fields[name].choices = Rating.choices  # type: ignore[attr-defined]  # no empty choice: a rating is required


class TaskForm(forms.ModelForm):
    class Meta:
        model = TakeHomeTask
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "instructions_en": forms.Textarea(attrs={"rows": 12}),
            "instructions_ru": forms.Textarea(attrs={"rows": 12}),
        }


class TaskCreateForm(TaskForm):
    class Meta(TaskForm.Meta):
        fields = ["slug", *EDITABLE_FIELDS]


class TaskDataForm(forms.Form):
    """The three files of a task's data; validated by the dataset parser."""

    kb = forms.FileField(label="kb.jsonl")
    public_questions = forms.FileField(label="public_questions.jsonl")
    hidden_questions = forms.FileField(label="hidden_questions.jsonl")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limit = settings.TASK_DATA_MAX_BYTES
        for name in ("kb", "public_questions", "hidden_questions"):
            upload = data.get(name)
            if upload is not None and upload.size > limit:
                self.add_error(
                    name,
                    _("The file is %(size)s; the limit is %(limit)s.")
                    % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                )
        return data

    def files_by_name(self) -> dict[str, bytes]:
        return {
            "kb.jsonl": self.cleaned_data["kb"].read(),
            "public_questions.jsonl": self.cleaned_data["public_questions"].read(),
            "hidden_questions.jsonl": self.cleaned_data["hidden_questions"].read(),
        }
