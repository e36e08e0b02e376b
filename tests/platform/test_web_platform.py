"""Cross-cutting behaviour: request ids and logs, password reset, languages, API docs."""

from __future__ import annotations

import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id_that_the_log_line_shows(client, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="hiring_platform.request"):
        response = client.get("/healthz", headers={"x-request-id": "abc-123"})
        generated = client.get("/healthz")["X-Request-ID"]

    assert response["X-Request-ID"] == "abc-123"
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    lines = [record for record in caplog.records if record.name == "hiring_platform.request"]
    assert [record.request_id for record in lines] == ["abc-123", generated]
    assert "GET /healthz 200" in lines[0].getMessage()


def test_a_forged_request_id_is_replaced(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz", headers={"x-request-id": "bad\nid injected"})

    assert response["X-Request-ID"] != "bad\nid injected"


def test_password_reset_sends_a_working_link(client, recruiter) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:password_reset"), {"email": recruiter.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    assert "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-new-long-pass-42", "new_password2": "a-new-long-pass-42"}
    )
    assert done.status_code == 302
    # Through the sign-in page: Client.login() calls authenticate() without the request Axes needs.
    signed_in = Client().post(
        reverse("accounts:login"), {"username": recruiter.username, "password": "a-new-long-pass-42"}
    )
    assert signed_in.status_code == 302


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_login_with_a_wrong_password_shows_an_error(client, recruiter) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:login"), {"username": recruiter.username, "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_pages_speak_russian_when_chosen(recruiter) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(recruiter)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})

    body = client.get(reverse("candidates:list")).content.decode()

    assert '<html lang="ru">' in body
    assert "Кандидаты" in body
    assert "Candidates" not in body.split("<main>")[1]


def test_navigation_follows_the_role(recruiter, interviewer, admin_user) -> None:  # type: ignore[no-untyped-def]
    def nav(user) -> str:  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user)
        return client.get("/").content.decode().split("</nav>")[0]

    assert "My candidates" in nav(interviewer)
    assert "Administration" not in nav(recruiter)
    assert "Administration" in nav(admin_user)


def test_openapi_schema_documents_every_api_operation(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "candidates_list",
        "candidates_create",
        "candidates_detail",
        "candidates_update",
        "candidates_change_stage",
        "candidates_upload_resume",
        "candidates_timeline",
    } <= operations
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
