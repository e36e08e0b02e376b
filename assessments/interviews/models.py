"""Interview plans (versioned) and the interviews that use them.

A plan's content is a list of stages (resume screen, interviews made of timed
sections of bank questions, take-home, soft skills), validated by `content.py`.
Every save is a new `PlanVersion`; an interview points at the version it was
planned with, and each question in a version is pinned to the question's own
version number, so a kit of a past interview shows exactly what was asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.choices import JobRole, Level


class Plan(models.Model):
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=JobRole.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    is_template = models.BooleanField(_("template"), default=False)
    template_key = models.SlugField(max_length=80, blank=True)  # fixtures' key of a template plan
    current = models.ForeignKey("PlanVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_template", "role", "level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["template_key"], condition=~models.Q(template_key=""), name="plan_unique_template_key"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlanVersion(models.Model):
    """The content of a plan at one save. Never changed once written."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()  # {"stages": [...]}: see content.py
    total_minutes = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class InterviewLanguage(models.TextChoices):
    EN = "en", "English"
    RU = "ru", "Русский"


class Interview(models.Model):
    """One interview stage of a plan version, held with a candidate by one or more
    interviewers (each fills their own scorecard)."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="interviews")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="interviews")
    stage_key = models.SlugField(max_length=80)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    language = models.CharField(_("language"), max_length=2, choices=InterviewLanguage.choices)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.candidate} / {self.stage_key}"


class ScorecardState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Recommendation(models.TextChoices):
    STRONG_NO = "strong_no", _("Strong no")
    NO = "no", _("No")
    YES = "yes", _("Yes")
    STRONG_YES = "strong_yes", _("Strong yes")


class Scorecard(models.Model):
    """One interviewer's scoring form of one interview. Drafts are saved as they are
    typed; a submitted scorecard is locked until a recruiter reopens it."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards")
    state = models.CharField(max_length=16, choices=ScorecardState.choices, default=ScorecardState.DRAFT)
    # question key -> {"key_points": [index], "mistakes": [index], "rating": 1-4 | None, "not_asked": bool, "notes"}
    answers = models.JSONField(default=dict, blank=True)
    # competency key -> {"rating": 1-4 | None, "notes"}
    competencies = models.JSONField(default=dict, blank=True)
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices, blank=True)
    justification = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)  # bumped by every save: the form's autosave reads it
    # Mean question rating (1-4, "not asked" left out), set on submit: interviewer calibration reads it.
    mean_rating = models.FloatField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["interview", "interviewer"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="scorecard_one_per_interviewer"),
            models.CheckConstraint(
                condition=models.Q(state=ScorecardState.DRAFT)
                | models.Q(state=ScorecardState.SUBMITTED, recommendation__gt="", submitted_at__isnull=False),
                name="scorecard_submitted_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"scorecard {self.pk} ({self.state})"


class ScorecardReminder(models.Model):
    """A reminder e-mail sent to an interviewer whose scorecard is not submitted."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="reminders")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["interview", "interviewer", "-sent_at"])]

    def __str__(self) -> str:
        return f"reminder {self.interview_id}/{self.interviewer_id} {self.sent_at:%Y-%m-%d %H:%M}"


class CandidateScore(models.Model):
    """A candidate's evaluation figures as last computed by
    `evaluation.candidate_score_refresh`: what the dashboard's charts and the
    pipeline export read, so that no request recomputes every candidate's
    evaluation. Refreshed whenever a screening, take-home or scorecard changes."""

    candidate = models.OneToOneField(
        "candidates.Candidate", primary_key=True, on_delete=models.CASCADE, related_name="score"
    )
    overall = models.FloatField(null=True, blank=True)
    stages = models.JSONField(default=dict, blank=True)  # stage kind -> mean score of its stages (0-100)
    competencies = models.JSONField(default=dict, blank=True)  # competency key -> mean rating (1-4)
    recommendations = models.JSONField(default=list, blank=True)  # [[interviewer, recommendation value]]
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"score of {self.candidate_id}: {self.overall}"
