"""The simulated people of the load test, run headless through locust's library API
in a process of its own (locust patches the standard library for gevent on import,
which must not happen inside pytest). Started by bench_load.py:

    python tests/bench/load_users.py --host URL --plan PLAN.json --archives DIR --out STATS.json
        --recruiters N --interviewers N --seconds S --submit-at S

Recruiters browse the dashboard, the candidate list, candidate pages and evaluations;
interviewers fill scoring forms as the browser does (open the form, autosave with
PUT, submit); take-home candidates poll their status every 2 s, and at --submit-at
all of them upload their solution at the same moment. Each person signs in once.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import time
from pathlib import Path
from typing import Any

import gevent
from gevent.event import Event
from locust import HttpUser, between, constant, task
from locust.env import Environment
from locust.log import setup_logging

POLL_SECONDS = 2.0  # as the candidate page's script polls (static/js/takehome.js)
SUBMIT = Event()
PLAN: dict[str, Any] = {}
ARCHIVES: list[Path] = []
UPLOADS: list[dict[str, Any]] = []


def expect(user: HttpUser, method: str, url: str, name: str, status: int = 200, **kwargs: Any) -> Any:
    """A request that counts as failed unless it answers `status` (a redirect to the
    login page is a failure here, not a success)."""
    with user.client.request(method, url, name=name, allow_redirects=False, catch_response=True, **kwargs) as answer:
        if answer.status_code == 0:
            answer.failure(f"no answer: {answer.error!r}")
        elif answer.status_code != status:
            answer.failure(f"HTTP {answer.status_code}, expected {status}")
        return answer


def sign_in(user: HttpUser, username: str) -> None:
    # One connection per request. Kept-alive connections race with gunicorn's 2 s keep-alive
    # when a request leaves ~2 s after the previous one (the status poll's pace): the server
    # closes the idle socket as the request goes out, and the client sees a reset. A browser
    # retries such a request unseen; requests does not, so the bench would count phantom errors.
    user.client.headers["Connection"] = "close"
    expect(user, "GET", "/accounts/login/", "/accounts/login/ (form)")
    form = {"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": user.client.cookies["csrftoken"]}
    expect(user, "POST", "/accounts/login/", "/accounts/login/ (sign in)", status=302, data=form)


class Recruiter(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        sign_in(self, PLAN["recruiters"].pop())

    @task(2)
    def dashboard(self) -> None:
        expect(self, "GET", "/", "/ (dashboard)")

    @task(2)
    def candidate_list(self) -> None:
        expect(self, "GET", "/candidates/", "/candidates/")

    @task(3)
    def candidate_page(self) -> None:
        expect(self, "GET", f"/candidates/{random.choice(PLAN['candidates'])}/", "/candidates/[id]/")  # noqa: S311

    @task(2)
    def evaluation(self) -> None:
        pk = random.choice(PLAN["candidates"])  # noqa: S311
        expect(self, "GET", f"/plans/evaluation/{pk}/", "/plans/evaluation/[id]/")


class Interviewer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.username, self.forms = PLAN["interviewers"].popitem()
        sign_in(self, self.username)

    @task
    def fill_a_form(self) -> None:
        if not self.forms:
            gevent.sleep(5)  # every interview of this person is scored
            return
        item = self.forms.pop(0)
        page = expect(
            self, "GET", f"/plans/interviews/{item['interview']}/scorecard/", "/plans/interviews/[id]/scorecard/"
        )
        draft_url = re.search(r'data-draft-url="([^"]+)"', page.text or "")
        submit_url = re.search(r'data-submit-url="([^"]+)"', page.text or "")
        if draft_url is None or submit_url is None:
            return  # counted as failed by `expect` already
        headers = {"X-CSRFToken": self.client.cookies["csrftoken"]}
        form = item["form"]
        keys = list(form["answers"])
        for share in (1 / 3, 2 / 3, 1):  # the form fills up; the page autosaves as it goes
            answers = {key: form["answers"][key] for key in keys[: math.ceil(len(keys) * share)]}
            body = {"answers": answers, "competencies": {}, "recommendation": "", "justification": ""}
            expect(self, "PUT", draft_url[1], "/api/v1/scorecards/[id]/draft/", json=body, headers=headers)
            gevent.sleep(random.uniform(0.5, 1.5))  # noqa: S311 - typing between autosaves
        expect(self, "POST", submit_url[1], "/api/v1/scorecards/[id]/submit/", json=form, headers=headers)


class TakeHomeCandidate(HttpUser):
    wait_time = constant(0)  # the task paces itself: it must wake the moment uploads start

    def on_start(self) -> None:
        self.link = PLAN["takehome_links"].pop()
        self.archive = ARCHIVES[len(PLAN["takehome_links"]) % len(ARCHIVES)]
        self.uploaded = False
        self.client.headers["Connection"] = "close"  # as in sign_in
        expect(self, "GET", f"/t/{self.link}/", "/t/[link]/ (task page)")

    @task
    def follow_the_task(self) -> None:
        if not self.uploaded and SUBMIT.wait(timeout=POLL_SECONDS):
            self.upload()
        elif self.uploaded:
            gevent.sleep(POLL_SECONDS)
        expect(self, "GET", f"/t/{self.link}/status/", "/t/[link]/status/ (poll)")

    def upload(self) -> None:
        self.uploaded = True
        started = time.time()
        answer = expect(
            self, "POST", f"/t/{self.link}/upload/", "/t/[link]/upload/", status=302,
            data={"csrfmiddlewaretoken": self.client.cookies["csrftoken"]},
            files={"archive": (self.archive.name, self.archive.read_bytes(), "application/zip")},
        )  # fmt: skip
        UPLOADS.append({"started": started, "finished": time.time(), "status": answer.status_code})


def entry_figures(entry: Any, seconds: float) -> dict[str, Any]:
    return {
        "method": entry.method,
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.num_requests / seconds,
        "p50": entry.get_response_time_percentile(0.5),
        "p95": entry.get_response_time_percentile(0.95),
        "p99": entry.get_response_time_percentile(0.99),
        "max": entry.max_response_time,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("--host", "--plan", "--archives", "--out"):
        parser.add_argument(name, required=True)
    for name in ("--recruiters", "--interviewers", "--seconds", "--submit-at"):
        parser.add_argument(name, type=int, required=True)
    args = parser.parse_args()
    setup_logging("WARNING")
    PLAN.update(json.loads(Path(args.plan).read_text(encoding="utf-8")))
    ARCHIVES.extend(sorted(Path(args.archives).glob("*.zip")))
    Recruiter.fixed_count = args.recruiters
    Interviewer.fixed_count = args.interviewers
    TakeHomeCandidate.fixed_count = len(PLAN["takehome_links"])
    users = args.recruiters + args.interviewers + TakeHomeCandidate.fixed_count

    # stop_timeout: at the end each person finishes the task in hand, so no request is cut off half-way.
    environment = Environment(user_classes=[Recruiter, Interviewer, TakeHomeCandidate], host=args.host, stop_timeout=20)
    runner = environment.create_local_runner()
    began = time.time()
    runner.start(users, spawn_rate=5)  # people arrive over 10 s, not in the same instant
    gevent.spawn_later(args.submit_at, SUBMIT.set)
    gevent.spawn_later(args.seconds, runner.quit)
    runner.greenlet.join()
    seconds = time.time() - began

    stats = environment.stats
    figures = {
        "users": users,
        "seconds": seconds,
        "endpoints": [entry_figures(entry, seconds) for entry in sorted(stats.entries.values(), key=lambda e: e.name)],
        "total": entry_figures(stats.total, seconds),
        "errors": [
            {"method": error.method, "name": error.name, "error": str(error.error), "count": error.occurrences}
            for error in stats.errors.values()
        ],
        "uploads": UPLOADS,
    }
    Path(args.out).write_text(json.dumps(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
