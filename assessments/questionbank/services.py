"""Writes about the question bank: topics, questions and their versions,
retirement. Bulk imports live in `importing/`; they call these."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from assessments import embeddings
from hiring_platform.errors import ApplicationError

from .content import QuestionContent
from .models import Question, QuestionSource, QuestionStatus, QuestionVersion, Topic
from .search_index import search_index_refresh


def topics_load(*, entries: list[dict[str, Any]]) -> int:
    """Create or update topics from `{slug, en, ru}` entries; returns how many changed."""
    changed = 0
    for position, entry in enumerate(entries):
        defaults = {"name_en": entry["en"], "name_ru": entry["ru"], "position": position}
        topic, created = Topic.objects.get_or_create(slug=entry["slug"], defaults=defaults)
        if not created and any(getattr(topic, name) != value for name, value in defaults.items()):
            Topic.objects.filter(pk=topic.pk).update(**defaults)
            created = True
        changed += int(created)
    return changed


def _embedding_of(content: QuestionContent) -> bytes:
    vectors = embeddings.embed([content.prompt["en"], content.prompt["ru"]])
    return embeddings.pack(vectors[0], vectors[1])


def _write_version(question: Question, content: QuestionContent, actor: User | None, note: str) -> None:
    QuestionVersion.objects.create(
        question=question,
        number=question.version,
        content=content.snapshot(),
        content_hash=question.content_hash,
        created_by=actor,
        note=note[:300],
    )


def question_sources_add(*, question: Question, content: QuestionContent) -> int:
    """Attach the provenance of `content` to `question` (skipping what it already has)."""
    added = 0
    for source in content.provenance:
        _, created = QuestionSource.objects.get_or_create(
            document=source.document, ordinal=source.ordinal, defaults={"question": question}
        )
        added += int(created)
    return added


@transaction.atomic
def question_create(*, actor: User | None, content: QuestionContent, note: str = "") -> Question:
    """Create a question (version 1) with its provenance and search columns."""
    topic = Topic.objects.get(slug=content.topic)
    question = Question(key=content.key, topic=topic, content_hash=content.content_hash(), **content.model_fields())
    question.embedding = _embedding_of(content)
    question.full_clean(exclude=["embedding", "search_vector", "search_text"])
    question.save()
    _write_version(question, content, actor, note or _("Created"))
    question_sources_add(question=question, content=content)
    search_index_refresh(Question.objects.filter(pk=question.pk))
    return question


def _store_version(*, actor: User | None, question: Question, content: QuestionContent, note: str) -> bool:
    """Write `content` as the next version of the (locked) `question`; False when unchanged."""
    new_hash = content.content_hash()
    if new_hash == question.content_hash:
        return False
    prompts_changed = (question.prompt_en, question.prompt_ru) != (content.prompt["en"], content.prompt["ru"])
    for name, value in content.model_fields().items():
        setattr(question, name, value)
    question.topic = Topic.objects.get(slug=content.topic)
    question.version += 1
    question.content_hash = new_hash
    if prompts_changed:
        question.embedding = _embedding_of(content)
    question.full_clean(exclude=["embedding", "search_vector", "search_text", "key"])
    question.save()
    _write_version(question, content, actor, note)
    search_index_refresh(Question.objects.filter(pk=question.pk))
    return True


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("topic").get(pk=question.pk)


@transaction.atomic
def question_update(*, actor: User | None, question: Question, content: QuestionContent, note: str = "") -> bool:
    """Store new content as the next version; returns False (and writes nothing)
    when the content is unchanged. Plans keep pointing at the version they used."""
    question = _locked(question)
    if question.status == QuestionStatus.RETIRED:
        raise ApplicationError(_("This question is retired; restore it before editing."), code="questionbank.retired")
    if content.status == QuestionStatus.RETIRED:
        raise ApplicationError(_("Retire a question with its own action."), code="questionbank.use_retire")
    return _store_version(actor=actor, question=question, content=content, note=note or _("Edited"))


@transaction.atomic
def question_retire(*, actor: User, question: Question, reason: str) -> Question:
    """Take a question out of use. Questions are never deleted: interviews may point at them."""
    question = _locked(question)
    if question.status == QuestionStatus.RETIRED:
        raise ApplicationError(_("This question is already retired."), code="questionbank.already_retired")
    if not reason.strip():
        raise ApplicationError(_("Give a reason for retiring the question."), code="questionbank.reason_required")
    content = QuestionContent.of(question)
    content.status = QuestionStatus.RETIRED
    _store_version(actor=actor, question=question, content=content, note=reason.strip())
    return question


@transaction.atomic
def question_restore(*, actor: User, question: Question) -> Question:
    """Bring a retired question back: active when complete in both languages, else draft."""
    question = _locked(question)
    if question.status != QuestionStatus.RETIRED:
        raise ApplicationError(_("Only a retired question can be restored."), code="questionbank.not_retired")
    content = QuestionContent.of(question)
    complete = bool(content.prompt["en"] and content.prompt["ru"]) and len(content.key_points) >= 3
    content.status = QuestionStatus.ACTIVE if complete else QuestionStatus.DRAFT
    _store_version(actor=actor, question=question, content=content, note=_("Restored"))
    return question
