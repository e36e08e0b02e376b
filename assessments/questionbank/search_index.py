"""The search columns of a question: a full-text vector with English and
Russian stemming (weights: prompt A, rubric and answer B, tags C) and the raw
text used for trigram matching of misspelt words."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat

from .models import Question

SEARCH_VECTOR = (
    SearchVector("prompt_en", config="english", weight="A")
    + SearchVector("prompt_ru", config="russian", weight="A")
    + SearchVector("answer_en", config="english", weight="B")
    + SearchVector("answer_ru", config="russian", weight="B")
    + SearchVector(Cast("key_points", TextField()), config="english", weight="B")
    + SearchVector(Cast("key_points", TextField()), config="russian", weight="B")
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


def search_index_refresh(questions: QuerySet[Question]) -> int:
    """Recompute the search columns of `questions` in one UPDATE."""
    return questions.update(search_vector=SEARCH_VECTOR, search_text=SEARCH_TEXT)
