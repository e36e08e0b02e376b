"""Every response carries the Content-Security-Policy (settings/csp.py), and no template
or script of ours holds what the policy would refuse: a new inline script or onclick=
fails here before it fails in a browser (tests/e2e/test_content_security_policy.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def _policy(response: HttpResponse) -> dict[str, str]:
    directives = (directive.strip().partition(" ") for directive in response["Content-Security-Policy"].split(";"))
    return {name: value for name, _, value in directives}


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]  # for the server-error test below (pytest.mark.urls)


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        (None, "/accounts/login/", 200),
        ("recruiter", "/", 200),
        ("recruiter", "/candidates/", 200),
        ("interviewer", "/takehome/", 403),
        (None, "/no-such-page/", 404),
        (None, "/t/not-a-link/", 404),
        (None, "/api/v1/candidates/", 401),
        (None, "/api/docs/", 200),
        (None, "/api/docs/?script", 200),
        (None, "/admin/login/", 200),
        ("admin_user", "/admin/", 200),
    ],
)
def test_every_kind_of_response_carries_the_policy(request, user, url, status) -> None:  # type: ignore[no-untyped-def]
    # given a visitor in some role
    client = Client()
    if user:
        client.force_login(request.getfixturevalue(user))

    # when they open a page, an error, the API, the API docs or the admin
    response = client.get(url)

    # then the answer carries the whole policy
    assert response.status_code == status
    assert _policy(response) == POLICY


@pytest.mark.urls(__name__)
def test_a_server_error_page_carries_the_policy() -> None:
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    assert b"Server error" in response.content
    assert _policy(response) == POLICY


def test_a_rate_limited_refusal_carries_the_policy(settings) -> None:  # type: ignore[no-untyped-def]
    # given a sign-in limit already used up from this address
    settings.RATELIMIT_LOGIN = "1/h"
    client = Client()
    client.post("/accounts/login/", {"username": "a", "password": "wrong"})

    # when the next attempt is refused before any view runs
    refused = client.post("/accounts/login/", {"username": "b", "password": "wrong"})

    # then the 429 page carries the policy too
    assert refused.status_code == 429
    assert _policy(refused) == POLICY


def test_the_api_docs_load_their_start_up_script_as_a_file() -> None:
    # given the Swagger UI page
    page = Client().get("/api/docs/").content.decode()

    # then every script of it is a file of ours, the start-up one served as JavaScript
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    assert all(re.search(r'src="/', tag) for tag in scripts), scripts
    assert '<script src="/api/docs/?script="></script>' in page
    script = Client().get("/api/docs/?script")
    assert script["Content-Type"] == "application/javascript"
    assert b"SwaggerUIBundle(" in script.content


def _our_templates() -> list[Path]:
    folders = {Path(folder) for folder in engines["django"].template_dirs}
    ours = [folder for folder in folders if folder.is_relative_to(ROOT) and ".venv" not in folder.parts]
    return sorted(file for folder in ours for file in folder.rglob("*.html"))


def test_no_template_holds_an_inline_script_or_handler() -> None:
    # given every template of the project
    templates = _our_templates()
    assert len(templates) > 40  # the project's own, not none by a wrong path

    # then each script element loads a file and no element carries an on...= handler or a javascript: URL
    problems = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            if "src=" not in tag and 'type="application/json"' not in tag:
                problems.append(f"{template.relative_to(ROOT)}: {tag}")
        for match in re.finditer(r"<[a-z][^>]*\son[a-z]+\s*=|javascript:", text, flags=re.IGNORECASE):
            problems.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert problems == []


def test_our_scripts_evaluate_no_strings() -> None:
    # given the project's own scripts
    scripts = sorted((ROOT / "hiring_platform" / "static" / "js").glob("*.js"))
    assert scripts

    # then none evaluates a string as code or sets a handler attribute (both refused by the policy)
    problems = [
        f"{script.name}: {match.group(0)}"
        for script in scripts
        for match in re.finditer(
            r"\beval\(|new Function\(|set(Timeout|Interval)\(\s*[\"']|setAttribute\(\s*[\"']on|javascript:",
            script.read_text(encoding="utf-8"),
        )
    ]
    assert problems == []
