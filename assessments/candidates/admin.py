from django.contrib import admin
from django.db import models

from .models import Candidate, CandidateEvent


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["full_name", "role", "level", "stage", "owner", "created_at"]
    list_filter = ["stage", "role", "level", "source"]
    search_fields = ["full_name", "email"]
    filter_horizontal = ["interviewers"]
    readonly_fields = ["stage", "resume", "resume_name", "resume_content_type", "resume_size"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CandidateEvent)
class CandidateEventAdmin(admin.ModelAdmin):
    """Read-only: the timeline is append-only."""

    list_display = ["candidate", "kind", "actor", "created_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
