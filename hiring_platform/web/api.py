"""The dashboard in the API: the same board and attention lists as the home page."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.choices import JobRole, Level

from .charts import interviewer_calibration, score_distribution, time_in_stage
from .dashboard import needs_attention, pipeline_board


class BoardFilterSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=JobRole.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    owner = serializers.IntegerField(required=False, min_value=1)


FILTERS = [BoardFilterSerializer]


def _filters(request: Request) -> dict[str, Any]:
    """The board's filters from the query string; a bad value is a 400 naming the field."""
    serializer = BoardFilterSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _candidate(candidate: Any) -> dict[str, Any]:
    return {"id": candidate.pk, "full_name": candidate.full_name, "role": candidate.role, "level": candidate.level}


class DashboardApi(APIView):
    rule = "web.home"

    @extend_schema(
        parameters=FILTERS,
        responses={200: OpenApiTypes.OBJECT},
        operation_id="dashboard",
    )
    def get(self, request: Request) -> Response:
        board = pipeline_board(request.user, _filters(request))
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
                    "takehomes_platform_errors": [run.pk for run in attention.takehomes_platform_errors],
                    "screenings_undecided": [screening.pk for screening in attention.screenings_undecided],
                },
            }
        )


class DashboardChartsApi(APIView):
    """The dashboard's charts as figures: score distribution per role (bands of 10
    points), interviewer calibration, days in each open stage."""

    rule = "web.charts"

    @extend_schema(parameters=FILTERS, responses={200: OpenApiTypes.OBJECT}, operation_id="dashboard_charts")
    def get(self, request: Request) -> Response:
        filters = _filters(request)
        calibration = interviewer_calibration(request.user, filters)
        return Response(
            {
                "score_distribution": [
                    {"role": item.role, "scored": item.scored, "counts": item.counts}
                    for item in score_distribution(request.user, filters)
                ],
                "interviewer_calibration": {
                    "panel_mean": calibration.panel_mean,
                    "panel_spread": calibration.panel_spread,
                    "interviewers": [
                        {
                            key: value
                            for key, value in asdict(row).items()
                            if key not in ("mean_at", "band_from", "band_width")
                        }
                        for row in calibration.interviewers
                    ],
                },
                "time_in_stage": [
                    {key: value for key, value in asdict(row).items() if not key.endswith("_width")}
                    for row in time_in_stage(request.user, filters)
                ],
            }
        )
