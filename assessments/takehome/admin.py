"""Admin of take-homes: tasks are configuration (editable); data versions,
assignments, submissions, runs, reviews and flags are evidence written by the
services, so the admin shows them read-only."""

from django.contrib import admin

from hiring_platform.admin import ReadOnlyAdmin

from .models import Assignment, GradingRun, SimilarityFlag, Submission, TakeHomeReview, TakeHomeTask, TaskDataset


@admin.register(TakeHomeTask)
class TakeHomeTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "dataset", "window_hours", "max_submissions", "anonymous_review"]
    readonly_fields = ["dataset"]  # a new data version goes through load_task_data or the task page

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a task needs its data: created from the task page or load_task_data


@admin.register(TaskDataset)
class TaskDatasetAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "kb_count", "public_count", "hidden_count", "created_at"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["task", "candidate", "time_mode", "opened_at", "extra_hours", "revoked_at", "created_at"]
    exclude = ["token_hash"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "number", "state", "archive_size", "uploaded_at"]


@admin.register(GradingRun)
class GradingRunAdmin(ReadOnlyAdmin):
    list_display = ["submission", "purpose", "state", "verdict", "auto_score", "grader_version", "created_at"]
    list_filter = ["purpose", "state", "verdict"]


@admin.register(TakeHomeReview)
class TakeHomeReviewAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "reviewer", "code_quality", "tool_choice", "evaluation_quality", "report_quality"]


@admin.register(SimilarityFlag)
class SimilarityFlagAdmin(ReadOnlyAdmin):
    list_display = ["task", "submission_a", "submission_b", "score", "created_at"]
