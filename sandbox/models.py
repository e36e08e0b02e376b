"""Sandbox jobs as the platform tracks them: a state machine per job and one
row per attempt. (job, attempt number) is unique, so a redelivered task can
never record a second result for the same attempt."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .job import Verdict


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    STARTING = "starting", _("Starting")
    RUNNING = "running", _("Running")
    GRADING = "grading", _("Grading")
    DONE = "done", _("Done")


ACTIVE_STATES = (JobState.STARTING, JobState.RUNNING, JobState.GRADING)


class JobKind(models.TextChoices):
    COMMAND = "command", _("Command")
    SERVICE = "service", _("Service queried by the grading client")


class SandboxJobRecord(models.Model):
    key = models.CharField(max_length=120, unique=True)  # the caller's id, e.g. "submission-42"
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    spec = models.JSONField()  # image, command, workspace, data, environment, limits, questions
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    verdict = models.CharField(max_length=32, choices=[(v.value, v.value) for v in Verdict], blank=True)
    result = models.JSONField(default=dict, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)  # of the running attempt
    # A Celery task name sent the job's id once the job is done (the caller's next
    # step, e.g. scoring a take-home run). The sandbox knows nothing else of callers.
    notify = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=JobState.values), name="sandbox_job_state_valid"),
            # A finished job has a verdict; an unfinished one has none.
            models.CheckConstraint(
                condition=models.Q(state=JobState.DONE, verdict__gt="")
                | (~models.Q(state=JobState.DONE) & models.Q(verdict="")),
                name="sandbox_job_verdict_when_done",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"


class SandboxAttempt(models.Model):
    job = models.ForeignKey(SandboxJobRecord, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveSmallIntegerField()
    verdict = models.CharField(max_length=32, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    exit_code = models.IntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="sandbox_attempt_unique_number")]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.number} {self.verdict}"
