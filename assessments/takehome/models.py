"""Take-home tasks: the task and its versioned data, assignments reached by a
secret link, submissions, grading runs (each keeps the image, data and grader
versions it used), reviewers' manual scores and similarity flags."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskDataset(models.Model):
    """One version of a task's data (knowledge base, public and hidden questions).

    The files live under MEDIA_ROOT/taskdata/<name>/<version>/: `public/` is what
    candidates download and the sandbox mounts at /data; `hidden/` holds the
    hidden questions, readable by the grading worker only.
    """

    name = models.SlugField(max_length=80)
    version = models.CharField(max_length=32)  # content hash of the three files
    kb_count = models.PositiveIntegerField()
    public_count = models.PositiveIntegerField()
    hidden_count = models.PositiveIntegerField()
    folder = models.CharField(max_length=300)  # relative to MEDIA_ROOT
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="task_dataset_unique_version")]

    def __str__(self) -> str:
        return f"{self.name}@{self.version}"


class TimeMode(models.TextChoices):
    DEADLINE = "deadline", _("Fixed deadline")
    WINDOW = "window", _("Working window from first opening")


class TakeHomeTask(models.Model):
    """A task template: instructions, data, limits and the defaults of its assignments."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    dataset = models.ForeignKey(TaskDataset, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("data"))
    instructions_en = models.TextField(_("instructions (English)"))
    instructions_ru = models.TextField(_("instructions (Russian)"))
    window_hours = models.PositiveIntegerField(
        _("working window, hours"), default=72, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)]
    )
    max_submissions = models.PositiveSmallIntegerField(
        _("uploads allowed"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    anonymous_review = models.BooleanField(
        _("anonymous review"),
        default=False,
        help_text=_("Reviewers see submissions without the candidate's name until they have scored them."),
    )
    memory_mb = models.PositiveIntegerField(
        _("memory, MB"), default=1024, validators=[MinValueValidator(256), MaxValueValidator(4096)]
    )
    cpus = models.DecimalField(
        _("CPUs"), max_digits=3, decimal_places=1, default=1, validators=[MinValueValidator(0.5), MaxValueValidator(4)]
    )
    startup_seconds = models.PositiveIntegerField(
        _("start-up time allowed, seconds"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    seconds_per_answer = models.PositiveIntegerField(
        _("time per answer, seconds"), default=20, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    model_gateway = models.BooleanField(
        _("language model in the sandbox"),
        default=False,
        help_text=_("The service can call the bundled open-source model on 127.0.0.1:11434; every call is logged."),
    )
    model_tokens_per_question = models.PositiveIntegerField(
        _("model tokens per question"), default=6000, validators=[MinValueValidator(100), MaxValueValidator(50_000)]
    )
    model_tokens_per_run = models.PositiveIntegerField(
        _("model tokens per run"),
        default=400_000,
        validators=[MinValueValidator(1000), MaxValueValidator(2_000_000)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """A task issued to one candidate. The link's token is stored only as a hash:
    a database dump does not open anyone's task. A new link replaces the old one."""

    task = models.ForeignKey(TakeHomeTask, on_delete=models.PROTECT, related_name="assignments")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="assignments")
    token_hash = models.CharField(max_length=64, unique=True)
    time_mode = models.CharField(_("time"), max_length=16, choices=TimeMode.choices)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)  # fixed deadline
    window_hours = models.PositiveIntegerField(_("working window, hours"), null=True, blank=True)
    open_by = models.DateTimeField(_("link valid until"), null=True, blank=True)  # window: latest first opening
    opened_at = models.DateTimeField(null=True, blank=True)
    extra_hours = models.PositiveIntegerField(_("extra time, hours"), default=0)
    max_submissions = models.PositiveSmallIntegerField(_("uploads allowed"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(time_mode=TimeMode.DEADLINE, due_at__isnull=False)
                | models.Q(time_mode=TimeMode.WINDOW, window_hours__isnull=False, open_by__isnull=False),
                name="assignment_time_set",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.candidate}"

    @property
    def deadline(self) -> datetime | None:
        """When uploads close; None while a working window has not started."""
        extra = timedelta(hours=self.extra_hours)
        if self.time_mode == TimeMode.DEADLINE:
            return self.due_at + extra if self.due_at else None
        if self.opened_at is None or self.window_hours is None:
            return None
        return self.opened_at + timedelta(hours=self.window_hours) + extra

    @property
    def link_expires_at(self) -> datetime | None:
        if self.time_mode == TimeMode.WINDOW and self.opened_at is None:
            return self.open_by
        return self.deadline

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_open(self, now: datetime | None = None) -> bool:
        """Uploads accepted: not revoked, started, deadline not passed."""
        now = now or timezone.now()
        deadline = self.deadline
        return not self.is_revoked and deadline is not None and now < deadline

    def link_works(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        expires = self.link_expires_at
        return not self.is_revoked and expires is not None and now < expires

    @property
    def alias(self) -> str:
        """How anonymous review names the candidate."""
        return _("Candidate #%(number)s") % {"number": f"{self.pk:04d}"}


def submission_upload_path(instance: Submission, filename: str) -> str:
    return f"takehome/submissions/{instance.assignment_id}/{instance.number}/{filename}"


class SubmissionState(models.TextChoices):
    RECEIVED = "received", _("Received")
    INVALID = "invalid", _("Not a valid submission")
    READY = "ready", _("Unpacked")


class Submission(models.Model):
    """One upload. The archive is kept; its unpacked copy is what the sandbox mounts."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    archive = models.FileField(upload_to=submission_upload_path, max_length=300)
    archive_name = models.CharField(max_length=200)  # as the candidate named it: untrusted
    archive_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=SubmissionState.choices, default=SubmissionState.RECEIVED)
    detail = models.CharField(max_length=500, blank=True)  # why it is invalid, for the candidate
    workspace = models.CharField(max_length=300, blank=True)  # unpacked root, relative to MEDIA_ROOT
    start_command = models.JSONField(default=list, blank=True)
    files = models.JSONField(default=list, blank=True)  # [{"path", "size"}] of the unpacked root
    report = models.TextField(blank=True)  # REPORT.md as uploaded (capped): untrusted
    static_checks = models.JSONField(default=dict, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment", "-number"]
        constraints = [models.UniqueConstraint(fields=["assignment", "number"], name="submission_unique_number")]

    def __str__(self) -> str:
        return f"{self.assignment_id}#{self.number}"

    @property
    def static_score(self) -> float:
        return float(self.static_checks.get("score", 0.0))


class RunPurpose(models.TextChoices):
    PUBLIC = "public", _("Public check")
    HIDDEN = "hidden", _("Hidden evaluation")


class RunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running in the sandbox")
    SCORING = "scoring", _("Scoring")
    DONE = "done", _("Done")


# A run's verdict when the platform, not the candidate, failed it (the sandbox job
# ended in an infrastructure error after its retries, or the worker's time limit
# passed): the run has no score and never counts; a recruiter can run it again.
PLATFORM_ERROR = "platform_error"


class GradingRun(models.Model):
    """One run of a submission in the sandbox, public or hidden, with everything it measured."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="runs")
    purpose = models.CharField(max_length=16, choices=RunPurpose.choices)
    state = models.CharField(max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    verdict = models.CharField(max_length=32, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    sandbox_job = models.OneToOneField(
        "sandbox.SandboxJobRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="grading_run"
    )
    dataset = models.ForeignKey(TaskDataset, on_delete=models.PROTECT, related_name="+")
    image = models.CharField(max_length=200, blank=True)
    grader_version = models.CharField(max_length=32)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    auto_score = models.FloatField(null=True, blank=True)
    components = models.JSONField(default=dict, blank=True)  # component -> {"value", "points", "weight"}
    metrics = models.JSONField(default=dict, blank=True)
    questions = models.JSONField(default=list, blank=True)  # per-question results
    logs = models.TextField(blank=True)  # the service's output, capped: untrusted
    # The scorer that moved the run to `scoring`: only that claim may close it, and the
    # sweep takes a claim back only once it is older than the scoring task's time limit.
    scoring_claim = models.UUIDField(null=True, blank=True)
    scoring_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=RunState.values), name="grading_run_state_valid"),
            models.CheckConstraint(
                condition=models.Q(state=RunState.DONE, verdict__gt="")
                | (~models.Q(state=RunState.DONE) & models.Q(verdict="")),
                name="grading_run_verdict_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.submission} ({self.purpose}, {self.state})"


class Rating(models.IntegerChoices):
    NO_SIGNAL = 1, _("1 — no signal")
    PARTIAL = 2, _("2 — partial")
    SOLID = 3, _("3 — solid")
    EXCEPTIONAL = 4, _("4 — exceptional")


class TakeHomeReview(models.Model):
    """A reviewer's manual scores of one assignment (its latest submission)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_quality = models.PositiveSmallIntegerField(_("code quality"), choices=Rating.choices)
    tool_choice = models.PositiveSmallIntegerField(_("choice of tools"), choices=Rating.choices)
    evaluation_quality = models.PositiveSmallIntegerField(_("quality of their evaluation"), choices=Rating.choices)
    report_quality = models.PositiveSmallIntegerField(_("report"), choices=Rating.choices)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignment", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "reviewer"], name="takehome_review_one_per_reviewer"),
            *[
                models.CheckConstraint(condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 4}), name=f"{name}_1_4")
                for name in ("code_quality", "tool_choice", "evaluation_quality", "report_quality")
            ],
        ]

    def __str__(self) -> str:
        return f"review of {self.assignment_id} by {self.reviewer_id}"


class SimilarityFlag(models.Model):
    """Two submissions to the same task whose code is alike (see similarity.py)."""

    task = models.ForeignKey(TakeHomeTask, on_delete=models.CASCADE, related_name="similarity_flags")
    submission_a = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    submission_b = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    matches = models.JSONField(default=list)  # [{"file_a", "file_b", "similarity", "spans_a", "spans_b"}]
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["submission_a", "submission_b"], name="similarity_flag_unique_pair"),
            models.CheckConstraint(condition=models.Q(submission_a__lt=models.F("submission_b")), name="pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_a_id} ~ {self.submission_b_id} ({self.score:.2f})"
