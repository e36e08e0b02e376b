"""Issuing a take-home and managing its secret link: the token is kept only as a
hash, the clock starts once, extra time and revocation follow their limits, and
every change leaves one event on the candidate's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.candidates.models import CandidateEvent, EventKind, Stage
from assessments.takehome import selectors, services
from assessments.takehome.models import Assignment
from hiring_platform.errors import ApplicationError, ConflictError
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def issue_window(task, candidate, actor, hours: int = 72) -> tuple[Assignment, str]:  # type: ignore[no-untyped-def]
    return services.assignment_issue(
        actor=actor, task=task, candidate=candidate, time_mode="window", window_hours=hours
    )


def issue_deadline(task, candidate, actor, due_in: timedelta = timedelta(days=2)) -> tuple[Assignment, str]:  # type: ignore[no-untyped-def]
    return services.assignment_issue(
        actor=actor, task=task, candidate=candidate, time_mode="deadline", due_at=timezone.now() + due_in
    )


def events(candidate) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    return [(event.kind, event.actor_id) for event in CandidateEvent.objects.filter(candidate=candidate)]


# Issuing


def test_issued_link_is_stored_only_as_its_hash_and_finds_the_assignment(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a candidate
    candidate = CandidateFactory()

    # when a window assignment is issued
    assignment, token = issue_window(rag_task, candidate, recruiter)

    # then only the token's sha256 is stored, nowhere the token itself
    assignment.refresh_from_db()
    assert len(token) >= 40
    assert assignment.token_hash == selectors.token_hash(token)
    assert assignment.token_hash != token
    assert not Assignment.objects.filter(token_hash=token).exists()
    assert all(token not in str(event.after) for event in CandidateEvent.objects.filter(candidate=candidate))
    # and the token finds the assignment, while a wrong or empty one finds nothing
    found = selectors.assignment_for_token(token)
    assert found is not None
    assert found.pk == assignment.pk
    assert selectors.assignment_for_token(token + "x") is None
    assert selectors.assignment_for_token(token[:-1]) is None
    assert selectors.assignment_for_token("") is None


def test_window_deadline_is_unset_until_started_then_runs_from_the_first_opening(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a 72-hour window assignment not yet opened
    assignment, _ = issue_window(rag_task, CandidateFactory(), recruiter, hours=72)
    assert assignment.opened_at is None
    assert assignment.deadline is None
    assert not assignment.is_open()

    # when the candidate opens it
    services.assignment_start(assignment=assignment)

    # then the deadline is the opening time plus the window
    assert assignment.opened_at is not None
    assert assignment.deadline == assignment.opened_at + timedelta(hours=72)
    assert assignment.is_open()


def test_starting_twice_keeps_the_first_opening(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an assignment started once, and a copy loaded before that start (a second tab)
    assignment, _ = issue_window(rag_task, CandidateFactory(), recruiter)
    stale = Assignment.objects.get(pk=assignment.pk)
    services.assignment_start(assignment=assignment)
    first_opening = timezone.now() - timedelta(hours=5)
    Assignment.objects.filter(pk=assignment.pk).update(opened_at=first_opening)

    # when the stale copy is started again
    started = services.assignment_start(assignment=stale)

    # then the first opening stands
    assert started.opened_at == first_opening
    assert Assignment.objects.get(pk=assignment.pk).opened_at == first_opening
    assert started.deadline == first_opening + timedelta(hours=72)


def test_window_link_must_be_opened_within_fourteen_days(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given the time around issuing
    before = timezone.now()

    # when a window assignment is issued
    assignment, _ = issue_window(rag_task, CandidateFactory(), recruiter)

    # then its link is valid for 14 days from issuing
    after = timezone.now()
    assert assignment.open_by is not None
    assert before + timedelta(days=14) <= assignment.open_by <= after + timedelta(days=14)
    assert assignment.link_expires_at == assignment.open_by


def test_fixed_deadline_in_the_past_is_refused_and_nothing_is_written(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a candidate
    candidate = CandidateFactory()

    # when a task is issued with a deadline a minute ago
    with pytest.raises(ApplicationError) as caught:
        issue_deadline(rag_task, candidate, recruiter, due_in=timedelta(minutes=-1))

    # then it is refused, and no assignment nor event exists
    assert caught.value.code == "takehome.invalid_time"
    assert caught.value.extra == {"field": "due_at"}
    assert not isinstance(caught.value, ConflictError)
    assert not Assignment.objects.filter(candidate=candidate).exists()
    assert events(candidate) == []


def test_fixed_deadline_in_the_future_is_the_deadline(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a deadline two days ahead
    due_at = timezone.now() + timedelta(days=2)

    # when the task is issued with it
    assignment, _ = services.assignment_issue(
        actor=recruiter, task=rag_task, candidate=CandidateFactory(), time_mode="deadline", due_at=due_at
    )

    # then uploads are open until that moment, with no opening needed
    assert assignment.deadline == due_at
    assert assignment.is_open()
    assert assignment.link_works()


def test_same_task_cannot_be_issued_twice_while_the_first_is_open(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a candidate with the task open
    candidate = CandidateFactory()
    first, _ = issue_window(rag_task, candidate, recruiter)

    # when it is issued again
    with pytest.raises(ConflictError) as caught:
        issue_window(rag_task, candidate, recruiter)

    # then it is refused, and the first assignment stays the only one, with one event
    assert caught.value.code == "takehome.already_open"
    assert list(Assignment.objects.filter(candidate=candidate)) == [first]
    assert events(candidate) == [(EventKind.TAKEHOME_ISSUED, recruiter.pk)]


def test_same_task_can_be_issued_again_after_revoking_the_first(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a candidate whose first assignment was revoked
    candidate = CandidateFactory()
    first, first_token = issue_window(rag_task, candidate, recruiter)
    services.assignment_revoke(actor=recruiter, assignment=first)

    # when the task is issued again
    second, second_token = issue_window(rag_task, candidate, recruiter)

    # then a second assignment with its own link exists
    assert second.pk != first.pk
    assert second_token != first_token
    assert Assignment.objects.filter(candidate=candidate).count() == 2
    found = selectors.assignment_for_token(second_token)
    assert found is not None
    assert found.pk == second.pk


@pytest.mark.parametrize("stage", [Stage.REJECTED, Stage.WITHDRAWN, Stage.HIRED])
def test_closed_candidate_cannot_be_issued_a_task(rag_task, recruiter, stage) -> None:  # type: ignore[no-untyped-def]
    # given a candidate whose process is closed
    candidate = CandidateFactory(stage=stage)

    # when a task is issued to them
    with pytest.raises(ApplicationError) as caught:
        issue_window(rag_task, candidate, recruiter)

    # then it is refused, and nothing is written
    assert caught.value.code == "takehome.candidate_closed"
    assert not Assignment.objects.filter(candidate=candidate).exists()
    assert events(candidate) == []


# Extra time


def test_extend_moves_the_deadline_by_exactly_the_hours(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an open assignment with a fixed deadline
    assignment, _ = issue_deadline(rag_task, CandidateFactory(), recruiter)
    before = assignment.deadline
    assert before is not None

    # when 5 hours are added
    extended = services.assignment_extend(actor=recruiter, assignment=assignment, hours=5, reason="illness")

    # then the deadline moved by 5 hours, and the stored row agrees
    assert extended.deadline == before + timedelta(hours=5)
    assert Assignment.objects.get(pk=assignment.pk).extra_hours == 5


@pytest.mark.parametrize("time_mode", ["deadline", "window"])
def test_extend_reopens_an_expired_assignment(rag_task, recruiter, time_mode) -> None:  # type: ignore[no-untyped-def]
    # given an assignment whose deadline passed an hour ago
    candidate = CandidateFactory()
    if time_mode == "deadline":
        assignment, _ = issue_deadline(rag_task, candidate, recruiter)
        Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - timedelta(hours=1))
    else:
        assignment, _ = issue_window(rag_task, candidate, recruiter, hours=72)
        Assignment.objects.filter(pk=assignment.pk).update(opened_at=timezone.now() - timedelta(hours=73))
    assignment.refresh_from_db()
    expired_at = assignment.deadline
    assert expired_at is not None
    assert not assignment.is_open()
    assert not assignment.link_works()

    # when 3 hours are added
    extended = services.assignment_extend(actor=recruiter, assignment=assignment, hours=3)

    # then uploads and the link work again until 3 hours past the old deadline
    assert extended.deadline == expired_at + timedelta(hours=3)
    assert extended.is_open()
    assert extended.link_works()


def test_extend_refuses_more_than_thirty_days_in_total(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an assignment already extended by 29 days
    candidate = CandidateFactory()
    assignment, _ = issue_deadline(rag_task, candidate, recruiter)
    services.assignment_extend(actor=recruiter, assignment=assignment, hours=24 * 29)
    deadline = assignment.deadline

    # when one more day and an hour are asked for
    with pytest.raises(ApplicationError) as caught:
        services.assignment_extend(actor=recruiter, assignment=assignment, hours=25)

    # then it is refused, the extra time and deadline are unchanged, and no event is added
    assert caught.value.code == "takehome.invalid_time"
    assert caught.value.extra == {"field": "hours"}
    assert Assignment.objects.get(pk=assignment.pk).extra_hours == 24 * 29
    assert assignment.deadline == deadline
    assert [kind for kind, _ in events(candidate)].count(EventKind.TAKEHOME_CHANGED) == 1


def test_extend_up_to_exactly_thirty_days_is_allowed(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an assignment already extended by 29 days
    assignment, _ = issue_deadline(rag_task, CandidateFactory(), recruiter)
    services.assignment_extend(actor=recruiter, assignment=assignment, hours=24 * 29)

    # when the last day is added
    extended = services.assignment_extend(actor=recruiter, assignment=assignment, hours=24)

    # then the total is exactly 30 days
    assert extended.extra_hours == 24 * 30


@pytest.mark.parametrize("hours", [0, -1, 24 * 30 + 1])
def test_extend_refuses_hours_outside_the_range(rag_task, recruiter, hours) -> None:  # type: ignore[no-untyped-def]
    # given an open assignment
    candidate = CandidateFactory()
    assignment, _ = issue_deadline(rag_task, candidate, recruiter)

    # when an out-of-range extension is asked for
    with pytest.raises(ApplicationError) as caught:
        services.assignment_extend(actor=recruiter, assignment=assignment, hours=hours)

    # then it is refused and nothing changes
    assert caught.value.code == "takehome.invalid_time"
    assert Assignment.objects.get(pk=assignment.pk).extra_hours == 0
    assert events(candidate) == [(EventKind.TAKEHOME_ISSUED, recruiter.pk)]


def test_extend_refuses_a_revoked_assignment(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a revoked assignment
    candidate = CandidateFactory()
    assignment, _ = issue_deadline(rag_task, candidate, recruiter)
    services.assignment_revoke(actor=recruiter, assignment=assignment)

    # when extra time is asked for
    with pytest.raises(ConflictError) as caught:
        services.assignment_extend(actor=recruiter, assignment=assignment, hours=5)

    # then it is refused, and the assignment stays revoked and unextended
    assert caught.value.code == "takehome.revoked"
    stored = Assignment.objects.get(pk=assignment.pk)
    assert stored.extra_hours == 0
    assert not stored.link_works()
    assert len(events(candidate)) == 2  # issued, revoked


# Revoking and replacing the link


def test_revoked_link_stops_working(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an open, started assignment
    assignment, token = issue_window(rag_task, CandidateFactory(), recruiter)
    services.assignment_start(assignment=assignment)
    assert assignment.link_works()

    # when it is revoked
    revoked = services.assignment_revoke(actor=recruiter, assignment=assignment, reason="wrong candidate")

    # then neither the link nor uploads work
    assert revoked.revoked_at is not None
    assert not revoked.link_works()
    assert not revoked.is_open()
    found = selectors.assignment_for_token(token)
    assert found is not None
    assert not found.link_works()


def test_revoking_twice_is_a_conflict_and_leaves_one_event(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a revoked assignment
    candidate = CandidateFactory()
    assignment, _ = issue_window(rag_task, candidate, recruiter)
    services.assignment_revoke(actor=recruiter, assignment=assignment)
    revoked_at = Assignment.objects.get(pk=assignment.pk).revoked_at

    # when it is revoked again
    with pytest.raises(ConflictError) as caught:
        services.assignment_revoke(actor=recruiter, assignment=assignment)

    # then it is refused, the first revocation time stands and no second event is written
    assert caught.value.code == "takehome.revoked"
    assert Assignment.objects.get(pk=assignment.pk).revoked_at == revoked_at
    assert [kind for kind, _ in events(candidate)].count(EventKind.TAKEHOME_CHANGED) == 1


def test_new_link_replaces_the_old_one(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given an assignment and its link
    assignment, old_token = issue_window(rag_task, CandidateFactory(), recruiter)

    # when a new link is made
    new_token = services.assignment_new_link(actor=recruiter, assignment=assignment)

    # then the old token finds nothing and the new one finds the same assignment
    assert new_token != old_token
    assert selectors.assignment_for_token(old_token) is None
    found = selectors.assignment_for_token(new_token)
    assert found is not None
    assert found.pk == assignment.pk
    assert found.token_hash == selectors.token_hash(new_token)


def test_new_link_is_refused_for_a_revoked_assignment(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a revoked assignment
    assignment, old_token = issue_window(rag_task, CandidateFactory(), recruiter)
    services.assignment_revoke(actor=recruiter, assignment=assignment)

    # when a new link is asked for
    with pytest.raises(ConflictError) as caught:
        services.assignment_new_link(actor=recruiter, assignment=assignment)

    # then it is refused and the stored hash is unchanged
    assert caught.value.code == "takehome.revoked"
    assert Assignment.objects.get(pk=assignment.pk).token_hash == selectors.token_hash(old_token)


# The timeline


def test_issue_leaves_one_issued_event_with_the_actor(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a candidate with an empty timeline
    candidate = CandidateFactory()
    assert events(candidate) == []

    # when a task is issued
    assignment, _ = issue_window(rag_task, candidate, recruiter, hours=48)

    # then exactly one "issued" event by the recruiter names the task and assignment
    assert events(candidate) == [(EventKind.TAKEHOME_ISSUED, recruiter.pk)]
    event = CandidateEvent.objects.get(candidate=candidate)
    assert event.after["task"] == rag_task.title
    assert event.after["assignment"] == assignment.pk
    assert event.after["summary"] == "48 h window"


@pytest.mark.parametrize(
    ("operation", "summary"),
    [
        (
            lambda actor, assignment: services.assignment_extend(actor=actor, assignment=assignment, hours=4),
            "4 h extra time",
        ),
        (lambda actor, assignment: services.assignment_revoke(actor=actor, assignment=assignment), "link revoked"),
        (
            lambda actor, assignment: services.assignment_new_link(actor=actor, assignment=assignment),
            "new link; the old one no longer works",
        ),
    ],
    ids=["extend", "revoke", "new_link"],
)
def test_each_link_change_leaves_exactly_one_changed_event_with_the_actor(  # type: ignore[no-untyped-def]
    rag_task, recruiter, hiring_manager, operation, summary
) -> None:
    # given an assignment issued by the recruiter
    candidate = CandidateFactory()
    assignment, _ = issue_window(rag_task, candidate, recruiter)

    # when the hiring manager changes it
    operation(hiring_manager, assignment)

    # then one "changed" event by the hiring manager follows the "issued" one
    assert sorted(events(candidate)) == sorted(
        [(EventKind.TAKEHOME_ISSUED, recruiter.pk), (EventKind.TAKEHOME_CHANGED, hiring_manager.pk)]
    )
    changed = CandidateEvent.objects.get(candidate=candidate, kind=EventKind.TAKEHOME_CHANGED)
    assert changed.after["assignment"] == assignment.pk
    assert changed.after["summary"] == summary


# A window never opened


def test_unopened_window_link_works_until_open_by_and_not_after(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    # given a window assignment never opened
    assignment, token = issue_window(rag_task, CandidateFactory(), recruiter)
    open_by = assignment.open_by
    assert open_by is not None

    # then the link works up to open_by, not at or after it, and uploads are never open
    assert assignment.link_works(now=open_by - timedelta(seconds=1))
    assert not assignment.link_works(now=open_by)
    assert not assignment.link_works(now=open_by + timedelta(days=1))
    assert not assignment.is_open(now=open_by - timedelta(seconds=1))

    # when open_by passes
    Assignment.objects.filter(pk=assignment.pk).update(open_by=timezone.now() - timedelta(minutes=1))

    # then the link found by its token no longer works
    found = selectors.assignment_for_token(token)
    assert found is not None
    assert not found.link_works()
    assert found.deadline is None
