"""Reads behind the dashboard's charts: score distribution per role, interviewer
calibration and time in stage (a candidate's competency profile against the role's
other candidates is on the evaluation page: `interviews.profile`).

Each chart is one or two aggregate queries whatever the data size: the scores come
from the stored `CandidateScore` rows and each scorecard's stored mean rating,
never from recomputing an evaluation per candidate. Each chart also carries the
geometry its template draws (percentages of the chart's box), so the template
holds no arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Avg, Count, F, IntegerField, StdDev, Value
from django.db.models.functions import Cast, Floor, Least
from django.utils import timezone

from assessments.candidates.models import CLOSED_STAGES, CandidateEvent, EventKind, Stage
from assessments.choices import JobRole
from assessments.interviews.models import CandidateScore, Interview, Scorecard, ScorecardState
from assessments.interviews.profile import rating_axis as _axis

from .dashboard import filtered_candidates

BUCKETS = 10  # score bands of 10 points: 0-9, 10-19, ..., 90-100


CHART_HEIGHT = 40  # the histogram's SVG box is 100 x 40


@dataclass
class Bar:
    low: int  # the band's scores: low <= score < low + 10
    count: int
    x: float
    y: float
    height: float


@dataclass
class Distribution:
    role: str
    label: str
    counts: list[int]  # candidates per band of 10 points
    bars: list[Bar]
    scored: int


def _sql(queryset: Any) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def score_distribution(user: User | AnonymousUser, filters: dict[str, Any] | None = None) -> list[Distribution]:
    """How the overall scores of each role's candidates spread over 0-100 (one query)."""
    candidates = filtered_candidates(user, filters or {})
    rows = (
        CandidateScore.objects.filter(candidate__in=candidates.values("pk"), overall__isnull=False)
        .annotate(band=Least(Cast(Floor(F("overall") / 10), IntegerField()), Value(BUCKETS - 1)))
        .values_list("candidate__role", "band")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, list[int]] = {}
    for role, band, n in rows:
        counts.setdefault(role, [0] * BUCKETS)[max(0, band)] += n
    result = []
    for role in JobRole:
        if role.value not in counts:
            continue
        bands = counts[role.value]
        tallest = max(bands) or 1
        bars = []
        for index, n in enumerate(bands):
            height = round(n / tallest * CHART_HEIGHT, 2)
            bars.append(Bar(low=index * 10, count=n, x=index * 10 + 0.5, y=CHART_HEIGHT - height, height=height))
        result.append(Distribution(role=role.value, label=str(role.label), counts=bands, bars=bars, scored=sum(bands)))
    return result


@dataclass
class InterviewerCalibration:
    interviewer_id: int
    name: str
    scorecards: int
    mean: float  # mean question rating, 1-4
    spread: float  # standard deviation of the interviewer's scorecards' means
    shared: int  # scorecards written on a panel with colleagues
    offset: float | None  # mean difference from the colleagues on the same panels
    mean_at: float  # `mean` as % of the 1-4 axis
    band_from: float  # mean - spread, % of the axis
    band_width: float  # up to mean + spread, % of the axis


@dataclass
class Calibration:
    panel_mean: float | None
    panel_spread: float | None
    panel_mean_at: float | None
    interviewers: list[InterviewerCalibration]


def interviewer_calibration(user: User | AnonymousUser, filters: dict[str, Any] | None = None) -> Calibration:
    """Each interviewer's average rating and spread beside the whole panel's, and how
    far they sit from the colleagues who interviewed the same candidate with them
    (three queries). Only submitted scorecards count."""
    candidates = filtered_candidates(user, filters or {})
    cards = Scorecard.objects.filter(
        state=ScorecardState.SUBMITTED,
        mean_rating__isnull=False,
        interview__in=Interview.objects.filter(candidate__in=candidates.values("pk")).values("pk"),
    )
    panel = cards.aggregate(mean=Avg("mean_rating"), spread=StdDev("mean_rating"))
    visible_sql, params = _sql(cards.values("pk"))
    table = Scorecard._meta.db_table
    # The window gives every scorecard its panel's sum and size; "offset" compares the
    # scorecard with the mean of the *other* scorecards of the same interview.
    with connection.cursor() as cursor:
        cursor.execute(  # table names from the models, values bound as parameters
            f"""
            WITH cards AS (
                SELECT interviewer_id, mean_rating,
                       SUM(mean_rating) OVER (PARTITION BY interview_id) AS panel_sum,
                       COUNT(*) OVER (PARTITION BY interview_id) AS panel_size
                FROM {table} WHERE id IN ({visible_sql})
            )
            SELECT interviewer_id, COUNT(*), AVG(mean_rating), COALESCE(STDDEV_POP(mean_rating), 0),
                   COUNT(*) FILTER (WHERE panel_size > 1),
                   AVG(mean_rating - (panel_sum - mean_rating) / (panel_size - 1)) FILTER (WHERE panel_size > 1)
            FROM cards GROUP BY interviewer_id
            """,  # noqa: S608
            params,
        )
        rows = cursor.fetchall()
    names = {
        person.pk: person.get_full_name() or person.username
        for person in User.objects.filter(pk__in=[row[0] for row in rows])
    }
    interviewers = [
        InterviewerCalibration(
            interviewer_id=pk,
            name=names.get(pk, str(pk)),
            scorecards=n,
            mean=round(mean, 2),
            spread=round(spread, 2),
            shared=shared,
            offset=round(offset, 2) if offset is not None else None,
            mean_at=_axis(mean),
            band_from=_axis(mean - spread),
            band_width=round(_axis(mean + spread) - _axis(mean - spread), 1),
        )
        for pk, n, mean, spread, shared, offset in rows
    ]
    interviewers.sort(key=lambda item: (item.name.lower(), item.interviewer_id))
    return Calibration(
        panel_mean=round(panel["mean"], 2) if panel["mean"] is not None else None,
        panel_spread=round(panel["spread"], 2) if panel["spread"] is not None else None,
        panel_mean_at=_axis(panel["mean"]) if panel["mean"] is not None else None,
        interviewers=interviewers,
    )


@dataclass
class StageTime:
    stage: str
    label: str
    stays: int  # candidates who were in the stage (and left it or are still there)
    current: int  # candidates in the stage now
    median_days: float
    p90_days: float
    median_width: float  # % of the longest p90 among stages
    p90_width: float


def time_in_stage(
    user: User | AnonymousUser, filters: dict[str, Any] | None = None, now: datetime | None = None
) -> list[StageTime]:
    """Days spent in each open stage, from the timeline's stage moves: median and
    90th percentile over finished stays and stays still running (one query)."""
    now = now or timezone.now()
    candidates = filtered_candidates(user, filters or {})
    visible_sql, params = _sql(candidates.order_by().values("pk"))
    with connection.cursor() as cursor:
        cursor.execute(  # table names from the models, values bound as parameters
            f"""
            WITH stays AS (
                SELECT after ->> 'stage' AS stage,
                       LEAD(created_at) OVER (PARTITION BY candidate_id ORDER BY created_at, id) AS left_at,
                       created_at AS entered_at
                FROM {CandidateEvent._meta.db_table}
                WHERE kind IN (%s, %s) AND after ? 'stage' AND candidate_id IN ({visible_sql})
            )
            SELECT stage, COUNT(*), COUNT(*) FILTER (WHERE left_at IS NULL),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM COALESCE(left_at, %s) - entered_at)),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM COALESCE(left_at, %s) - entered_at))
            FROM stays GROUP BY stage
            """,  # noqa: S608
            (EventKind.CREATED, EventKind.STAGE_CHANGED, *params, now, now),
        )
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    day = 86400
    found = [(stage, rows[stage.value]) for stage in Stage if stage.value in rows and stage not in CLOSED_STAGES]
    longest = max((p90 for _stage, (_n, _current, _median, p90) in found), default=0) or 1
    return [
        StageTime(
            stage=stage.value,
            label=str(stage.label),
            stays=n,
            current=current,
            median_days=round(median / day, 1),
            p90_days=round(p90 / day, 1),
            median_width=round(median / longest * 100, 1),
            p90_width=round(p90 / longest * 100, 1),
        )
        for stage, (n, current, median, p90) in found
    ]
