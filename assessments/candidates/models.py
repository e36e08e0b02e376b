"""Candidates and their pipeline. The timeline is a list of `CandidateEvent`
rows: every stage change, edit and upload leaves one (who, what, when, before/after)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.choices import JobRole, Level


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("Screening")
    TAKE_HOME = "take_home", _("Take-home")
    INTERVIEWS = "interviews", _("Interviews")
    DECISION = "decision", _("Decision")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_STAGES = frozenset({Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN})


class Source(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    JOB_BOARD = "job_board", _("Job board")
    SOCIAL = "social", _("Professional network")
    AGENCY = "agency", _("Agency")
    DIRECT = "direct", _("Applied directly")
    SOURCED = "sourced", _("Sourced by a recruiter")
    OTHER = "other", _("Other")


def resume_upload_path(instance: Candidate, filename: str) -> str:
    # A random folder per upload: names are never guessable nor colliding.
    return f"resumes/{uuid.uuid4().hex}/{filename}"


class Candidate(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    profile_url = models.URLField(_("profile or code link"), max_length=500, blank=True)
    role = models.CharField(_("role applied for"), max_length=32, choices=JobRole.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.OTHER)
    stage = models.CharField(_("pipeline stage"), max_length=16, choices=Stage.choices, default=Stage.APPLIED)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner recruiter"),
        on_delete=models.PROTECT,
        related_name="owned_candidates",
    )
    # Interviewers assigned to this candidate's loop: the only candidates an
    # interviewer can open. Scheduling an interview adds its interviewers here.
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned interviewers"),
        related_name="assigned_candidates",
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    resume = models.FileField(_("resume"), upload_to=resume_upload_path, blank=True, max_length=300)
    resume_name = models.CharField(_("resume file name"), max_length=200, blank=True)
    resume_content_type = models.CharField(max_length=100, blank=True)
    resume_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set with every change of a screening, take-home or scorecard, cleared when the
    # stored evaluation figures are recomputed: a lost task message leaves it set for the sweep.
    score_stale = models.BooleanField(default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the candidate's personal data was erased (erasure.py); the row stays
    # for the statistics and is never edited again.
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["stage", "role", "level"]),
            models.Index(fields=["owner", "stage"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(stage__in=Stage.values), name="candidate_stage_valid"),
            models.CheckConstraint(condition=models.Q(role__in=JobRole.values), name="candidate_role_valid"),
            models.CheckConstraint(condition=models.Q(level__in=Level.values), name="candidate_level_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name


class EventKind(models.TextChoices):
    CREATED = "created", _("Candidate created")
    UPDATED = "updated", _("Details changed")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    RESUME_UPLOADED = "resume_uploaded", _("Resume uploaded")
    TAKEHOME_ISSUED = "takehome_issued", _("Take-home issued")
    TAKEHOME_CHANGED = "takehome_changed", _("Take-home link changed")
    TAKEHOME_SUBMITTED = "takehome_submitted", _("Take-home submitted")
    TAKEHOME_REVIEWED = "takehome_reviewed", _("Take-home reviewed")
    SCREENING_DONE = "screening_done", _("Resume screened")
    SCREENING_DECIDED = "screening_decided", _("Screening decision")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("Interview scheduled")
    SCORECARD_SUBMITTED = "scorecard_submitted", _("Scorecard submitted")
    SCORECARD_REOPENED = "scorecard_reopened", _("Scorecard reopened")
    HIRING_DECISION = "hiring_decision", _("Hiring decision")
    ERASED = "erased", _("Personal data erased")


class CandidateEvent(models.Model):
    """One entry of a candidate's timeline. Append-only."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["candidate", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
