"""Question bank through the API and the recruiter pages, import preview included."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments.questionbank.models import Question, QuestionSource, QuestionStatus
from tests.candidates.files import upload

pytestmark = pytest.mark.django_db


def new_question(**changes: Any) -> dict[str, Any]:
    data = {
        "key": "vector-index-recall-tradeoff",
        "topic": "vector-databases",
        "level": "middle",
        "roles": ["ml-llm-engineer"],
        "time_minutes": 7,
        "tags": ["ann", "recall"],
        "prompt": {
            "en": "What does an approximate vector index trade away?",
            "ru": "Чем жертвует приближённый векторный индекс?",
        },
        "key_points": [
            {"en": "Recall for speed", "ru": "Полноту ради скорости"},
            {"en": "Tunable parameters (ef, nprobe)", "ru": "Настраиваемые параметры (ef, nprobe)"},
            {"en": "Measures recall@k against exact search", "ru": "Меряет recall@k против точного поиска"},
        ],
    }
    return {**data, **changes}


def signed_in(user, language: str = "en") -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def test_api_creates_a_question_and_reports_invalid_content_in_the_error_shape(recruiter_api) -> None:  # type: ignore[no-untyped-def]
    url = reverse("api:questionbank-api:create")

    bad = recruiter_api.post(url, new_question(key="bad", key_points=[{"en": "one", "ru": "один"}]), format="json")
    good = recruiter_api.post(url, new_question(), format="json")
    again = recruiter_api.post(url, new_question(), format="json")

    assert bad.status_code == 400
    assert "3 to 7 key points" in str(bad.data["extra"]["fields"])
    assert good.status_code == 201
    assert good.data["version"] == 1
    assert (again.status_code, again.data["code"]) == (400, "questionbank.key_taken")


def test_api_update_makes_a_new_version_and_versions_lists_them(recruiter_api) -> None:  # type: ignore[no-untyped-def]
    recruiter_api.post(reverse("api:questionbank-api:create"), new_question(), format="json")
    key = "vector-index-recall-tradeoff"

    response = recruiter_api.post(
        reverse("api:questionbank-api:update", args=[key]), new_question(time_minutes=9), format="json"
    )
    versions = recruiter_api.get(reverse("api:questionbank-api:versions", args=[key]))

    assert (response.status_code, response.data["version"], response.data["time_minutes"]) == (200, 2, 9)
    assert [version["number"] for version in versions.data] == [2, 1]
    assert versions.data[1]["content"]["time_minutes"] == 7


def test_api_retire_and_restore(recruiter_api) -> None:  # type: ignore[no-untyped-def]
    key = "point-in-time-join"

    no_reason = recruiter_api.post(reverse("api:questionbank-api:retire", args=[key]), {}, format="json")
    retired = recruiter_api.post(
        reverse("api:questionbank-api:retire", args=[key]), {"reason": "leaked"}, format="json"
    )
    restored = recruiter_api.post(reverse("api:questionbank-api:restore", args=[key]))

    assert no_reason.status_code == 400
    assert retired.data["status"] == "retired"
    assert restored.data["status"] == "active"


def test_api_import_previews_then_applies(recruiter_api) -> None:  # type: ignore[no-untyped-def]
    url = reverse("api:questionbank-api:import")
    document = "Q: How would you shard an HNSW index across machines?\nA: By partitioning vectors.\n"

    preview = recruiter_api.post(url, {"document": upload("notes.txt", document.encode())}, format="multipart")
    sources_after_preview = QuestionSource.objects.filter(document="notes.txt").count()
    applied = recruiter_api.post(
        url, {"document": upload("notes.txt", document.encode()), "apply": "true"}, format="multipart"
    )
    broken = recruiter_api.post(url, {"document": upload("notes.txt", b"A: no question\n")}, format="multipart")

    assert (preview.status_code, preview.data["applied"], preview.data["counts"]["created"]) == (200, False, 1)
    assert sources_after_preview == 0
    assert applied.data["applied"] is True
    assert QuestionSource.objects.get(document="notes.txt").question.status == QuestionStatus.DRAFT
    assert (broken.status_code, broken.data["code"], broken.data["extra"]["line"]) == (
        400,
        "questionbank.import_format",
        1,
    )


def test_interviewers_read_the_bank_but_cannot_change_it(interviewer) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(interviewer)

    listing = client.get(reverse("questionbank:list"), {"q": "attention"})
    edit = client.get(reverse("questionbank:edit", args=["transformer-attention-mechanism"]))

    assert listing.status_code == 200
    assert "transformer-attention-mechanism" in listing.content.decode()
    assert reverse("questionbank:create") not in listing.content.decode()
    assert edit.status_code == 403


def test_detail_page_shows_rubric_sources_and_history_in_the_users_language(recruiter) -> None:  # type: ignore[no-untyped-def]
    question = Question.objects.get(key="transformer-attention-mechanism")

    english = signed_in(recruiter).get(reverse("questionbank:detail", args=[question.key])).content.decode()
    russian = signed_in(recruiter, "ru").get(reverse("questionbank:detail", args=[question.key])).content.decode()

    assert question.key_points[0]["en"] in english
    assert question.key_points[0]["ru"] in russian
    assert "003_16d8ee7d6d48cca1.txt #1" in english
    assert "004_08a6008f048eed5f.txt #2" in english
    assert "Version 1" in english
    assert "Версия 1" in russian


def test_the_form_creates_a_question_and_explains_bad_input(recruiter) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(recruiter)
    form = {
        "key": "vector-index-recall-tradeoff",
        "topic": "vector-databases",
        "level": "middle",
        "roles": ["ml-llm-engineer"],
        "time_minutes": "7",
        "tags": "ann, recall",
        "prompt_en": "What does an approximate vector index trade away?",
        "prompt_ru": "Чем жертвует приближённый векторный индекс?",
        "key_points_en": "Recall for speed\nTunable parameters\nMeasures recall@k",
        "key_points_ru": "Полноту ради скорости\nНастраиваемые параметры",
    }

    bad = client.post(reverse("questionbank:create"), form)
    good = client.post(
        reverse("questionbank:create"), {**form, "key_points_ru": form["key_points_ru"] + "\nМеряет recall@k"}
    )

    assert bad.status_code == 400
    assert "3 lines in English but 2 in Russian" in bad.content.decode()
    assert good.status_code == 302
    assert Question.objects.get(key="vector-index-recall-tradeoff").tags == ["ann", "recall"]


def test_editing_on_the_page_creates_a_version(recruiter) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(recruiter)
    page = client.get(reverse("questionbank:edit", args=["python-shallow-vs-deep-copy"]))
    form = {field.name: field.value() for field in page.context["form"] if field.value() is not None}
    form["topic"] = "python"
    form["time_minutes"] = "12"

    response = client.post(reverse("questionbank:edit", args=["python-shallow-vs-deep-copy"]), form)

    question = Question.objects.get(key="python-shallow-vs-deep-copy")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (question.version, question.time_minutes) == (2, 12)
    assert question.sources.count() == 1


def test_web_import_shows_a_preview_and_imports_on_confirmation(recruiter) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(recruiter)
    document = "Вопрос 1: Как бы вы шардировали HNSW-индекс между машинами?\nРазбить векторы по разделам.\n"

    preview = client.post(reverse("questionbank:import"), {"document": upload("заметки.txt", document.encode())})
    token = preview.context["token"]
    assert not QuestionSource.objects.filter(document="заметки.txt").exists()
    done = client.post(reverse("questionbank:import_confirm"), {"token": token})
    replay = client.post(reverse("questionbank:import_confirm"), {"token": token})

    assert preview.status_code == 200
    assert "created" in preview.content.decode()
    assert done.status_code == 200
    assert QuestionSource.objects.filter(document="заметки.txt").count() == 1
    assert replay.status_code == 302  # the preview was used up


def test_web_import_shows_the_line_of_a_malformed_document(recruiter) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(recruiter, "ru").post(
        reverse("questionbank:import"), {"document": upload("bad.yaml", b"- key: a\n\tlevel: x\n")}
    )

    assert response.status_code == 400
    assert "строка 2" in response.content.decode()
