"""A reviewer's manual scores of a take-home."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from assessments.candidates.models import EventKind
from assessments.candidates.services import candidate_event_record, candidate_scores_changed

from ..models import Assignment, TakeHomeReview

RATED = ("code_quality", "tool_choice", "evaluation_quality", "report_quality")


@transaction.atomic
def review_submit(*, actor: User, assignment: Assignment, ratings: dict[str, int], notes: str = "") -> TakeHomeReview:
    """Record (or change) the actor's review; the timeline keeps before and after."""
    existing = TakeHomeReview.objects.select_for_update().filter(assignment=assignment, reviewer=actor).first()
    before = {name: getattr(existing, name) for name in RATED} if existing else {}
    review, _ = TakeHomeReview.objects.update_or_create(
        assignment=assignment, reviewer=actor, defaults={**{name: ratings[name] for name in RATED}, "notes": notes}
    )
    review.full_clean()
    candidate_event_record(
        candidate=assignment.candidate,
        kind=EventKind.TAKEHOME_REVIEWED,
        actor=actor,
        before=before,
        after={"task": assignment.task.title, "assignment": assignment.pk, **{name: ratings[name] for name in RATED}},
    )
    candidate_scores_changed(candidate_id=assignment.candidate_id)
    return review
