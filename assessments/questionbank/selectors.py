"""Reads of the question bank: search with filters, detail, history."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from .models import Question, QuestionStatus, QuestionVersion, Topic
from .search_index import search_words_correct

MAX_QUERY_LENGTH = 200


def _text_query(text: str) -> SearchQuery:
    # The same words stemmed as English and as Russian: "retrieval"/"retrieving", "калибровка"/"калибровки".
    return SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="russian", search_type="websearch"
    )


def question_search(*, filters: dict[str, Any] | None = None) -> QuerySet[Question]:
    """Questions matching `filters`: `q` (words in English or Russian, in any
    grammatical form, or misspelt), `topic` (slug), `level`, `role`, `tag`,
    `source` (document name), `status` (default: active and draft, not retired).

    With `q`, the best matches come first (full-text rank).
    """
    filters = filters or {}
    questions = Question.objects.select_related("topic").defer("embedding", "search_vector", "search_text")
    status = filters.get("status")
    questions = questions.filter(status=status) if status else questions.exclude(status=QuestionStatus.RETIRED)
    if filters.get("topic"):
        questions = questions.filter(topic__slug=filters["topic"])
    if filters.get("level"):
        questions = questions.filter(level=filters["level"])
    if filters.get("role"):
        questions = questions.filter(roles__contains=[filters["role"]])
    if filters.get("tag"):
        questions = questions.filter(tags__contains=[filters["tag"]])
    if filters.get("source"):
        questions = questions.filter(sources__document=filters["source"])
    text = " ".join(str(filters.get("q") or "").split())[:MAX_QUERY_LENGTH]
    if not text:
        return questions.order_by("topic__position", "level", "key")
    # Misspelt words are replaced by the nearest word of the bank ("retreival" -> "retrieval"),
    # and both spellings go to the full-text index (English and Russian stemming).
    words = re.findall(r"\w+", text.lower())
    corrections = search_words_correct(words)
    corrected = " ".join(corrections.get(word, word) for word in words)
    query = _text_query(text) if corrected == text.lower() else _text_query(text) | _text_query(corrected)
    return (
        questions.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "key")
    )


def question_detail(*, key: str) -> Question:
    return Question.objects.select_related("topic").prefetch_related("sources").get(key=key)


def question_versions(*, question: Question) -> QuerySet[QuestionVersion]:
    return question.versions.select_related("created_by").order_by("-number")


def topics_all() -> QuerySet[Topic]:
    return Topic.objects.order_by("position", "slug")
