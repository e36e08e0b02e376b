"""Figures read when Prometheus scrapes, from the database and the broker. They are
the same whichever process answers, so they need no multiprocess files."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import redis
from django.conf import settings
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from .selectors import DurationHistogram, grading_run_durations, grading_verdict_counts, sandbox_job_durations

logger = logging.getLogger(__name__)

# The Celery queues of the platform: the default one and the sandbox one (settings.celery).
QUEUES = ("celery", "sandbox")
# From a quick public check to a slow hidden run waiting behind others.
DURATION_BOUNDS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0)


def _histogram(name: str, documentation: str, label: str, rows: list[DurationHistogram]) -> HistogramMetricFamily:
    family = HistogramMetricFamily(name, documentation, labels=[label])
    for row in rows:
        buckets = [(str(bound), float(count)) for bound, count in zip(DURATION_BOUNDS, row.cumulative, strict=True)]
        family.add_metric([row.label], [*buckets, ("+Inf", float(row.count))], row.seconds)
    return family


def queue_depths() -> dict[str, int]:
    """Messages waiting in each Celery queue (the Redis list of that name)."""
    client = redis.Redis.from_url(str(settings.CELERY_BROKER_URL), socket_timeout=2, socket_connect_timeout=2)
    try:
        return {queue: int(client.llen(queue)) for queue in QUEUES}
    finally:
        client.close()


class PlatformCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        try:
            depths = queue_depths()
        except redis.RedisError as error:
            # The other figures are still worth a scrape; the missing family shows the outage.
            logger.warning("metrics: the broker did not answer: %s", error)
        else:
            family = GaugeMetricFamily(
                "hiring_celery_queue_depth", "Messages waiting in a Celery queue.", labels=["queue"]
            )
            for queue, depth in depths.items():
                family.add_metric([queue], depth)
            yield family
        verdicts = GaugeMetricFamily(
            "hiring_grading_runs_finished",
            "Finished grading runs stored in the database, by purpose and verdict.",
            labels=["purpose", "verdict"],
        )
        for purpose, verdict, count in grading_verdict_counts():
            verdicts.add_metric([purpose, verdict], count)
        yield verdicts
        yield _histogram(
            "hiring_grading_run_duration_seconds",
            "Finished grading runs, from queued to done, by purpose.",
            "purpose",
            grading_run_durations(bounds=DURATION_BOUNDS),
        )
        yield _histogram(
            "hiring_sandbox_job_duration_seconds",
            "Finished sandbox jobs, from queued to done, by kind.",
            "kind",
            sandbox_job_durations(bounds=DURATION_BOUNDS),
        )
