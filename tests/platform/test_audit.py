"""The audit log: what is recorded (who, what, when, from where), that the
application can only append to it (model, admin and a database trigger), and
the page and API that hiring managers and admins read it through."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.interviews import scorecards
from assessments.interviews.decisions import candidate_decide
from assessments.interviews.models import Interview, Scorecard
from assessments.screening.models import Screening
from assessments.screening.services import screening_decide
from assessments.takehome.services import assignment_extend, assignment_issue, assignment_new_link, assignment_revoke
from hiring_platform.accounts.roles import Role
from hiring_platform.accounts.services import user_ensure
from hiring_platform.audit.models import AuditAction, AuditEvent, AuditLogIsAppendOnly
from hiring_platform.audit.origin import client_ip, current_origin
from hiring_platform.audit.services import audit_record
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user: User, **headers: str) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


def entries(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_submitting_and_reopening_a_scorecard_records_who_and_which_scorecard(evaluated, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate, _plan = evaluated
    scorecard = Scorecard.objects.filter(interview__candidate=candidate).order_by("id").first()
    assert scorecard is not None

    scorecards.scorecard_reopen(actor=recruiter, scorecard=scorecard, reason="Missing notes on monitoring")

    submitted = entries(AuditAction.SCORECARD_SUBMITTED)
    assert [(entry.actor_username, entry.detail["recommendation"]) for entry in submitted] == [
        ("ivan", "yes"),
        ("colleague", "yes"),
    ]
    (reopened,) = entries(AuditAction.SCORECARD_REOPENED)
    assert (reopened.actor_id, reopened.actor_username) == (recruiter.pk, "rita")
    assert (reopened.target_type, reopened.target_id, reopened.target_label) == (
        "interviews.scorecard",
        str(scorecard.pk),
        f"Scorecard #{scorecard.pk}",
    )
    assert reopened.detail == {"candidate": candidate.pk, "interviewer": "ivan"}
    assert (reopened.ip_address, reopened.origin) == (None, "system")  # no request: called from code


def test_hiring_and_screening_decisions_are_recorded_without_the_reasons(evaluated, hiring_manager, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate, _plan = evaluated
    screening = Screening.objects.get(candidate=candidate)

    screening_decide(actor=recruiter, screening=screening, decision="advance", reason=f"{candidate.full_name} fits")
    candidate_decide(
        actor=hiring_manager, candidate=candidate, decision="hire", reason=f"{candidate.full_name} is great"
    )

    (screening_entry,) = entries(AuditAction.SCREENING_DECISION)
    assert screening_entry.detail == {"candidate": candidate.pk, "decision": "advance", "before": ""}
    assert screening_entry.target_label == f"Screening #{screening.pk}"
    (hiring_entry,) = entries(AuditAction.HIRING_DECISION)
    assert (hiring_entry.actor_username, hiring_entry.target_label) == ("maria", f"Candidate #{candidate.pk}")
    assert hiring_entry.detail["decision"] == "hire"
    assert candidate.full_name not in str(hiring_entry.detail) + str(screening_entry.detail)


def test_issuing_extending_replacing_and_revoking_a_link_are_each_recorded(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    assignment, _token = assignment_issue(actor=recruiter, task=rag_task, candidate=candidate, time_mode="window")
    assignment_extend(actor=recruiter, assignment=assignment, hours=24)
    assignment_new_link(actor=recruiter, assignment=assignment)
    assignment_revoke(actor=recruiter, assignment=assignment)

    recorded = list(AuditEvent.objects.filter(target_type="takehome.assignment").order_by("id"))
    assert [entry.action for entry in recorded] == [
        AuditAction.TAKEHOME_LINK_ISSUED,
        AuditAction.TAKEHOME_LINK_EXTENDED,
        AuditAction.TAKEHOME_LINK_REPLACED,
        AuditAction.TAKEHOME_LINK_REVOKED,
    ]
    assert {entry.target_id for entry in recorded} == {str(assignment.pk)}
    assert recorded[1].detail["hours"] == 24
    assert all(entry.detail["candidate"] == candidate.pk for entry in recorded)


def test_a_failed_action_leaves_no_audit_entry(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    assignment, _token = assignment_issue(
        actor=recruiter, task=rag_task, candidate=CandidateFactory(owner=recruiter), time_mode="window"
    )
    assignment_revoke(actor=recruiter, assignment=assignment)

    with pytest.raises(Exception, match="already revoked"):
        assignment_revoke(actor=recruiter, assignment=assignment)

    assert len(entries(AuditAction.TAKEHOME_LINK_REVOKED)) == 1


def test_exports_are_recorded_with_the_client_address_and_the_path(evaluated, hiring_manager) -> None:  # type: ignore[no-untyped-def]
    candidate, _plan = evaluated
    interview = Interview.objects.get(candidate=candidate)
    client = signed_in(hiring_manager)

    csv = client.get(reverse("web-pipeline-csv"), REMOTE_ADDR="203.0.113.7")
    pdf = client.get(reverse("interviews:evaluation_pdf", args=[candidate.pk]))
    kit = client.get(reverse("interviews:kit_pdf", args=[interview.pk]))

    assert (csv.status_code, pdf.status_code, kit.status_code) == (200, 200, 200)
    pipeline, evaluation, kit_entry = entries(AuditAction.EXPORT)
    assert (pipeline.ip_address, pipeline.origin) == ("203.0.113.7", "GET /pipeline.csv")
    assert pipeline.detail == {"document": "pipeline", "format": "csv"}
    assert (evaluation.target_label, evaluation.detail["document"]) == (f"Candidate #{candidate.pk}", "evaluation")
    assert (kit_entry.target_type, kit_entry.detail["document"]) == ("interviews.interview", "interview_kit")
    assert {pipeline.actor_username, evaluation.actor_username, kit_entry.actor_username} == {"maria"}


def test_a_take_home_data_download_is_not_an_export(rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    _assignment, token = assignment_issue(
        actor=recruiter, task=rag_task, candidate=CandidateFactory(owner=recruiter), time_mode="window"
    )

    response = Client().get(reverse("takehome-candidate:data", args=[token]))

    assert response.status_code == 200
    assert entries(AuditAction.EXPORT) == []


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),  # no proxy trusted: the header is the client's to forge
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the forged left entry is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.2"),  # fewer entries than proxies: not trusted
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_x_forwarded_for_only_through_trusted_proxies(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_outside_a_request_the_origin_is_the_system() -> None:
    origin = current_origin()

    assert (origin.ip_address, origin.where) == (None, "system")


def test_granting_a_role_while_seeding_is_recorded_as_done_by_the_system() -> None:
    user = user_ensure(username="newcomer", email="n@example.com", password="x-long-password-1", role=Role.RECRUITER)
    user_ensure(username="newcomer", email="n@example.com", password="x-long-password-1", role=Role.RECRUITER)

    (granted,) = entries(AuditAction.ROLES_CHANGED)  # the second call changed nothing
    assert (granted.actor_id, granted.actor_username) == (None, "")
    assert (granted.target_id, granted.target_label) == (str(user.pk), "newcomer")
    assert granted.detail == {"before": [], "after": ["recruiter"]}


def _user_change_form(user: User, **changes: Any) -> dict[str, Any]:
    joined = timezone.localtime(user.date_joined)
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        **changes,
    }


def test_changing_a_users_groups_in_the_admin_records_the_roles_before_and_after(admin_user, interviewer) -> None:  # type: ignore[no-untyped-def]
    manager_group = Group.objects.get(name="hiring_manager")
    url = reverse("admin:auth_user_change", args=[interviewer.pk])

    response = signed_in(admin_user).post(url, _user_change_form(interviewer, groups=[manager_group.pk]))

    assert response.status_code == 302, response.content.decode()[:2000]
    (changed,) = entries(AuditAction.ROLES_CHANGED)
    assert (changed.actor_username, changed.target_label) == ("alex", "ivan")
    assert changed.detail == {"before": ["interviewer"], "after": ["hiring_manager"]}
    assert changed.ip_address == "127.0.0.1"


def test_saving_a_user_in_the_admin_without_changing_roles_records_nothing(admin_user, interviewer) -> None:  # type: ignore[no-untyped-def]
    group = Group.objects.get(name="interviewer")
    url = reverse("admin:auth_user_change", args=[interviewer.pk])

    response = signed_in(admin_user).post(url, _user_change_form(interviewer, groups=[group.pk], first_name="Ivan"))

    assert response.status_code == 302
    assert entries(AuditAction.ROLES_CHANGED) == []


def test_deleting_in_the_admin_records_each_object_deleted(admin_user) -> None:  # type: ignore[no-untyped-def]
    leaver = UserFactory(username="leaver")
    groups = [Group.objects.create(name=f"temporary-{number}") for number in (1, 2)]
    client = signed_in(admin_user)

    one = client.post(reverse("admin:auth_user_delete", args=[leaver.pk]), {"post": "yes"})
    many = client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [group.pk for group in groups], "post": "yes"},
    )

    assert (one.status_code, many.status_code) == (302, 302)
    assert not User.objects.filter(username="leaver").exists()
    deleted = entries(AuditAction.ADMIN_DELETED)
    assert sorted((entry.target_type, entry.target_label) for entry in deleted) == [
        ("auth.group", "temporary-1"),
        ("auth.group", "temporary-2"),
        ("auth.user", "leaver"),
    ]
    assert {entry.actor_username for entry in deleted} == {"alex"}


def test_deleting_the_actor_keeps_their_entries_and_name(recruiter) -> None:  # type: ignore[no-untyped-def]
    actor = UserFactory(username="temp-recruiter", role=Role.RECRUITER)
    audit_record(action=AuditAction.EXPORT, actor=actor, detail={"document": "pipeline"})

    actor.delete()

    (entry,) = entries(AuditAction.EXPORT)
    assert (entry.actor_username, entry.actor_id is not None) == ("temp-recruiter", True)


def test_the_application_cannot_change_or_delete_an_entry() -> None:
    entry = audit_record(action=AuditAction.EXPORT, actor=None, detail={"document": "pipeline"})
    entry.detail = {"document": "nothing"}

    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=entry.pk).update(detail={})
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=entry.pk).delete()

    assert AuditEvent.objects.get(pk=entry.pk).detail == {"document": "pipeline"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET actor_username = 'someone' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete_of_an_entry(statement: str) -> None:
    entry = audit_record(action=AuditAction.EXPORT, actor=None)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])

    assert AuditEvent.objects.filter(pk=entry.pk, actor_username="").exists()


def test_truncate_still_empties_the_table_so_test_databases_can_be_flushed() -> None:
    audit_record(action=AuditAction.EXPORT, actor=None)

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")

    assert AuditEvent.objects.count() == 0


def _four_entries(recruiter: User, hiring_manager: User) -> None:
    # One from last week (inserted with its date: the trigger forbids changing it later).
    AuditEvent.objects.create(
        action=AuditAction.SCORECARD_SUBMITTED,
        actor_username="rita",
        actor_id=recruiter.pk,
        created_at=timezone.now() - timedelta(days=8),
    )
    audit_record(action=AuditAction.EXPORT, actor=recruiter, detail={"document": "pipeline"})
    audit_record(action=AuditAction.HIRING_DECISION, actor=hiring_manager, detail={"decision": "hire"})
    audit_record(action=AuditAction.EXPORT, actor=hiring_manager, detail={"document": "evaluation"})


def test_the_audit_page_lists_newest_first_and_filters_by_action_actor_and_dates(recruiter, hiring_manager) -> None:  # type: ignore[no-untyped-def]
    _four_entries(recruiter, hiring_manager)
    client = signed_in(hiring_manager)
    today = timezone.localdate()

    everything = client.get(reverse("audit:list"))
    exports_by_maria = client.get(reverse("audit:list"), {"action": "export", "actor": "MARIA"})
    until_yesterday = client.get(reverse("audit:list"), {"date_to": (today - timedelta(days=1)).isoformat()})
    from_today = client.get(reverse("audit:list"), {"date_from": today.isoformat(), "date_to": today.isoformat()})
    wrong_range = client.get(reverse("audit:list"), {"date_from": today.isoformat(), "date_to": "2000-01-01"})

    assert everything.status_code == 200
    shown = [(event.actor_username, event.action) for event in everything.context["page"].object_list]
    assert shown == [
        ("maria", "export"),
        ("maria", "hiring_decision"),
        ("rita", "export"),
        ("rita", "scorecard_submitted"),
    ]
    assert [event.detail for event in exports_by_maria.context["page"].object_list] == [{"document": "evaluation"}]
    assert [event.action for event in until_yesterday.context["page"].object_list] == ["scorecard_submitted"]
    assert len(from_today.context["page"].object_list) == 3
    assert wrong_range.context["form"].errors == {"__all__": ["The start date is after the end date."]}
    assert "Data exported" in everything.content.decode()


def test_the_audit_page_speaks_russian(hiring_manager) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(hiring_manager, **{"accept-language": "ru"}).get(reverse("audit:list"))

    assert response.status_code == 200
    assert "Применить" in response.content.decode()  # the catalog's words; the log's own come with the next catalog


def test_the_audit_api_filters_and_paginates_like_the_other_lists(recruiter, hiring_manager) -> None:  # type: ignore[no-untyped-def]
    _four_entries(recruiter, hiring_manager)
    client = APIClient()
    client.force_authenticate(hiring_manager)

    page = client.get(reverse("api:audit-api:list"), {"page_size": 2})
    exports = client.get(reverse("api:audit-api:list"), {"action": "export", "date_to": timezone.localdate()})
    invalid = client.get(reverse("api:audit-api:list"), {"action": "nonsense"})

    assert page.status_code == 200
    assert page.json()["count"] == 4
    assert len(page.json()["results"]) == 2
    assert page.json()["next"] is not None
    assert [item["detail"] for item in exports.json()["results"]] == [
        {"document": "evaluation"},
        {"document": "pipeline"},
    ]
    assert set(exports.json()["results"][0]) >= {"actor_username", "action", "target_label", "ip_address", "origin"}
    assert invalid.status_code == 400
    assert invalid.json()["code"] == "invalid"


@pytest.mark.parametrize(("role", "status"), [("recruiter", 403), ("interviewer", 403), ("hiring_manager", 200)])
def test_only_hiring_managers_and_admins_read_the_audit_log(users, role: str, status: int) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(users[role])

    assert client.get(reverse("api:audit-api:list")).status_code == status
    assert signed_in(users[role]).get(reverse("audit:list")).status_code == status


def test_the_admin_shows_the_log_read_only(admin_user) -> None:  # type: ignore[no-untyped-def]
    entry = audit_record(action=AuditAction.EXPORT, actor=admin_user)
    client = signed_in(admin_user)

    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    change = client.post(reverse("admin:audit_auditevent_change", args=[entry.pk]), {"actor_username": "x"})
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[entry.pk]), {"post": "yes"})

    assert listing.status_code == 200
    assert (change.status_code, delete.status_code) == (403, 403)
    assert AuditEvent.objects.get(pk=entry.pk).actor_username == "alex"
