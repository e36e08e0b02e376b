"""A recruiter searches the bank in Russian and imports a document after a preview, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from assessments.questionbank.models import QuestionSource

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recruiter_searches_and_imports_with_a_preview(page: Page, live_server, recruiter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    call_command("load_question_bank", verbosity=0)  # transactional tests start from an empty database
    sign_in(page, live_server.url, recruiter)

    page.click("header .lang button[value=ru]")
    page.click("text=Банк вопросов")
    page.fill("#id_q", "механизмом внимания")
    page.press("#id_q", "Enter")
    expect(page.locator("#question-table")).to_contain_text("внимани")
    page.locator("#question-table a").first.click()
    expect(page.locator("#key-points li").first).not_to_be_empty()

    document = tmp_path / "новые-вопросы.txt"
    document.write_text("Вопрос 1: Как бы вы шардировали HNSW-индекс между машинами?\nРазбить векторы по разделам.\n")
    page.goto(f"{live_server.url}/questions/import/")
    page.set_input_files("#id_document", str(document))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#import-report")).to_contain_text("создан")
    assert not QuestionSource.objects.filter(document="новые-вопросы.txt").exists()

    page.click("#confirm-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("новые-вопросы.txt")
    assert QuestionSource.objects.filter(document="новые-вопросы.txt").count() == 1
