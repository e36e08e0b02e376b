"""The take-home in a real browser, with the real worker and sandbox behind it:
the recruiter issues it, the candidate opens the link, downloads the data,
uploads the keyword-retrieval reference and watches it finish; the recruiter
reads the results."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from assessments.takehome.models import Assignment, GradingRun
from tests.factories import CandidateFactory
from tests.takehome.conftest import REFERENCES, zip_folder

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_candidate_submits_and_recruiter_reads_the_results(  # type: ignore[no-untyped-def]
    browser: Browser,
    page: Page,
    live_server,
    celery_worker,
    rag_task,
    recruiter,
    tmp_path: Path,
) -> None:
    candidate = CandidateFactory(full_name="Олег Смирнов", owner=recruiter)

    # The recruiter issues the task from the candidate's page.
    sign_in(page, live_server.url, recruiter)
    page.goto(f"{live_server.url}/candidates/{candidate.pk}/")
    page.click("#issue-takehome")
    page.select_option("#id_time_mode", "window")
    page.fill("#id_window_hours", "48")
    page.click("button:has-text('Issue')")
    link = page.locator("#new-link-value").input_value()
    assert "/t/" in link
    page.reload()
    expect(page.locator("#new-link")).to_have_count(0)  # shown once

    # The candidate: no account, only the link.
    candidate_page = browser.new_context(locale="en-US").new_page()
    candidate_page.set_default_timeout(15_000)
    candidate_page.goto(link)
    expect(candidate_page.locator("#download-data")).to_have_count(0)  # nothing before the clock starts
    candidate_page.click("#start-task")
    expect(candidate_page.locator("#deadline")).to_contain_text("left")
    assert Assignment.objects.get().opened_at is not None

    with candidate_page.expect_download() as download_info:
        candidate_page.click("#download-data")
    data_zip = tmp_path / "data.zip"
    download_info.value.save_as(data_zip)
    with zipfile.ZipFile(data_zip) as archive:
        names = set(archive.namelist())
    assert {"kb.jsonl", "public_questions.jsonl", "instructions.en.md", "instructions.ru.md"} <= names
    assert not any("hidden" in name for name in names)

    archive_path = tmp_path / "keyword.zip"
    archive_path.write_bytes(zip_folder(REFERENCES / "keyword"))
    candidate_page.set_input_files("#id_archive", str(archive_path))
    candidate_page.click("#upload-form button[type=submit]")
    expect(candidate_page.locator("#submission-1")).to_be_visible()
    # The page follows the grading live and reloads when it is finished.
    expect(candidate_page.locator("#submission-1 .public-outcome")).to_contain_text("Graded", timeout=180_000)
    expect(candidate_page.locator("#submission-1 .public-correct")).to_contain_text("/ 10")
    expect(candidate_page.locator("#submission-1 .progress-label")).to_have_text("Finished", timeout=180_000)
    expect(candidate_page.locator("#uploads-left")).to_contain_text("4 / 5")
    hidden = GradingRun.objects.get(purpose="hidden")
    assert hidden.auto_score is not None
    body = candidate_page.locator("body").inner_text()
    assert str(hidden.auto_score) not in body  # hidden results never reach the candidate
    assert "Auto-score" not in body

    # The recruiter reads the results.
    page.goto(f"{live_server.url}/takehome/assignments/{Assignment.objects.get().pk}/")
    expect(page.locator("#auto-score")).to_contain_text(str(hidden.auto_score))
    expect(page.locator("#components")).to_contain_text("Correct answers")
    page.click("#auto-score a")
    expect(page.locator("#answers tr")).to_have_count(101)  # a header and 100 hidden questions
    expect(page.locator("#answers")).to_contain_text("injection")
    page.go_back()
    page.click("#submissions h3 a")
    expect(page.locator("#report .untrusted")).to_contain_text("BM25")
    page.click("#files >> text=app.py")
    expect(page.locator("#code")).to_contain_text("def ")
