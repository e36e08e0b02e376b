"""The pipeline as CSV: one row per candidate the user may see, with the figures
of the scored evaluation. Streams rows as they are computed."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.views import View

from assessments.candidates.selectors import candidates_visible_to
from assessments.interviews.evaluation import candidate_evaluation
from hiring_platform.accounts.permissions import RuleRequiredMixin

COLUMNS = ["id", "full_name", "email", "role", "level", "stage", "recruiter", "created_at", "screening", "take_home",
           "interviews", "soft_skills", "overall", "recommendations"]  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(candidates: Any) -> Iterator[list[Any]]:
    yield COLUMNS
    for candidate in candidates:
        evaluation = candidate_evaluation(candidate)
        by_kind: dict[str, list[float]] = {}
        for stage in evaluation.stages:
            if stage.score is not None:
                by_kind.setdefault(stage.kind, []).append(stage.score)
        yield [
            candidate.pk,
            candidate.full_name,
            candidate.email,
            candidate.role,
            candidate.level,
            candidate.stage,
            candidate.owner.username if candidate.owner else "",
            candidate.created_at.isoformat(),
            *[
                round(sum(by_kind[kind]) / len(by_kind[kind]), 1) if kind in by_kind else ""
                for kind in ("screening", "takehome", "interview", "soft_skills")
            ],
            evaluation.overall if evaluation.overall is not None else "",
            "; ".join(f"{who}: {what}" for who, what, _url in evaluation.recommendations),
        ]


class PipelineCsvView(RuleRequiredMixin, View):
    rule = "web.export"

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        candidates = candidates_visible_to(request.user).select_related("owner").order_by("id")
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse((writer.writerow(row) for row in _rows(candidates)), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="pipeline.csv"'
        return response
