"""A candidate's competency profile: their mean rating per competency beside the
mean of the role's other candidates, read from the stored scores (one query)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from assessments.candidates.models import Candidate

from .competencies import label as competency_label
from .evaluation import Evaluation
from .models import CandidateScore


def rating_axis(rating: float) -> float:
    """A 1-4 rating as % of a chart's axis."""
    return round(min(max((rating - 1) / 3, 0.0), 1.0) * 100, 1)


@dataclass
class CompetencyPoint:
    key: str
    label: str
    mean: float  # the candidate's mean rating (1-4)
    role_mean: float | None  # the mean of the role's other candidates
    role_candidates: int
    mean_at: float  # % of the 1-4 axis
    role_mean_at: float | None


def competency_profile(candidate: Candidate, evaluation: Evaluation, language: str = "en") -> list[CompetencyPoint]:
    """The candidate's competency means (from their evaluation) beside the means of
    the other candidates for the same role (one query over stored scores)."""
    own = {item.key: item.mean for item in evaluation.competencies}
    if not own:
        return []
    with connection.cursor() as cursor:
        cursor.execute(  # table names from the models, values bound as parameters
            f"""
            SELECT item.key, AVG(item.value::float), COUNT(*)
            FROM {CandidateScore._meta.db_table} score
            JOIN {Candidate._meta.db_table} candidate ON candidate.id = score.candidate_id,
                 jsonb_each_text(score.competencies) AS item
            WHERE candidate.role = %s AND score.candidate_id <> %s
            GROUP BY item.key
            """,  # noqa: S608
            (candidate.role, candidate.pk),
        )
        role = {key: (float(value), n) for key, value, n in cursor.fetchall()}
    points = []
    for key in sorted(own):
        role_mean, role_n = role.get(key, (None, 0))
        mine = own[key]
        points.append(
            CompetencyPoint(
                key=key,
                label=competency_label(key, language),
                mean=mine,
                role_mean=round(role_mean, 2) if role_mean is not None else None,
                role_candidates=role_n,
                mean_at=rating_axis(mine),
                role_mean_at=rating_axis(role_mean) if role_mean is not None else None,
            )
        )
    return points
