"""The bank shipped in fixtures/ covers every seed question, bilingually, with rubrics."""

from __future__ import annotations

import pytest

from assessments.questionbank.models import Question, QuestionSource, QuestionStatus

pytestmark = pytest.mark.django_db

SEED_QUESTIONS = {
    "000_453178dde02a2971.txt": 13,
    "001_8ab4a10df3d5a8d0.txt": 8,
    "002_c96f61993d6caed8.txt": 140,
    "003_16d8ee7d6d48cca1.txt": 9,
    "004_08a6008f048eed5f.txt": 50,
}


def test_every_seed_question_is_covered_by_exactly_one_bank_entry() -> None:
    expected = {(document, ordinal) for document, count in SEED_QUESTIONS.items() for ordinal in range(1, count + 1)}

    stored = set(QuestionSource.objects.values_list("document", "ordinal"))

    assert stored == expected  # unique (document, ordinal) is also a database constraint


def test_every_entry_speaks_both_languages_and_has_a_level_topic_and_rubric() -> None:
    questions = list(Question.objects.select_related("topic"))

    assert len(questions) >= 180  # 220 seed questions, true duplicates merged
    incomplete = [
        question.key
        for question in questions
        if not (
            question.status == QuestionStatus.ACTIVE
            and question.prompt_en.strip()
            and question.prompt_ru.strip()
            and question.level in ("junior", "middle", "senior")
            and question.topic.slug
            and 3 <= len(question.key_points) <= 7
            and all(point["en"].strip() and point["ru"].strip() for point in question.key_points)
            and question.roles
            and 1 <= question.time_minutes <= 90
        )
    ]
    assert incomplete == []


def test_merged_entries_carry_all_their_sources() -> None:
    attention = Question.objects.get(key="transformer-attention-mechanism")

    assert set(attention.sources.values_list("document", "ordinal")) == {
        ("003_16d8ee7d6d48cca1.txt", 1),
        ("004_08a6008f048eed5f.txt", 2),
    }


def test_each_question_starts_with_one_version_holding_its_text() -> None:
    question = Question.objects.get(key="python-shallow-vs-deep-copy")

    version = question.versions.get()
    assert version.number == question.version == 1
    assert version.content["prompt"] == {"en": question.prompt_en, "ru": question.prompt_ru}
