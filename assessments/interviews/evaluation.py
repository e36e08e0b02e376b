"""The scored evaluation of a candidate: screening, take-home and interviews
combined with the plan's stage weights.

Every figure is on a 0-100 scale and carries a link to its evidence:
- screening: the latest finished screening's score (selectors.screening_summary);
- take-home: the latest assignment's take-home score (auto-score, mixed with
  reviewers' ratings once there are reviews);
- an interview stage: the mean question rating of its submitted scorecards,
  1-4 mapped to 0-100 ("not asked" left out);
- soft skills: the mean of the soft-skill ratings of all submitted scorecards.
The overall score is the weighted mean of the stages that have a figure (their
weights rescaled to 100), so a missing take-home neither counts as 0 nor hides.
Per competency: the mean rating (1-4) and the spread between interviewers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from django.db import transaction
from django.urls import reverse

from assessments.candidates.models import Candidate
from assessments.screening.models import ScreeningState
from assessments.screening.selectors import screening_summary
from assessments.takehome.selectors import assignment_result

from .competencies import SOFT_SKILLS, label
from .models import CandidateScore, Interview, Scorecard, ScorecardState

DEFAULT_WEIGHTS = {"screening": 10, "takehome": 30, "interview": 45, "soft_skills": 15}


def _percent(rating: float) -> float:
    return round((rating - 1) / 3 * 100, 1)


@dataclass
class StageFigure:
    key: str
    title: str
    kind: str
    weight: int
    score: float | None
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


@dataclass
class CompetencyFigure:
    key: str
    label: str
    mean: float
    spread: int
    ratings: list[tuple[str, int]]  # (interviewer, rating)


@dataclass
class Evaluation:
    stages: list[StageFigure]
    competencies: list[CompetencyFigure]
    overall: float | None
    recommendations: list[tuple[str, str, str]]  # (interviewer, recommendation label, scorecard url)
    plan: str
    recommendation_values: list[tuple[str, str]] = field(default_factory=list)  # (interviewer, value)


def _stages_of(candidate: Candidate) -> tuple[list[dict[str, Any]], str]:
    interview = (
        Interview.objects.filter(candidate=candidate)
        .select_related("plan_version__plan")
        .order_by("-created_at")
        .first()
    )
    if interview is None:
        return [
            {"key": kind, "kind": kind, "title_en": kind.replace("_", " ").capitalize(), "weight": weight}
            for kind, weight in DEFAULT_WEIGHTS.items()
        ], ""
    return list(interview.plan_version.content["stages"]), str(interview.plan_version)


def candidate_evaluation(candidate: Candidate, language: str = "en") -> Evaluation:
    stages, plan = _stages_of(candidate)
    submitted = list(
        Scorecard.objects.filter(interview__candidate=candidate, state=ScorecardState.SUBMITTED).select_related(
            "interview", "interviewer"
        )
    )
    figures = []
    for stage in stages:
        figure = StageFigure(
            stage["key"], stage.get(f"title_{language}") or stage["title_en"], stage["kind"], stage["weight"], None
        )
        if stage["kind"] == "screening":
            screening = candidate.screenings.filter(state=ScreeningState.DONE).order_by("-created_at").first()
            if screening is not None:
                figure.score = float(screening_summary(screening).score)
                figure.evidence.append((str(screening.version), reverse("screening:detail", args=[screening.pk])))
        elif stage["kind"] == "takehome":
            assignment = candidate.assignments.select_related("task").order_by("-created_at").first()
            result = assignment_result(assignment) if assignment else None
            if assignment is not None and result is not None and result.combined is not None:
                figure.score = float(result.combined)
                figure.evidence.append((assignment.task.title, reverse("takehome:assignment", args=[assignment.pk])))
        elif stage["kind"] == "interview":
            cards = [s for s in submitted if s.interview.stage_key == stage["key"]]
            ratings = [
                a["rating"] for s in cards for a in s.answers.values() if a.get("rating") and not a.get("not_asked")
            ]
            if ratings:
                figure.score = _percent(mean(ratings))
            figure.evidence += [(str(s.interviewer), reverse("interviews:scorecard", args=[s.pk])) for s in cards]
        elif stage["kind"] == "soft_skills":
            skills = stage.get("competencies", list(SOFT_SKILLS))
            ratings = [
                s.competencies[k]["rating"]
                for s in submitted
                for k in skills
                if (s.competencies.get(k) or {}).get("rating")
            ]
            if ratings:
                figure.score = _percent(mean(ratings))
            figure.evidence += [(str(s.interviewer), reverse("interviews:scorecard", args=[s.pk])) for s in submitted]
        figures.append(figure)
    scored = [(f.score, f.weight) for f in figures if f.score is not None and f.weight > 0]
    total_weight = sum(weight for _, weight in scored)
    overall = round(sum(score * weight for score, weight in scored) / total_weight, 1) if total_weight else None
    by_competency: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for scorecard in submitted:
        for key, item in scorecard.competencies.items():
            if item.get("rating"):
                by_competency[key].append((str(scorecard.interviewer), int(item["rating"])))
    competencies = [
        CompetencyFigure(
            key=key,
            label=label(key, language),
            mean=round(mean(r for _, r in ratings), 2),
            spread=max(r for _, r in ratings) - min(r for _, r in ratings),
            ratings=ratings,
        )
        for key, ratings in sorted(by_competency.items())
    ]
    recommendations = [
        (str(s.interviewer), s.get_recommendation_display(), reverse("interviews:scorecard", args=[s.pk]))
        for s in submitted
    ]
    return Evaluation(
        stages=figures,
        competencies=competencies,
        overall=overall,
        recommendations=recommendations,
        plan=plan,
        recommendation_values=[(str(s.interviewer), s.recommendation) for s in submitted],
    )


def candidate_score_refresh(*, candidate_id: int) -> CandidateScore | None:
    """Store the candidate's current evaluation figures (None if the candidate is gone).

    The candidate's row is locked before anything is read, so two refreshes run one
    after the other and the one sent after the last change writes last."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
        if candidate is None:
            return None
        score = _score_store(candidate)
        Candidate.objects.filter(pk=candidate_id).update(score_stale=False)
        return score


SWEEP_BATCH = 200


def candidate_scores_sweep() -> int:
    """Refresh the stored scores still marked stale (their refresh message was lost)."""
    stale = list(Candidate.objects.filter(score_stale=True).values_list("pk", flat=True)[:SWEEP_BATCH])
    for candidate_id in stale:
        candidate_score_refresh(candidate_id=candidate_id)
    return len(stale)


def _score_store(candidate: Candidate) -> CandidateScore:
    evaluation = candidate_evaluation(candidate)
    by_kind: dict[str, list[float]] = defaultdict(list)
    for stage in evaluation.stages:
        if stage.score is not None:
            by_kind[stage.kind].append(stage.score)
    score, _created = CandidateScore.objects.update_or_create(
        candidate=candidate,
        defaults={
            "overall": evaluation.overall,
            "stages": {kind: round(mean(scores), 1) for kind, scores in by_kind.items()},
            "competencies": {item.key: item.mean for item in evaluation.competencies},
            "recommendations": [[who, value] for who, value in evaluation.recommendation_values],
        },
    )
    return score
