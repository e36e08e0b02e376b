"""Writes of interview plans and interviews. A save validates the whole plan
(content.py), pins each question to its current version and writes a new
version only when the content changed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.candidates.models import Candidate, EventKind
from assessments.candidates.services import candidate_event_record, candidate_scores_changed
from assessments.questionbank.models import Question
from hiring_platform.errors import ApplicationError

from .content import PlanError, plan_content_validate, question_keys, total_minutes
from .models import Interview, Plan, PlanVersion


def _questions_for(content: Any) -> dict[str, Question]:
    keys: list[str] = []
    for stage in content.get("stages", []) if isinstance(content, dict) else []:
        for section in stage.get("sections", []) if isinstance(stage, dict) else []:
            for entry in section.get("questions", []) if isinstance(section, dict) else []:
                keys.append(str(entry.get("key") if isinstance(entry, dict) else entry))
    return {question.key: question for question in Question.objects.filter(key__in=keys)}


def plan_content_check(content: Any) -> dict[str, Any]:
    """The validated content; raises ApplicationError listing every problem."""
    try:
        return plan_content_validate(content, _questions_for(content))
    except PlanError as error:
        raise ApplicationError(
            _("The plan is not valid: %(problems)s") % {"problems": "; ".join(error.problems)},
            code="interviews.invalid_plan",
            extra={"problems": error.problems},
        ) from None


@transaction.atomic
def plan_save(*, actor: User | None, plan: Plan, content: Any) -> tuple[Plan, bool]:
    """A new version of the plan when its content changed; (plan, written)."""
    validated = plan_content_check(content)
    locked = Plan.objects.select_for_update(of=("self",)).select_related("current").get(pk=plan.pk)
    if locked.current is not None and locked.current.content == validated:
        return locked, False
    previous = set(question_keys(locked.current.content)) if locked.current else set()
    number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = PlanVersion.objects.create(
        plan=locked, number=number, content=validated, total_minutes=total_minutes(validated), created_by=actor
    )
    Plan.objects.filter(pk=locked.pk).update(current=version, updated_at=timezone.now())
    added = set(question_keys(validated)) - previous
    Question.objects.filter(key__in=added).update(plan_uses=F("plan_uses") + 1)
    locked.refresh_from_db()
    return locked, True


@transaction.atomic
def plan_create(*, actor: User | None, name: str, role: str, level: str, content: Any, template_key: str = "") -> Plan:
    name = " ".join(name.split())[:200]
    if not name:
        raise ApplicationError(_("Give the plan a name."), code="interviews.name_required", extra={"field": "name"})
    plan_content_check(content)  # before anything is written
    plan = Plan.objects.create(
        name=name, role=role, level=level, is_template=bool(template_key), template_key=template_key, created_by=actor
    )
    plan, _written = plan_save(actor=actor, plan=plan, content=content)
    return plan


def plan_copy(*, actor: User, source: Plan, name: str) -> Plan:
    """A new plan starting from another one (a template, usually)."""
    if source.current is None:
        raise ApplicationError(_("The plan has no content yet."), code="interviews.empty_plan")
    return plan_create(actor=actor, name=name, role=source.role, level=source.level, content=source.current.content)


@transaction.atomic
def interview_schedule(
    *,
    actor: User,
    candidate: Candidate,
    plan: Plan,
    stage_key: str,
    interviewers: list[User],
    language: str,
    scheduled_at: Any = None,
) -> Interview:
    """An interview of one stage of the plan's current version; the interviewers are
    assigned to the candidate (which lets them open the candidate and the kit)."""
    version = plan.current
    if version is None:
        raise ApplicationError(_("The plan has no content yet."), code="interviews.empty_plan")
    stage = next((s for s in version.content["stages"] if s["key"] == stage_key), None)
    if stage is None or stage["kind"] != "interview":
        raise ApplicationError(
            _("Choose an interview stage of the plan."),
            code="interviews.not_an_interview",
            extra={"field": "stage_key"},
        )
    interview = Interview.objects.create(
        candidate=candidate,
        plan_version=version,
        stage_key=stage_key,
        language=language,
        scheduled_at=scheduled_at,
        created_by=actor,
    )
    if not interviewers:
        raise ApplicationError(
            _("Choose at least one interviewer."), code="interviews.no_interviewer", extra={"field": "interviewers"}
        )
    interview.interviewers.set(interviewers)
    candidate.interviewers.add(*interviewers)
    keys = [q["key"] for section in stage["sections"] for q in section["questions"]]
    Question.objects.filter(key__in=keys).update(interview_uses=F("interview_uses") + 1)
    candidate_event_record(
        candidate=candidate,
        kind=EventKind.INTERVIEW_SCHEDULED,
        actor=actor,
        after={
            "interview": interview.pk,
            "summary": f"{stage['title_en']} ({version}), "
            + ", ".join(person.get_full_name() or person.username for person in interviewers),
        },
    )
    candidate_scores_changed(candidate_id=candidate.pk)
    return interview
