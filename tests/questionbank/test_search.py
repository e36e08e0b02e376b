"""Search over the bank: Russian and English in any grammatical form, misspelt words, filters, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.questionbank import services
from assessments.questionbank.content import QuestionContent
from assessments.questionbank.models import Question
from assessments.questionbank.selectors import question_search

pytestmark = pytest.mark.django_db


def keys(query: str, **filters: str) -> list[str]:
    return list(question_search(filters={"q": query, **filters}).values_list("key", flat=True)[:10])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("attention", "transformer-attention-mechanism"),
        ("attentions mechanisms", "transformer-attention-mechanism"),  # English plural forms
        ("механизм внимания", "transformer-attention-mechanism"),
        ("механизмом внимания", "transformer-attention-mechanism"),  # Russian case endings
        ("калибровка", "when-calibration-needed"),
        ("калибровки вероятностей", "calibrated-model-definition"),
        ("point-in-time join", "point-in-time-join"),
        ("дрейфа данных", "drift-monitoring-production-setup"),
    ],
)
def test_finds_questions_by_words_in_any_grammatical_form(query: str, expected: str) -> None:
    assert expected in keys(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("atention", "transformer-attention-mechanism"),
        ("retreival augmented", "rag-concept-and-benefits"),
        ("калибравка", "when-calibration-needed"),
        ("эмбединги", "embeddings-in-rag"),
        ("feture store", "feature-store-definition"),
    ],
)
def test_finds_questions_by_misspelt_words(query: str, expected: str) -> None:
    assert expected in keys(query)


def test_a_query_with_nothing_in_common_finds_nothing() -> None:
    assert keys("кулинария борщ") == []


def test_filters_combine_with_the_search() -> None:
    senior_drift = keys("drift", level="senior")
    drift_source = keys("", source="002_c96f61993d6caed8.txt")

    assert senior_drift
    assert all(Question.objects.get(key=key).level == "senior" for key in senior_drift)
    assert set(question_search(filters={"topic": "python"}).values_list("topic__slug", flat=True)) == {"python"}
    assert set(question_search(filters={"role": "ai-product-manager"}).values_list("key", flat=True)) <= set(
        Question.objects.filter(roles__contains=["ai-product-manager"]).values_list("key", flat=True)
    )
    assert drift_source
    assert "python-shallow-vs-deep-copy" not in drift_source
    tag = Question.objects.get(key="point-in-time-join").tags[0]
    assert "point-in-time-join" in question_search(filters={"tag": tag}).values_list("key", flat=True)


def test_retired_questions_are_hidden_unless_asked_for(recruiter) -> None:  # type: ignore[no-untyped-def]
    question = Question.objects.get(key="point-in-time-join")
    services.question_retire(actor=recruiter, question=question, reason="overexposed")

    assert "point-in-time-join" not in keys("point-in-time join")
    assert "point-in-time-join" in keys("point-in-time join", status="retired")


def test_an_edited_question_is_found_by_its_new_words(recruiter) -> None:  # type: ignore[no-untyped-def]
    question = Question.objects.get(key="python-shallow-vs-deep-copy")
    content = QuestionContent.of(question)
    content.prompt = {"en": content.prompt["en"] + " Mention copy.replace in Python 3.13.", "ru": content.prompt["ru"]}

    services.question_update(actor=recruiter, question=question, content=content)

    assert "python-shallow-vs-deep-copy" in keys("copy.replace")


@pytest.mark.parametrize("query", ["", "drift", "механизм внимания", "retreival"])
def test_the_search_endpoint_makes_a_constant_number_of_queries(recruiter_api, query: str) -> None:  # type: ignore[no-untyped-def]
    url = reverse("api:questionbank-api:list")
    recruiter_api.get(url)  # warm up: the user's roles are read once and cached on the user
    counts = []
    for page_size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = recruiter_api.get(url, {"q": query, "page_size": page_size})
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert counts[0] <= 3  # the count, the page, and the spelling correction when there is a query
