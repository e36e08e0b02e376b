"""Admin of screening: checklists are edited on their pages (each edit is a
version); versions, screenings and flags are evidence, shown read-only."""

from django.contrib import admin

from hiring_platform.admin import ReadOnlyAdmin

from .models import Checklist, ChecklistVersion, Screening, ScreeningFlag


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ["slug", "role", "current"]


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(ReadOnlyAdmin):
    list_display = ["checklist", "number", "content_hash", "created_by", "created_at"]


class FlagInline(admin.TabularInline):
    model = ScreeningFlag
    extra = 0
    can_delete = False
    readonly_fields = ["key", "kind", "weight", "source", "status", "note", "decided_by"]
    exclude = ["evidence"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "version", "state", "decision", "created_at"]
    list_filter = ["state", "decision"]
    inlines = [FlagInline]
