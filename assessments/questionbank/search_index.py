"""The search columns of a question: a full-text vector with English and
Russian stemming (weights: prompt A, rubric B, key and tags C) and the raw
text whose words feed the spelling correction (`SearchTerm`)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import F, Func, JSONField, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat

from .models import Question


def _list_texts(field: str, language: str) -> Func:
    """The `language` texts of a bilingual JSON list, as one string."""
    return Func(F(field), Value(f"$[*].{language}"), function="jsonb_path_query_array", output_field=JSONField())


# Kept small on purpose: ranking reads the whole vector of every matching row,
# so answers (long) stay out; prompts (A), rubric key points (B), key and tags (C).
SEARCH_VECTOR = (
    SearchVector("prompt_en", config="english", weight="A")
    + SearchVector("prompt_ru", config="russian", weight="A")
    + SearchVector(Cast(_list_texts("key_points", "en"), TextField()), config="english", weight="B")
    + SearchVector(Cast(_list_texts("key_points", "ru"), TextField()), config="russian", weight="B")
    + SearchVector("key", Cast("tags", TextField()), config="simple", weight="C")
)
SEARCH_TEXT = Concat(
    "prompt_en",
    Value(" "),
    "prompt_ru",
    Value(" "),
    "key",
    Value(" "),
    Cast("tags", TextField()),
    output_field=TextField(),
)


# Words of 3 to 64 letters or digits, lowercased; shorter ones carry no trigram signal.
_TERMS_SQL = """
    INSERT INTO questionbank_searchterm (word)
    SELECT DISTINCT word
    FROM questionbank_question, regexp_split_to_table(lower(search_text), '[^[:alnum:]]+') AS word
    WHERE questionbank_question.id = ANY(%s) AND length(word) BETWEEN 3 AND 64
    ON CONFLICT (word) DO NOTHING
"""


def search_index_refresh(questions: QuerySet[Question]) -> int:
    """Recompute the search columns of `questions` in one UPDATE, and add their words to the search terms."""
    ids = list(questions.values_list("pk", flat=True))
    updated = Question.objects.filter(pk__in=ids).update(search_vector=SEARCH_VECTOR, search_text=SEARCH_TEXT)
    with connection.cursor() as cursor:
        cursor.execute(_TERMS_SQL, [ids])
    return updated


_CORRECTION_SQL = """
    SELECT typed.word, (
        SELECT term.word FROM questionbank_searchterm AS term
        WHERE term.word %% typed.word
        ORDER BY similarity(term.word, typed.word) DESC, term.word
        LIMIT 1
    )
    FROM unnest(%s::text[]) AS typed(word)
"""


def search_words_correct(words: list[str]) -> dict[str, str]:
    """The nearest known word for each of `words` (itself when known); one query."""
    candidates = [word for word in dict.fromkeys(words) if 3 <= len(word) <= 64]
    if not candidates:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_CORRECTION_SQL, [candidates])
        return {typed: nearest for typed, nearest in cursor.fetchall() if nearest}
