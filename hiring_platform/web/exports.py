"""The pipeline as CSV: one row per candidate the user may see, with the figures
of the scored evaluation as last stored (`CandidateScore`, refreshed whenever a
screening, take-home or scorecard changes). Streams rows in chunks, one query per
chunk whatever the number of candidates."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.views import View

from assessments.candidates.selectors import candidates_visible_to
from assessments.interviews.models import CandidateScore, Recommendation
from hiring_platform.accounts.permissions import RuleRequiredMixin
from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record

COLUMNS = ["id", "full_name", "email", "role", "level", "stage", "recruiter", "created_at", "screening", "take_home",
           "interviews", "soft_skills", "overall", "recommendations"]  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def _recommendations(score: CandidateScore | None) -> str:
    if score is None:
        return ""
    return "; ".join(f"{who}: {Recommendation(value).label}" for who, value in score.recommendations)


def _rows(candidates: Any) -> Iterator[list[Any]]:
    yield COLUMNS
    for candidate in candidates.iterator(chunk_size=500):
        score = getattr(candidate, "score", None)
        stages = score.stages if score is not None else {}
        yield [
            candidate.pk,
            candidate.full_name,
            candidate.email,
            candidate.role,
            candidate.level,
            candidate.stage,
            candidate.owner.username if candidate.owner else "",
            candidate.created_at.isoformat(),
            *[stages.get(kind, "") for kind in ("screening", "takehome", "interview", "soft_skills")],
            score.overall if score is not None and score.overall is not None else "",
            _recommendations(score),
        ]


class PipelineCsvView(RuleRequiredMixin, View):
    rule = "web.export"

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        candidates = candidates_visible_to(request.user).select_related("owner", "score").order_by("id")
        audit_record(action=AuditAction.EXPORT, actor=request.user, detail={"document": "pipeline", "format": "csv"})
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse((writer.writerow(row) for row in _rows(candidates)), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="pipeline.csv"'
        return response
