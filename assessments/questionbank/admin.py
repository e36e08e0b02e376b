from django.contrib import admin

from .models import Question, QuestionSource, QuestionVersion, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_ru", "position"]


class SourceInline(admin.TabularInline):
    model = QuestionSource
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Read-mostly: content changes go through the bank's pages so that versions are written."""

    list_display = ["key", "topic", "level", "status", "version", "plan_uses", "interview_uses"]
    list_filter = ["status", "level", "topic"]
    search_fields = ["key", "prompt_en", "prompt_ru"]
    readonly_fields = [field.name for field in Question._meta.fields if field.name not in ("id",)]
    inlines = [SourceInline]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(QuestionVersion)
class QuestionVersionAdmin(admin.ModelAdmin):
    list_display = ["question", "number", "created_by", "created_at"]
    readonly_fields = ["question", "number", "content", "content_hash", "created_by", "note"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
