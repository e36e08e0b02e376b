"""The interview question bank.

`Question` holds the current text of a question; every change of its content
writes a new immutable `QuestionVersion`, which is what plans and scorecards
point at, so they always show the text as it was when used. `QuestionSource`
ties a question to the documents it came from (document, ordinal); one
(document, ordinal) belongs to exactly one question.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.choices import Level


class Topic(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name_en = models.CharField(max_length=120)
    name_ru = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name_en


class QuestionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DRAFT = "draft", _("Draft")  # imported from a one-language document; needs its other language and rubric
    RETIRED = "retired", _("Retired")


class Question(models.Model):
    key = models.SlugField(_("key"), max_length=120, unique=True)
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="questions")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    roles = ArrayField(models.CharField(max_length=32), verbose_name=_("roles"), default=list)
    tags = ArrayField(models.CharField(max_length=64), verbose_name=_("tags"), default=list, blank=True)
    time_minutes = models.PositiveSmallIntegerField(_("time, minutes"), default=5)
    status = models.CharField(_("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.ACTIVE)

    prompt_en = models.TextField(_("question (English)"), blank=True)
    prompt_ru = models.TextField(_("question (Russian)"), blank=True)
    answer_en = models.TextField(_("reference answer (English)"), blank=True)
    answer_ru = models.TextField(_("reference answer (Russian)"), blank=True)
    tips_en = models.TextField(_("interviewer tips (English)"), blank=True)
    tips_ru = models.TextField(_("interviewer tips (Russian)"), blank=True)
    # Lists of {"en": ..., "ru": ...} items.
    key_points = models.JSONField(_("rubric key points"), default=list, blank=True)
    common_mistakes = models.JSONField(_("common mistakes"), default=list, blank=True)
    follow_ups = models.JSONField(_("follow-up questions"), default=list, blank=True)

    version = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=64, default="")
    # How often plans and interviews used the question (counters moved with F()).
    plan_uses = models.PositiveIntegerField(default=0)
    interview_uses = models.PositiveIntegerField(default=0)

    # Search: full-text vector (English and Russian stemming) and the raw text
    # for trigram matching of misspelt words; both written by the services.
    search_vector = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(default="", editable=False)
    # Multilingual sentence embeddings of the English and Russian prompts
    # (float32, 2 x 512), for near-duplicate detection across languages.
    embedding = models.BinaryField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic__position", "level", "key"]
        indexes = [
            GinIndex(fields=["search_vector"], name="question_search_vector"),
            GinIndex(fields=["tags"], name="question_tags"),
            GinIndex(fields=["roles"], name="question_roles"),
            models.Index(fields=["status", "topic", "level"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=Level.values), name="question_level_valid"),
            models.CheckConstraint(condition=models.Q(status__in=QuestionStatus.values), name="question_status_valid"),
            models.CheckConstraint(
                condition=models.Q(time_minutes__gte=1, time_minutes__lte=90), name="question_time_range"
            ),
            # An active question is usable in an interview: it speaks both languages.
            models.CheckConstraint(
                condition=~models.Q(status="active") | (~models.Q(prompt_en="") & ~models.Q(prompt_ru="")),
                name="question_active_is_bilingual",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def prompt(self, language: str) -> str:
        """The prompt in `language` ("ru" or "en"), falling back to the other one."""
        if language == "ru":
            return self.prompt_ru or self.prompt_en
        return self.prompt_en or self.prompt_ru


class QuestionVersion(models.Model):
    """An immutable snapshot of a question's content, numbered from 1."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class QuestionSource(models.Model):
    """Provenance: the question appears at `ordinal` (1-based) in `document`."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="sources")
    document = models.CharField(max_length=200)
    ordinal = models.PositiveIntegerField()

    class Meta:
        ordering = ["document", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["document", "ordinal"], name="question_source_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document}#{self.ordinal}"


class SearchTerm(models.Model):
    """Every word of the bank's questions, for correcting misspelt search words
    (nearest word by trigram similarity) before the full-text search."""

    word = models.CharField(max_length=64, primary_key=True)

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_term_trgm")]

    def __str__(self) -> str:
        return self.word
