"""Versions, retirement and the database's own guard on bank questions."""

from __future__ import annotations

import copy

import pytest
from django.db import IntegrityError

from assessments.questionbank import services
from assessments.questionbank.content import QuestionContent
from assessments.questionbank.models import Question, QuestionStatus
from hiring_platform.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def question() -> Question:
    return Question.objects.select_related("topic").get(key="python-shallow-vs-deep-copy")


def test_editing_writes_a_new_version_and_keeps_the_old_text(recruiter, question: Question) -> None:  # type: ignore[no-untyped-def]
    old_prompt = question.prompt_en
    content = QuestionContent.of(question)
    content.prompt = {**content.prompt, "en": "Rewritten: shallow or deep copy?"}

    changed = services.question_update(actor=recruiter, question=question, content=content, note="clearer")

    question.refresh_from_db()
    assert changed is True
    assert question.version == 2
    assert question.prompt_en == "Rewritten: shallow or deep copy?"
    first, second = question.versions.order_by("number")
    assert first.content["prompt"]["en"] == old_prompt
    assert (second.content["prompt"]["en"], second.created_by, second.note) == (
        question.prompt_en,
        recruiter,
        "clearer",
    )


def test_saving_the_same_content_writes_no_version(recruiter, question: Question) -> None:  # type: ignore[no-untyped-def]
    changed = services.question_update(actor=recruiter, question=question, content=QuestionContent.of(question))

    assert changed is False
    assert question.versions.count() == 1


def test_retiring_needs_a_reason_and_blocks_edits_until_restored(recruiter, question: Question) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError) as no_reason:
        services.question_retire(actor=recruiter, question=question, reason=" ")
    services.question_retire(actor=recruiter, question=question, reason="overexposed in interviews")
    with pytest.raises(ApplicationError) as edit_retired:
        services.question_update(actor=recruiter, question=question, content=QuestionContent.of(question))
    services.question_restore(actor=recruiter, question=question)

    question.refresh_from_db()
    assert no_reason.value.code == "questionbank.reason_required"
    assert edit_retired.value.code == "questionbank.retired"
    assert question.status == QuestionStatus.ACTIVE
    assert list(question.versions.order_by("number").values_list("content__status", flat=True)) == [
        "active",
        "retired",
        "active",
    ]


def test_questions_are_never_hard_deleted_while_versions_point_at_them(question: Question) -> None:
    with pytest.raises(IntegrityError):
        question.delete()


def test_the_database_refuses_an_active_question_without_both_languages(question: Question) -> None:
    with pytest.raises(IntegrityError):
        Question.objects.filter(pk=question.pk).update(prompt_ru="")


def test_content_snapshots_do_not_share_mutable_lists(question: Question) -> None:
    content = QuestionContent.of(question)
    snapshot = copy.deepcopy(content.snapshot())
    content.key_points.append({"en": "x", "ru": "x"})

    assert snapshot["key_points"] == question.key_points
