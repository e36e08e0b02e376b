"""Resume screening: checklists (versioned), screenings of a candidate's resume
against one version, and the flags of each screening with their evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.choices import JobRole


class Checklist(models.Model):
    """A red/green-flag checklist for a role; its content lives in versions."""

    slug = models.SlugField(max_length=80, unique=True)
    role = models.CharField(_("role"), max_length=32, choices=JobRole.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    current = models.ForeignKey("ChecklistVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "slug"]

    def __str__(self) -> str:
        return self.slug


class ChecklistVersion(models.Model):
    """The flags of a checklist at one point in time. Never changed once written:
    a screening points at the version it was made with."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    flags = models.JSONField()  # validated by checklists.checklist_validate
    content_hash = models.CharField(max_length=16)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checklist", "-number"]
        constraints = [models.UniqueConstraint(fields=["checklist", "number"], name="checklist_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.checklist.slug} v{self.number}"

    def flag(self, key: str) -> dict[str, object] | None:
        return next((flag for flag in self.flags if flag["key"] == key), None)


class ScreeningState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    EXTRACTING = "extracting", _("Reading the resume")
    DONE = "done", _("Done")
    FAILED = "failed", _("Could not read the resume")


class Decision(models.TextChoices):
    ADVANCE = "advance", _("Advance")
    HOLD = "hold", _("Hold")
    REJECT = "reject", _("Reject")


class Screening(models.Model):
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="screenings")
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="screenings")
    state = models.CharField(max_length=16, choices=ScreeningState.choices, default=ScreeningState.QUEUED)
    detail = models.CharField(max_length=500, blank=True)  # why the resume could not be read
    resume_name = models.CharField(max_length=200)
    resume_text = models.TextField(blank=True)
    analysis_ms = models.FloatField(null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=ScreeningState.values), name="screening_state_valid"),
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(state=ScreeningState.DONE), name="decision_after_analysis"
            ),
        ]

    def __str__(self) -> str:
        return f"screening {self.pk} of {self.candidate_id}"


class FlagSource(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by the analyser")
    MANUAL = "manual", _("Added by hand")


class FlagStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("flag status", "To check")
    CONFIRMED = "confirmed", pgettext_lazy("flag status", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("flag status", "Rejected")


class ScreeningFlag(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="flags")
    key = models.CharField(max_length=50)  # a flag of the screening's checklist version
    kind = models.CharField(max_length=8)
    weight = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=16, choices=FlagSource.choices)
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.PENDING)
    evidence = models.JSONField(default=list, blank=True)  # [{"quote", "start", "end", "line", "rule"}]
    whole_text = models.BooleanField(default=False)  # judged on the whole resume (an absence)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["screening", "kind", "key"]
        constraints = [models.UniqueConstraint(fields=["screening", "key"], name="screening_flag_unique_key")]

    def __str__(self) -> str:
        return f"{self.screening_id}:{self.key} ({self.status})"
