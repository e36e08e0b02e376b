"""Rate limits per client address, the lockout after failed sign-ins, and a
candidate's link that cannot be found by guessing."""

from __future__ import annotations

import re
import secrets
import string
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from assessments.takehome.models import Submission
from assessments.takehome.services import assignment_issue
from hiring_platform.ratelimits import CANDIDATE_NAMESPACE, LIMITS
from tests.factories import PASSWORD, CandidateFactory

pytestmark = pytest.mark.django_db

# A masked CSRF token differs on every page; nothing else may differ between two refusals.
_CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def link(recruiter, rag_task) -> tuple[Any, str]:  # type: ignore[no-untyped-def]
    """A working take-home link: the assignment and its token."""
    return assignment_issue(
        actor=recruiter, task=rag_task, candidate=CandidateFactory(owner=recruiter), time_mode="window"
    )


def test_every_sign_in_reset_and_candidate_link_url_has_a_limit() -> None:
    candidate_urls = {
        f"{CANDIDATE_NAMESPACE}:{pattern.name}"
        for pattern in get_resolver().namespace_dict[CANDIDATE_NAMESPACE][1].url_patterns
        if isinstance(pattern, URLPattern)
    }

    missing = (
        candidate_urls | {"accounts:login", "admin:login", "accounts:password_reset", "accounts:password_reset_confirm"}
    ) - set(LIMITS)

    assert len(candidate_urls) == 5
    assert missing == set()


def test_sign_in_attempts_from_one_address_are_limited(recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    # given a limit of three attempts, used up with wrong passwords for different accounts
    settings.RATELIMIT_LOGIN = "3/h"
    client = Client()
    for username in ("a", "b", "c"):
        assert _sign_in(client, username, "wrong").status_code == 200

    # when the right password is sent from the same address
    refused = _sign_in(client, recruiter.username, PASSWORD)

    # then it is refused with a page that says why and when to come back
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Too many sign-in attempts from your address." in refused.content.decode()
    assert not _signed_in(client)
    # reading the page is not an attempt, and another address still signs in
    assert client.get(reverse("accounts:login")).status_code == 200
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert _sign_in(other, recruiter.username, PASSWORD).status_code == 302
    assert _signed_in(other)


def test_the_admin_sign_in_counts_against_the_same_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RATELIMIT_LOGIN = "2/h"
    client = Client()
    _sign_in(client, "a", "wrong")
    client.post(reverse("admin:login"), {"username": "b", "password": "wrong"})

    refused = client.post(reverse("admin:login"), {"username": "c", "password": "wrong"})

    assert refused.status_code == 429
    assert "Retry-After" in refused


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(settings) -> None:  # type: ignore[no-untyped-def]
    # given no proxy of ours in front (TRUSTED_PROXY_COUNT = 0)
    settings.RATELIMIT_LOGIN = "1/h"
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    _sign_in(client, "a", "wrong")

    # when the client claims another address
    refused = client.post(
        reverse("accounts:login"), {"username": "b", "password": "x"}, headers={"x-forwarded-for": "203.0.113.9"}
    )

    assert refused.status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RATELIMIT_LOGIN = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    first = {"x-forwarded-for": "203.0.113.9"}
    assert client.post(reverse("accounts:login"), {"username": "a", "password": "x"}, headers=first).status_code == 200

    again = client.post(reverse("accounts:login"), {"username": "a", "password": "x"}, headers=first)
    # the proxy appends the address it saw: a forged left-hand entry changes nothing
    forged = client.post(
        reverse("accounts:login"),
        {"username": "a", "password": "x"},
        headers={"x-forwarded-for": "198.51.100.1, 203.0.113.9"},
    )
    another = client.post(
        reverse("accounts:login"), {"username": "a", "password": "x"}, headers={"x-forwarded-for": "203.0.113.10"}
    )

    assert (again.status_code, forged.status_code, another.status_code) == (429, 429, 200)


def test_repeated_failed_sign_ins_lock_the_account_even_for_the_right_password(recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    # given three failed attempts for one account (the limit)
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    client = Client()
    answers = [_sign_in(client, recruiter.username, f"wrong-{n}").status_code for n in range(3)]

    # when the right password comes next, from another address
    other = Client(REMOTE_ADDR="10.0.0.3")
    locked = _sign_in(other, recruiter.username, PASSWORD)

    # then the account stays locked for the cool-off, and the lockout is recorded for admins
    assert answers == [200, 200, 429]
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert "Too many failed sign-in attempts for this account" in locked.content.decode()
    assert "Try again in 15 minutes." in locked.content.decode()
    assert not _signed_in(other)
    assert (
        sum(AccessAttempt.objects.filter(username=recruiter.username).values_list("failures_since_start", flat=True))
        == 4
    )
    assert AccessFailureLog.objects.filter(username=recruiter.username, locked_out=True).exists()


def test_a_lockout_is_per_account_and_ends_after_the_cool_off(recruiter, interviewer, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    client = Client()
    for _ in range(2):
        _sign_in(client, recruiter.username, "wrong")

    # another account signs in from the same address meanwhile
    assert _sign_in(Client(), interviewer.username, PASSWORD).status_code == 302

    # once the cool-off has passed (the attempt is moved back in time), the right password works
    AccessAttempt.objects.filter(username=recruiter.username).update(
        attempt_time=timezone.now() - timedelta(minutes=16)
    )
    later = Client()
    assert _sign_in(later, recruiter.username, PASSWORD).status_code == 302
    assert _signed_in(later)


def test_the_admin_sign_in_is_locked_too(admin_user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.post(reverse("admin:login"), {"username": admin_user.username, "password": "wrong"})

    locked = client.post(reverse("admin:login"), {"username": admin_user.username, "password": PASSWORD})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_are_limited_and_send_no_more_mail(recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RATELIMIT_PASSWORD_RESET = "2/h"
    client = Client()
    for _ in range(2):
        assert client.post(reverse("accounts:password_reset"), {"email": recruiter.email}).status_code == 302

    refused = client.post(reverse("accounts:password_reset"), {"email": recruiter.email})

    assert refused.status_code == 429
    assert "Too many password reset requests from your address." in refused.content.decode()
    assert len(mail.outbox) == 2


def test_guessed_candidate_links_all_look_the_same_then_are_refused(link, settings) -> None:  # type: ignore[no-untyped-def]
    # given a real link and an address that guesses: random tokens and near misses of the real one
    _, token = link
    settings.RATELIMIT_CANDIDATE_LINK_MISSES = "12/h"
    alphabet = string.ascii_letters + string.digits + "-_"
    near_misses = []
    for position in range(6):
        replacement = next(c for c in alphabet if c != token[position * 7])
        near_misses.append(token[: position * 7] + replacement + token[position * 7 + 1 :])
    guesses = [secrets.token_urlsafe(32) for _ in range(6)] + near_misses
    client = Client()

    # when each guess is tried on the link's page
    answers = [client.get(reverse("takehome-candidate:task", args=[guess])) for guess in guesses]

    # then every guess gets the same 404 page (but for the guess itself, in the language
    # switcher's return address), which says nothing of the real link
    assert [answer.status_code for answer in answers] == [404] * 12
    bodies = {
        _CSRF_VALUE.sub("", answer.content.decode()).replace(guess, "<guess>")
        for guess, answer in zip(guesses, answers, strict=True)
    }
    assert len(bodies) == 1
    body = bodies.pop()
    assert "This link does not work" in body
    assert token not in body
    # and past the limit every link is refused, the real one too, so a hit is not told from a miss
    after = [
        client.get(reverse("takehome-candidate:task", args=[secrets.token_urlsafe(32)])),
        client.get(reverse("takehome-candidate:task", args=[token])),
        client.get(reverse("takehome-candidate:status", args=[token])),
    ]
    assert [answer.status_code for answer in after] == [429, 429, 429]
    assert all(int(answer["Retry-After"]) > 0 for answer in after)
    # the candidate, from their own address, is not affected
    assert Client(REMOTE_ADDR="10.0.0.4").get(reverse("takehome-candidate:task", args=[token])).status_code == 200


def test_requests_under_a_candidate_link_are_limited_with_json_for_the_status(link, settings) -> None:  # type: ignore[no-untyped-def]
    _, token = link
    settings.RATELIMIT_CANDIDATE_LINK = "2/h"
    client = Client()
    assert client.get(reverse("takehome-candidate:task", args=[token])).status_code == 200
    assert client.get(reverse("takehome-candidate:status", args=[token])).status_code == 200

    page = client.get(reverse("takehome-candidate:task", args=[token]))
    status = client.get(reverse("takehome-candidate:status", args=[token]))

    assert page.status_code == 429
    assert "Too many requests for this page from your address." in page.content.decode()
    assert status.status_code == 429
    body = status.json()
    assert body["code"] == "rate_limited"
    assert body["message"].startswith("Too many requests for this page from your address. Try again in ")
    assert body["extra"]["retry_after"] == int(status["Retry-After"])


def test_uploads_through_a_candidate_link_are_limited_before_the_body_is_read(link, settings) -> None:  # type: ignore[no-untyped-def]
    assignment, token = link
    settings.RATELIMIT_CANDIDATE_UPLOAD = "1/h"
    client = Client()
    client.post(reverse("takehome-candidate:start", args=[token]))
    assert client.post(reverse("takehome-candidate:upload", args=[token])).status_code == 400  # no file

    refused = client.post(reverse("takehome-candidate:upload", args=[token]), {"archive": b"PK\x03\x04"})

    assert refused.status_code == 429
    assert "Too many uploads from your address." in refused.content.decode()
    assert not Submission.objects.filter(assignment=assignment).exists()


def test_with_the_cache_unreachable_limits_let_requests_through(link, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    # Given the rate limits' cache pointing at a Redis that does not answer (a restart, an outage)
    _, token = link
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"},
    }
    settings.RATELIMIT_USE_CACHE = "unreachable"
    client = Client()

    # When the candidate opens the task and someone signs in
    page = client.get(reverse("takehome-candidate:task", args=[token]))
    signed = _sign_in(client, recruiter.username, PASSWORD)

    # Then both work as usual: an outage of the counters is not an outage of the platform
    assert page.status_code == 200
    assert signed.status_code == 302
    assert _signed_in(client)
