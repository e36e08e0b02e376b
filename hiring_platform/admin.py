"""Shared pieces of the Django admin."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For evidence written by the services (runs, screenings, scorecards, ...):
    the admin shows it and never adds, changes or deletes it."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
