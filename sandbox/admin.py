from django.contrib import admin

from hiring_platform.admin import ReadOnlyAdmin

from .models import SandboxAttempt, SandboxJobRecord


class AttemptInline(admin.TabularInline):
    model = SandboxAttempt
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "verdict",
        "detail",
        "exit_code",
        "duration_seconds",
        "worker",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SandboxJobRecord)
class SandboxJobAdmin(ReadOnlyAdmin):
    """Read-only: jobs move only through the sandbox services; a job's result is
    evidence for a hiring decision."""

    list_display = ["key", "kind", "state", "verdict", "attempts", "created_at", "finished_at"]
    list_filter = ["state", "verdict", "kind"]
    search_fields = ["key"]
    readonly_fields = [field.name for field in SandboxJobRecord._meta.fields]
    inlines = [AttemptInline]
