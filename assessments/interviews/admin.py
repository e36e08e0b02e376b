"""Admin of plans and interviews: shown read-only; plans change through the
builder (every save is a version) and interviews are scheduled on their page."""

from django.contrib import admin

from hiring_platform.admin import ReadOnlyAdmin

from .models import Interview, Plan, PlanVersion, Scorecard


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "role", "level", "is_template", "current"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "total_minutes", "created_by", "created_at"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "plan_version", "stage_key", "language", "scheduled_at"]


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["interview", "interviewer", "state", "recommendation", "submitted_at"]
