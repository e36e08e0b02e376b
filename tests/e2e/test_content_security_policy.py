"""The Content-Security-Policy in Chromium: candidates' markup runs nowhere, even where
escaping would be missing, and every page of every role works under the policy with
nothing refused (settings/csp.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route, expect

from assessments.interviews import services as interview_services
from assessments.interviews.models import Interview
from assessments.takehome.models import GradingRun, Submission
from assessments.takehome.selectors import evaluation_questions
from tests.factories import CandidateFactory
from tests.takehome.conftest import open_assignment

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a candidate might put in an answer, a log line, REPORT.md or a file name.
PAYLOAD = "<img src=x onerror=\"window.__xss='img'\"><script>window.__xss='script'</script>"

# Listens from the first byte of every document (an init script runs before the page's own).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.effectiveDirective + " " + event.blockedURI);
});
"""

# Markup that runs wherever no policy stops it: an inline handler (the image fails to
# load, /x is a 404), a script element created through the DOM (insertAdjacentHTML alone
# never runs a <script>, with or without a policy), and eval.
INJECT = """
async () => {
  const ran = [];
  window.__ran = ran;
  await new Promise((resolve) => {
    const markup = '<img id="injected" src="x" onerror="window.__ran.push(\\'onerror\\')">';
    document.body.insertAdjacentHTML("beforeend", markup);
    document.getElementById("injected").addEventListener("error", () => setTimeout(resolve, 50));
  });
  const script = document.createElement("script");
  script.textContent = "window.__ran.push('inline script')";
  document.body.appendChild(script);
  try { eval("window.__ran.push('eval')"); } catch (error) { ran.push("refused: " + error.name); }
  // Violation events are dispatched as tasks of their own: wait until all three arrived.
  for (let i = 0; i < 40 && window.__cspViolations.length < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {ran: ran, violations: window.__cspViolations.map((v) => v.split(" ")[0]).sort()};
}
"""


class Watched:
    """A browser context that records, on every page it opens, violations of the
    policy, console messages about it, and uncaught script errors."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.console: list[str] = []
        self.errors: list[str] = []
        context.add_init_script(RECORD_VIOLATIONS)
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")

    def visit(self, url: str) -> Page:
        response = self.page.goto(url)
        assert response is not None
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        return self.page

    def assert_clean(self, where: str) -> None:
        assert self.violations() == [], where
        assert self.console == [], where
        assert self.errors == [], where


@pytest.fixture
def watched(browser: Browser) -> Iterator[Any]:
    contexts: list[BrowserContext] = []

    def open_watched() -> Watched:
        contexts.append(browser.new_context(locale="en-US"))
        return Watched(contexts[-1])

    yield open_watched
    for context in contexts:
        context.close()


def _seed_hostile_takehome(rag_task: Any) -> tuple[Submission, GradingRun]:
    """The evaluated candidate's upload and its hidden run, carrying the payload wherever
    a candidate writes: the archive's name, a file name, REPORT.md, an answer, the logs."""
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(
        archive_name=f"{PAYLOAD}.zip", report=f"# Report\n\n{PAYLOAD}", files=[{"path": f"{PAYLOAD}.py", "size": 10}]
    )
    question = evaluation_questions(rag_task.dataset, hidden=True)[0]
    run = GradingRun.objects.get(purpose="hidden")
    GradingRun.objects.filter(pk=run.pk).update(
        logs=f"started\n{PAYLOAD}\n",
        questions=[{"id": question["id"], "answer": PAYLOAD, "sources": [], "status": "ok", "latency_ms": 5}],
    )
    return submission, run


def test_candidate_markup_is_shown_as_text_and_the_policy_refuses_injected_script(  # type: ignore[no-untyped-def]
    browser: Browser, watched, live_server, evaluated, rag_task, recruiter
) -> None:
    # given a take-home whose answer, logs, report and file names carry script
    submission, run = _seed_hostile_takehome(rag_task)
    reader = watched()
    sign_in(reader.page, live_server.url, recruiter)

    # when the recruiter reads the run, the upload and the assignment
    for path, where in (
        (f"/takehome/runs/{run.pk}/", "#answers"),
        (f"/takehome/runs/{run.pk}/", "#logs"),
        (f"/takehome/submissions/{submission.pk}/", "#report"),
        (f"/takehome/submissions/{submission.pk}/", "#files"),
        (f"/takehome/assignments/{submission.assignment_id}/", "#submissions"),
    ):
        page = reader.visit(live_server.url + path)

        # then the payload is text the reader sees, no element, and nothing ran or was refused
        expect(page.locator(where)).to_contain_text("<img src=x onerror=")
        expect(page.locator(where)).to_contain_text("<script>window.__xss='script'</script>")
        expect(page.locator("img[src=x], main script:not([src])")).to_have_count(0)
        assert page.evaluate("typeof window.__xss") == "undefined"
        reader.assert_clean(path)

    # when markup gets into the run's page past the escaping (injected into the live page)
    page = reader.visit(f"{live_server.url}/takehome/runs/{run.pk}/")
    result = page.evaluate(INJECT)

    # then the policy refuses all three and says so in an event each, and the inline two on the console
    assert result == {"ran": ["refused: EvalError"], "violations": ["script-src", "script-src-attr", "script-src-elem"]}
    assert len(reader.console) == 2

    # and the same page with the header taken off runs all three: it is the policy that stops them
    bare = browser.new_context(locale="en-US")
    try:

        def without_policy(route: Route) -> None:
            response = route.fetch()
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"}
            route.fulfill(response=response, headers=headers)

        bare.add_init_script(RECORD_VIOLATIONS)
        bare_page = bare.new_page()
        sign_in(bare_page, live_server.url, recruiter)
        bare_page.route(f"{live_server.url}/takehome/runs/**", without_policy)
        bare_page.goto(f"{live_server.url}/takehome/runs/{run.pk}/")
        assert bare_page.evaluate(INJECT) == {"ran": ["onerror", "inline script", "eval"], "violations": []}
    finally:
        bare.close()


def test_every_page_of_every_role_works_under_the_policy(  # type: ignore[no-untyped-def]
    watched, live_server, settings, evaluated, rag_task, recruiter, interviewer, hiring_manager, admin_user
) -> None:
    # given an evaluated candidate, an interview still to score and a take-home link just issued
    candidate, plan = evaluated
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    to_score = interview_services.interview_schedule(
        actor=recruiter, candidate=CandidateFactory(full_name="Ilya Orlov"), plan=plan, stage_key=stage["key"],
        interviewers=[interviewer], language="en",
    )  # fmt: skip
    kit_interview = Interview.objects.exclude(pk=to_score.pk).get()
    assignment, token = open_assignment(rag_task, CandidateFactory(full_name="Олег Смирнов"), recruiter)
    settings.TAKEHOME_ARCHIVE_MAX_BYTES = 1_000  # the live server runs in this process
    url = live_server.url

    # The recruiter.
    rita = watched()
    sign_in(rita.page, url, recruiter)
    for path in (
        "/",
        "/candidates/",
        f"/candidates/{candidate.pk}/",
        "/questions/",
        "/plans/",
        f"/plans/{plan.pk}/",
        "/takehome/",
        f"/takehome/tasks/{rag_task.pk}/",
        f"/plans/evaluation/{candidate.pk}/",
        "/screening/checklists/",
    ):
        rita.visit(url + path)
        rita.assert_clean(path)
    # The plan builder draws the plan with its script and moves a question by keyboard.
    page = rita.visit(f"{url}/plans/{plan.pk}/edit/")
    first = page.locator("#stages li.plan-question").first
    key = first.get_attribute("data-key")
    first.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#stages li.plan-question").nth(1)).to_have_attribute("data-key", key or "")
    rita.assert_clean("plan builder")
    # The kit's Print button (its handler moved out of onclick=) opens the print dialogue.
    page = rita.visit(f"{url}/plans/interviews/{kit_interview.pk}/kit/")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#print-kit")
    assert page.evaluate("window.__printed") is True
    rita.assert_clean("kit")
    # A new candidate link (shown once) is selected by a click, ready to copy.
    page = rita.visit(f"{url}/takehome/assignments/{Submission.objects.get().assignment_id}/")
    page.click("#new-link-button")
    page.click("#new-link-value")
    link = page.locator("#new-link-value").input_value()
    assert "/t/" in link
    assert page.evaluate("window.getSelection().toString()") == link
    rita.assert_clean("assignment")

    # The interviewer: the scoring form saves by itself.
    ivan = watched()
    sign_in(ivan.page, url, interviewer)
    page = ivan.visit(f"{url}/plans/interviews/{to_score.pk}/scorecard/")
    page.locator(".sc-question input[data-kind=rating][value='3']").first.check()
    expect(page.locator("#save-state")).to_have_text("Saved")
    ivan.visit(f"{url}/candidates/{to_score.candidate_id}/")
    ivan.assert_clean("scoring form")

    # The hiring manager: the dashboard's charts are drawn (inline style geometry is allowed).
    maria = watched()
    sign_in(maria.page, url, hiring_manager)
    page = maria.visit(f"{url}/")
    row = page.locator("#chart-calibration tr[data-interviewer]").first
    track, dot = row.locator(".track").bounding_box(), row.locator(".dot").bounding_box()
    assert track is not None
    assert dot is not None
    assert dot["x"] > track["x"] + track["width"] / 3  # a mean of 3 or more on the 1-4 axis, not left: 0
    maria.assert_clean("dashboard")

    # The candidate, by the link: the archive's size is checked in the page before uploading.
    guest = watched()
    page = guest.visit(f"{url}/t/{token}/")
    page.set_input_files(
        "#id_archive", files=[{"name": "a.zip", "mimeType": "application/zip", "buffer": b"0" * 2_000}]
    )
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#upload-client-error")).to_be_visible()
    assert assignment.submissions.count() == 0
    guest.assert_clean("candidate page")

    # The admin: the API docs are drawn by Swagger UI, the Django admin's scripts run.
    alex = watched()
    sign_in(alex.page, url, admin_user)
    page = alex.visit(f"{url}/api/docs/")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    alex.assert_clean("API docs")
    alex.visit(f"{url}/admin/")
    alex.assert_clean("admin index")
    meta = get_user_model()._meta
    page = alex.visit(f"{url}/admin/{meta.app_label}/{meta.model_name}/{recruiter.pk}/change/")
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()  # added by the admin's DateTimeShortcuts.js
    alex.assert_clean("admin change form")
