"""Reads of the metrics collected at scrape time: a few aggregate queries,
whatever the number of runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum

from assessments.takehome.models import GradingRun, RunState
from sandbox.models import JobState, SandboxJobRecord


@dataclass(frozen=True)
class DurationHistogram:
    label: str  # the grouping value (a run's purpose, a job's kind)
    cumulative: list[int]  # how many took at most each bucket bound, in the order of the bounds
    count: int
    seconds: float


def _duration_histograms(
    finished: QuerySet[GradingRun] | QuerySet[SandboxJobRecord], group: str, bounds: tuple[float, ...]
) -> list[DurationHistogram]:
    took = ExpressionWrapper(F("finished_at") - F("created_at"), output_field=DurationField())
    buckets = {
        f"le_{index}": Count("pk", filter=Q(took__lte=timedelta(seconds=bound))) for index, bound in enumerate(bounds)
    }
    rows = (
        finished.filter(finished_at__isnull=False)
        .annotate(took=took)
        .values(group)
        .annotate(count=Count("pk"), total=Sum("took"), **buckets)
        .order_by(group)
    )
    return [
        DurationHistogram(
            label=row[group],
            cumulative=[row[f"le_{index}"] for index in range(len(bounds))],
            count=row["count"],
            seconds=row["total"].total_seconds() if row["total"] is not None else 0.0,
        )
        for row in rows
    ]


def grading_run_durations(*, bounds: tuple[float, ...]) -> list[DurationHistogram]:
    """Finished grading runs by purpose, from creation (queued) to done: what a candidate waits."""
    return _duration_histograms(GradingRun.objects.filter(state=RunState.DONE), "purpose", bounds)


def sandbox_job_durations(*, bounds: tuple[float, ...]) -> list[DurationHistogram]:
    """Finished sandbox jobs by kind, from creation to done (queue wait, attempts and clean-up)."""
    return _duration_histograms(SandboxJobRecord.objects.filter(state=JobState.DONE), "kind", bounds)


def grading_verdict_counts() -> list[tuple[str, str, int]]:
    """(purpose, verdict, count) of the finished grading runs."""
    rows = (
        GradingRun.objects.filter(state=RunState.DONE)
        .values("purpose", "verdict")
        .annotate(count=Count("pk"))
        .order_by("purpose", "verdict")
    )
    return [(row["purpose"], row["verdict"], row["count"]) for row in rows]
