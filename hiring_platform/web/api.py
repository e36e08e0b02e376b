"""The dashboard in the API: the same board and attention lists as the home page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .dashboard import needs_attention, pipeline_board


def _candidate(candidate: Any) -> dict[str, Any]:
    return {"id": candidate.pk, "full_name": candidate.full_name, "role": candidate.role, "level": candidate.level}


class DashboardApi(APIView):
    rule = "web.home"

    @extend_schema(
        parameters=[OpenApiParameter("role", str), OpenApiParameter("level", str), OpenApiParameter("owner", int)],
        responses={200: OpenApiTypes.OBJECT},
        operation_id="dashboard",
    )
    def get(self, request: Request) -> Response:
        filters = {name: request.query_params.get(name, "") for name in ("role", "level", "owner")}
        board = pipeline_board(request.user, filters)
        attention = needs_attention(request.user)
        return Response(
            {
                "total": board.total,
                "stages": [
                    {
                        **{k: stage[k] for k in ("value", "count")},
                        "candidates": [_candidate(c) for c in stage["candidates"]],
                    }
                    for stage in board.stages
                ],
                "needs_attention": {
                    "overdue_scorecards": [
                        {
                            "interview": item["interview"].pk,
                            "interviewer": item["interviewer"].pk,
                            "candidate": item["candidate"].pk,
                        }
                        for item in attention.overdue_scorecards
                    ],
                    "takehomes_grading": [run.pk for run in attention.takehomes_grading],
                    "takehomes_to_review": [assignment.pk for assignment in attention.takehomes_to_review],
                    "screenings_undecided": [screening.pk for screening in attention.screenings_undecided],
                },
            }
        )
