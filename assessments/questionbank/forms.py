"""Web forms of the question bank. A question's bilingual lists are edited as
two text areas (English, Russian), one item per line, paired by position."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.choices import JobRole, Level

from .content import LIST_FIELDS, QuestionContent, content_from_mapping
from .models import QuestionStatus, Topic

LIST_LABELS = {
    "key_points": _("Rubric key points"),
    "common_mistakes": _("Common mistakes"),
    "follow_ups": _("Follow-up questions"),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=120, help_text=_("Lowercase words joined by hyphens."))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), to_field_name="slug")
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=JobRole.choices, widget=forms.CheckboxSelectMultiple)
    time_minutes = forms.IntegerField(label=_("Time, minutes"), min_value=1, max_value=90, initial=5)
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    prompt_en = forms.CharField(label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 2}))
    prompt_ru = forms.CharField(label=_("Question (Russian)"), widget=forms.Textarea(attrs={"rows": 2}))
    answer_en = forms.CharField(
        label=_("Reference answer (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    answer_ru = forms.CharField(
        label=_("Reference answer (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tips_en = forms.CharField(
        label=_("Interviewer tips (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    tips_ru = forms.CharField(
        label=_("Interviewer tips (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    key_points_en = forms.CharField(
        label=_("Rubric key points (English), one per line"), widget=forms.Textarea(attrs={"rows": 5})
    )
    key_points_ru = forms.CharField(
        label=_("Rubric key points (Russian), one per line"), widget=forms.Textarea(attrs={"rows": 5})
    )
    common_mistakes_en = forms.CharField(
        label=_("Common mistakes (English), one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    common_mistakes_ru = forms.CharField(
        label=_("Common mistakes (Russian), one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_ups_en = forms.CharField(
        label=_("Follow-up questions (English), one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_ups_ru = forms.CharField(
        label=_("Follow-up questions (Russian), one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("position")  # type: ignore[attr-defined]
        self.content: QuestionContent | None = None
        if editing:
            self.fields["key"].disabled = True

    @classmethod
    def initial_of(cls, content: QuestionContent) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "key": content.key,
            "topic": content.topic,
            "level": content.level,
            "roles": content.roles,
            "time_minutes": content.time_minutes,
            "tags": ", ".join(content.tags),
        }
        for name in ("prompt", "answer", "tips"):
            for language in ("en", "ru"):
                initial[f"{name}_{language}"] = getattr(content, name)[language]
        for name in LIST_FIELDS:
            for language in ("en", "ru"):
                initial[f"{name}_{language}"] = "\n".join(item[language] for item in getattr(content, name))
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        mapping: dict[str, Any] = {
            "key": data["key"],
            "topic": data["topic"].slug,
            "level": data["level"],
            "roles": data["roles"],
            "time_minutes": data["time_minutes"],
            "status": QuestionStatus.ACTIVE,
            "tags": [tag.strip().lower() for tag in data.get("tags", "").split(",") if tag.strip()],
        }
        for name in ("prompt", "answer", "tips"):
            mapping[name] = {"en": data.get(f"{name}_en", ""), "ru": data.get(f"{name}_ru", "")}
        for name in LIST_FIELDS:
            english, russian = _lines(data.get(f"{name}_en", "")), _lines(data.get(f"{name}_ru", ""))
            if len(english) != len(russian):
                self.add_error(
                    f"{name}_ru",
                    _("%(list)s: %(en)s lines in English but %(ru)s in Russian; each line needs its translation.")
                    % {"list": LIST_LABELS[name], "en": len(english), "ru": len(russian)},
                )
            mapping[name] = [{"en": en, "ru": ru} for en, ru in zip(english, russian, strict=False)]
        if self.errors:
            return data
        topics = {data["topic"].slug}
        self.content, errors = content_from_mapping(mapping, topics=topics)
        for error in errors:
            self.add_error(None, error)
        return data


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any topic"),
    )
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("Any level")), *Level.choices], required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *JobRole.choices], required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=64)
    source = forms.CharField(label=_("Source document"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("In use (active and drafts)")), *QuestionStatus.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("position")  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["topic"] = data["topic"].slug if data.get("topic") else ""
        return data


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Why retire it?"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ImportUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Document"),
        help_text=_(
            "YAML in the bank's format (.yaml, .yml), or a text document laid out like the seeds "
            "(.txt, .md); up to 2 MB."
        ),
    )
