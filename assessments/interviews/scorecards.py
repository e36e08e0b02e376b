"""Writes and reads of scorecards: the interviewer's form (drafts saved as typed,
a submit that checks completeness and locks), a recruiter's reopening, and the
rule that keeps interviewers blind to colleagues' scorecards until they have
submitted their own (so nobody anchors on another's opinion)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.candidates.models import Candidate, EventKind
from assessments.candidates.services import candidate_event_record, candidate_scores_changed
from hiring_platform.accounts.roles import Role, user_roles
from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record
from hiring_platform.errors import ApplicationError, ConflictError

from .competencies import SOFT_SKILLS
from .models import Interview, Recommendation, Scorecard, ScorecardState

JUSTIFICATION_MIN_CHARS = 20
NOTES_MAX_CHARS = 5000


def scorecard_questions(interview: Interview) -> list[dict[str, Any]]:
    """The interview stage's questions with their rubric sizes, from the kit."""
    from .selectors import interview_kit

    return [question for section in interview_kit(interview)["sections"] for question in section["questions"]]


def scorecard_competencies(interview: Interview) -> list[str]:
    stages = interview.plan_version.content["stages"]
    stage = next(s for s in stages if s["key"] == interview.stage_key)
    technical = list(dict.fromkeys(c for section in stage["sections"] for c in section["competencies"]))
    soft: list[str] = next((s.get("competencies", list(SOFT_SKILLS)) for s in stages if s["kind"] == "soft_skills"), [])
    return technical + [skill for skill in soft if skill not in technical]


def _fail(message: str, field: str = "") -> ApplicationError:
    return ApplicationError(message, code="interviews.invalid_scorecard", extra={"field": field} if field else {})


def _rating(value: Any, where: str) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
        raise _fail(_("%(where)s: a rating is 1, 2, 3 or 4.") % {"where": where})
    return value


def _clean(interview: Interview, data: dict[str, Any]) -> dict[str, Any]:
    """The form's data in its stored shape; raises on anything malformed."""
    questions = {q["key"]: q for q in scorecard_questions(interview)}
    answers: dict[str, Any] = {}
    for key, answer in (data.get("answers") or {}).items():
        if key not in questions or not isinstance(answer, dict):
            raise _fail(_("Unknown question %(key)s.") % {"key": key})
        points, mistakes = len(questions[key]["key_points"]), len(questions[key]["common_mistakes"])
        checked = [int(i) for i in answer.get("key_points", []) if isinstance(i, int) and 0 <= i < points]
        missed = [int(i) for i in answer.get("mistakes", []) if isinstance(i, int) and 0 <= i < mistakes]
        answers[key] = {
            "key_points": sorted(set(checked)),
            "mistakes": sorted(set(missed)),
            "rating": _rating(answer.get("rating"), key),
            "not_asked": bool(answer.get("not_asked")),
            "notes": str(answer.get("notes", ""))[:NOTES_MAX_CHARS],
        }
    allowed = set(scorecard_competencies(interview))
    competencies: dict[str, Any] = {}
    for key, item in (data.get("competencies") or {}).items():
        if key not in allowed or not isinstance(item, dict):
            raise _fail(_("Unknown competency %(key)s.") % {"key": key})
        competencies[key] = {
            "rating": _rating(item.get("rating"), key),
            "notes": str(item.get("notes", ""))[:NOTES_MAX_CHARS],
        }
    recommendation = str(data.get("recommendation") or "")
    if recommendation and recommendation not in Recommendation.values:
        raise _fail(_("Choose strong no, no, yes or strong yes."), "recommendation")
    return {
        "answers": answers,
        "competencies": competencies,
        "recommendation": recommendation,
        "justification": str(data.get("justification", ""))[:NOTES_MAX_CHARS],
    }


def scorecard_open(*, actor: User, interview: Interview) -> Scorecard:
    """The actor's own scorecard of the interview (a new draft the first time)."""
    if not interview.interviewers.filter(pk=actor.pk).exists():
        raise ApplicationError(_("You are not an interviewer of this interview."), code="interviews.not_interviewer")
    scorecard, _created = Scorecard.objects.get_or_create(interview=interview, interviewer=actor)
    return scorecard


def _locked_draft(actor: User, scorecard: Scorecard) -> Scorecard:
    locked = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if locked.interviewer_id != actor.pk:
        raise ApplicationError(_("Only its interviewer fills a scorecard."), code="interviews.not_your_scorecard")
    if locked.state != ScorecardState.DRAFT:
        raise ConflictError(
            _("The scorecard is submitted; a recruiter can reopen it."), code="interviews.scorecard_locked"
        )
    return locked


@transaction.atomic
def scorecard_save_draft(*, actor: User, scorecard: Scorecard, data: dict[str, Any]) -> Scorecard:
    """Autosave: store whatever the form holds now (incomplete is fine)."""
    locked = _locked_draft(actor, scorecard)
    fields = _clean(locked.interview, data)
    Scorecard.objects.filter(pk=locked.pk).update(**fields, revision=F("revision") + 1, updated_at=timezone.now())
    locked.refresh_from_db()
    return locked


@transaction.atomic
def scorecard_submit(*, actor: User, scorecard: Scorecard, data: dict[str, Any]) -> Scorecard:
    """Save and lock, once every question is rated or marked not asked, every
    competency rated, and the recommendation justified."""
    locked = _locked_draft(actor, scorecard)
    fields = _clean(locked.interview, data)
    problems = []
    for question in scorecard_questions(locked.interview):
        answer = fields["answers"].get(question["key"], {})
        if not answer.get("not_asked") and answer.get("rating") is None:
            problems.append(_("Rate “%(question)s” or mark it not asked.") % {"question": question["prompt"][:80]})
    for key in scorecard_competencies(locked.interview):
        if fields["competencies"].get(key, {}).get("rating") is None:
            problems.append(_("Rate the competency %(key)s.") % {"key": key})
    if not fields["recommendation"]:
        problems.append(_("Choose an overall recommendation."))
    if len(fields["justification"].strip()) < JUSTIFICATION_MIN_CHARS:
        problems.append(_("Justify the recommendation in a few sentences."))
    if problems:
        raise ApplicationError(" ".join(problems), code="interviews.scorecard_incomplete", extra={"problems": problems})
    ratings = [a["rating"] for a in fields["answers"].values() if a.get("rating") and not a.get("not_asked")]
    Scorecard.objects.filter(pk=locked.pk).update(
        **fields,
        state=ScorecardState.SUBMITTED,
        submitted_at=timezone.now(),
        revision=F("revision") + 1,
        mean_rating=sum(ratings) / len(ratings) if ratings else None,
    )
    locked.refresh_from_db()
    candidate_event_record(
        candidate=locked.interview.candidate,
        kind=EventKind.SCORECARD_SUBMITTED,
        actor=actor,
        after={"scorecard": locked.pk, "summary": locked.get_recommendation_display()},
    )
    audit_record(
        action=AuditAction.SCORECARD_SUBMITTED,
        actor=actor,
        target=locked,
        detail={"candidate": locked.interview.candidate_id, "recommendation": locked.recommendation},
    )
    candidate_scores_changed(candidate_id=locked.interview.candidate_id)
    return locked


@transaction.atomic
def scorecard_reopen(*, actor: User, scorecard: Scorecard, reason: str) -> Scorecard:
    if not reason.strip():
        raise ApplicationError(
            _("Say why the scorecard is reopened."), code="interviews.reason_required", extra={"field": "reason"}
        )
    moved = Scorecard.objects.filter(pk=scorecard.pk, state=ScorecardState.SUBMITTED).update(
        state=ScorecardState.DRAFT, submitted_at=None, mean_rating=None, revision=F("revision") + 1
    )
    if moved != 1:
        raise ConflictError(_("Only a submitted scorecard can be reopened."), code="interviews.not_submitted")
    scorecard.refresh_from_db()
    candidate_event_record(
        candidate=scorecard.interview.candidate,
        kind=EventKind.SCORECARD_REOPENED,
        actor=actor,
        after={"scorecard": scorecard.pk, "summary": str(scorecard.interviewer)},
        reason=reason.strip(),
    )
    audit_record(
        action=AuditAction.SCORECARD_REOPENED,
        actor=actor,
        target=scorecard,
        detail={"candidate": scorecard.interview.candidate_id, "interviewer": str(scorecard.interviewer)},
    )
    candidate_scores_changed(candidate_id=scorecard.interview.candidate_id)
    return scorecard


def scorecards_visible(user: Any, candidate: Candidate | int) -> QuerySet[Scorecard]:
    """The candidate's scorecards the user may read: recruiters, hiring managers and
    admins all of them; an interviewer their own, and colleagues' submitted ones
    only once all of theirs for the candidate are submitted. A fixed number of
    queries, whatever the number of scorecards."""
    scorecards = Scorecard.objects.filter(interview__candidate=candidate).select_related("interviewer", "interview")
    roles = user_roles(user)
    if roles & {Role.RECRUITER, Role.HIRING_MANAGER, Role.ADMIN}:
        return scorecards
    if Role.INTERVIEWER not in roles:
        return scorecards.none()
    mine = scorecards.filter(interviewer=user)
    if mine.exists() and not mine.exclude(state=ScorecardState.SUBMITTED).exists():
        return scorecards.filter(Q(interviewer=user) | Q(state=ScorecardState.SUBMITTED))
    return mine


def may_see_scorecard(user: Any, scorecard: Scorecard) -> bool:
    """The rule of `scorecards_visible`, for one scorecard."""
    return scorecards_visible(user, scorecard.interview.candidate_id).filter(pk=scorecard.pk).exists()
