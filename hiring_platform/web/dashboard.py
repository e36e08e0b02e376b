"""Reads of the recruiter dashboard: the pipeline by stage (with filters) and what
needs attention. Each part is a fixed number of queries whatever the data size:
aggregates and EXISTS subqueries, never a query per candidate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.candidates.models import Candidate, Stage
from assessments.candidates.selectors import candidate_list, candidates_visible_to
from assessments.interviews.models import Interview, Scorecard, ScorecardState
from assessments.screening.models import Screening, ScreeningState
from assessments.takehome.models import PLATFORM_ERROR, Assignment, GradingRun, RunPurpose, RunState, TakeHomeReview

CARDS_PER_STAGE = 8
ATTENTION_LIMIT = 20
SCORECARD_OVERDUE_AFTER = timedelta(hours=1)


@dataclass
class Board:
    total: int
    stages: list[dict[str, Any]]  # {"value", "label", "count", "candidates": [Candidate]}


@dataclass
class Attention:
    overdue_scorecards: list[dict[str, Any]] = field(default_factory=list)  # {"interview", "interviewer", "candidate"}
    takehomes_grading: list[GradingRun] = field(default_factory=list)
    takehomes_to_review: list[Assignment] = field(default_factory=list)
    takehomes_platform_errors: list[GradingRun] = field(default_factory=list)  # hidden runs to run again
    screenings_undecided: list[Screening] = field(default_factory=list)


def filtered_candidates(user: User | AnonymousUser, filters: dict[str, Any]) -> Any:
    """The candidates the user may see, narrowed by the board's filters (role, level, recruiter)."""
    return candidate_list(user=user, filters={name: filters.get(name) for name in ("role", "level", "owner")})


def pipeline_board(user: User | AnonymousUser, filters: dict[str, Any] | None = None) -> Board:
    """Counts per stage and the most recently updated candidates of each (two queries)."""
    candidates = filtered_candidates(user, filters or {})
    counts = dict(candidates.order_by().values_list("stage").annotate(n=Count("id")))
    recent: dict[str, list[Candidate]] = {stage.value: [] for stage in Stage}
    # Each stage's newest, numbered by a window over the stage (one query, then one to load them).
    ranked = candidates.annotate(
        place=Window(expression=RowNumber(), partition_by=[F("stage")], order_by=F("updated_at").desc())
    )
    for candidate in (
        Candidate.objects.select_related("owner")
        .filter(pk__in=[row["pk"] for row in ranked.values("pk", "place") if row["place"] <= CARDS_PER_STAGE])
        .order_by("-updated_at")
    ):
        recent[candidate.stage].append(candidate)
    stages = [
        {
            "value": stage.value,
            "label": stage.label,
            "count": counts.get(stage.value, 0),
            "candidates": recent[stage.value],
        }
        for stage in Stage
    ]
    return Board(total=sum(counts.values()), stages=stages)


def needs_attention(user: User | AnonymousUser) -> Attention:
    """Scorecards overdue, take-homes waiting for grading, review or a re-run after a
    platform error, screenings undecided."""
    visible = candidates_visible_to(user).values("pk")
    now = timezone.now()
    submitted = Scorecard.objects.filter(
        interview=OuterRef("interview"), interviewer=OuterRef("user"), state=ScorecardState.SUBMITTED
    )
    pairs = Interview.interviewers.through.objects.filter(
        ~Exists(submitted), interview__candidate__in=visible, interview__scheduled_at__lte=now - SCORECARD_OVERDUE_AFTER
    )
    overdue = [
        {"interview": pair.interview, "interviewer": pair.user, "candidate": pair.interview.candidate}
        for pair in pairs.select_related("interview__candidate", "user").order_by("interview__scheduled_at")[
            :ATTENTION_LIMIT
        ]
    ]
    grading = list(
        GradingRun.objects.filter(submission__assignment__candidate__in=visible)
        .exclude(state=RunState.DONE)
        .select_related("submission__assignment__candidate", "submission__assignment__task")
        .order_by("created_at")[:ATTENTION_LIMIT]
    )
    graded = GradingRun.objects.filter(
        submission__assignment=OuterRef("pk"), purpose=RunPurpose.HIDDEN, state=RunState.DONE
    ).exclude(verdict=PLATFORM_ERROR)
    # A hidden run the platform failed, with no later run of the same upload: someone must run it again.
    later = GradingRun.objects.filter(
        submission=OuterRef("submission"), purpose=RunPurpose.HIDDEN, created_at__gt=OuterRef("created_at")
    )
    platform_errors = list(
        GradingRun.objects.filter(
            ~Exists(later),
            submission__assignment__candidate__in=visible,
            purpose=RunPurpose.HIDDEN,
            verdict=PLATFORM_ERROR,
        )
        .select_related("submission__assignment__candidate", "submission__assignment__task")
        .order_by("created_at")[:ATTENTION_LIMIT]
    )
    reviewed = TakeHomeReview.objects.filter(assignment=OuterRef("pk"))
    to_review = list(
        Assignment.objects.filter(Exists(graded), ~Exists(reviewed), candidate__in=visible)
        .select_related("candidate", "task")
        .order_by("created_at")[:ATTENTION_LIMIT]
    )
    undecided = list(
        Screening.objects.filter(candidate__in=visible, state=ScreeningState.DONE, decision="")
        .select_related("candidate", "version__checklist")
        .order_by("created_at")[:ATTENTION_LIMIT]
    )
    return Attention(overdue, grading, to_review, platform_errors, undecided)
