"""Flag submissions to the same task whose code is alike (measure: similarity.py)."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction

from ..models import SimilarityFlag, Submission, SubmissionState
from ..selectors import submission_sources
from ..similarity import FLAG_THRESHOLD, compare_submissions


def submission_compare(*, submission_id: int) -> list[SimilarityFlag]:
    """Compare a submission with the latest unpacked submission of every other
    assignment of the same task; store a flag for each pair above the threshold."""
    submission = Submission.objects.select_related("assignment").get(pk=submission_id)
    if submission.state != SubmissionState.READY:
        return []
    task_id = submission.assignment.task_id
    others = (
        Submission.objects.filter(assignment__task_id=task_id, state=SubmissionState.READY)
        .exclude(assignment_id=submission.assignment_id)
        .order_by("assignment_id", "-number")
        .distinct("assignment_id")
    )
    mine = submission_sources(submission)
    flags = []
    for other in others:
        similarity = compare_submissions(mine, submission_sources(other))
        if similarity.score < FLAG_THRESHOLD:
            continue
        first, second = sorted([submission, other], key=lambda item: item.pk)
        matches = [asdict(match) for match in similarity.matches]
        if first.pk != submission.pk:  # matches are stored from the first submission's side
            matches = [
                {**m, "file_a": m["file_b"], "file_b": m["file_a"], "spans_a": m["spans_b"], "spans_b": m["spans_a"]}
                for m in matches
            ]
        with transaction.atomic():
            flag, _ = SimilarityFlag.objects.update_or_create(
                submission_a=first,
                submission_b=second,
                defaults={"task_id": task_id, "score": round(similarity.score, 3), "matches": matches},
            )
        flags.append(flag)
    return flags
