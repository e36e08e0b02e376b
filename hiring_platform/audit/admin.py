from django.contrib import admin

from hiring_platform.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only (a database trigger refuses changes too)."""

    list_display = ["created_at", "actor_username", "action", "target_label", "ip_address", "origin"]
    list_filter = ["action"]
    search_fields = ["actor_username", "target_type", "target_id"]
    date_hierarchy = "created_at"
