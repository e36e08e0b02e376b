"""REST API for resume screening: checklists, starting a screening, reading it,
reviewing flags and recording the decision. One view per operation."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.candidates.models import Candidate
from hiring_platform.accounts.permissions import acting_user
from hiring_platform.api.serializers import ErrorSerializer

from . import selectors, services
from .models import Checklist, Decision, FlagStatus, Screening, ScreeningFlag


class ChecklistSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="current.number", allow_null=True)
    flags = serializers.JSONField(source="current.flags")

    class Meta:
        model = Checklist
        fields = ["slug", "role", "title_en", "title_ru", "version", "flags"]


class ChecklistListApi(APIView):
    rule = "screening.view_checklists"

    @extend_schema(responses={200: ChecklistSerializer(many=True)}, operation_id="screening_checklist_list")
    def get(self, request: Request) -> Response:
        return Response(ChecklistSerializer(Checklist.objects.select_related("current"), many=True).data)


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScreeningFlag
        fields = ["key", "kind", "weight", "source", "status", "evidence", "whole_text", "note", "updated_at"]


class ScreeningSerializer(serializers.ModelSerializer):
    checklist = serializers.CharField(source="version.checklist.slug")
    checklist_version = serializers.IntegerField(source="version.number")
    flags = FlagSerializer(many=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Screening
        fields = ["id", "candidate", "checklist", "checklist_version", "state", "detail", "resume_name",
                  "resume_text", "analysis_ms", "decision", "decision_reason", "decided_at", "created_at",
                  "finished_at", "summary", "flags"]  # fmt: skip

    def get_summary(self, screening: Screening) -> dict[str, int] | None:
        if screening.state != "done":
            return None
        return vars(selectors.screening_summary(screening))


def _screening(request: Request, view: APIView, pk: int) -> Screening:
    screening = get_object_or_404(
        Screening.objects.select_related("candidate", "version__checklist").prefetch_related("flags"), pk=pk
    )
    view.check_object_permissions(request, screening)
    return screening


class StartInputSerializer(serializers.Serializer):
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all())
    checklist = serializers.SlugRelatedField(slug_field="slug", queryset=Checklist.objects.all())


class ScreeningStartApi(APIView):
    rule = "screening.manage"

    @extend_schema(
        request=StartInputSerializer,
        responses={202: ScreeningSerializer, 400: ErrorSerializer},
        operation_id="screening_start",
    )
    def post(self, request: Request) -> Response:
        serializer = StartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        screening = services.screening_start(actor=acting_user(request), **serializer.validated_data)
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_202_ACCEPTED)


class ScreeningDetailApi(APIView):
    rule = "screening.view"

    @extend_schema(responses={200: ScreeningSerializer, 404: ErrorSerializer}, operation_id="screening_detail")
    def get(self, request: Request, pk: int) -> Response:
        return Response(ScreeningSerializer(_screening(request, self, pk)).data)


class FlagReviewInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[FlagStatus.CONFIRMED, FlagStatus.REJECTED])
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ScreeningFlagReviewApi(APIView):
    rule = "screening.manage"

    @extend_schema(
        request=FlagReviewInputSerializer,
        responses={200: FlagSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="screening_flag_review",
    )
    def post(self, request: Request, pk: int, key: str) -> Response:
        screening = _screening(request, self, pk)
        serializer = FlagReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        flag = services.screening_flag_review(
            actor=acting_user(request), screening=screening, key=key, **serializer.validated_data
        )
        return Response(FlagSerializer(flag).data)


class FlagAddInputSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=50)
    note = serializers.CharField(max_length=2000)


class ScreeningFlagAddApi(APIView):
    rule = "screening.manage"

    @extend_schema(
        request=FlagAddInputSerializer,
        responses={201: FlagSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="screening_flag_add",
    )
    def post(self, request: Request, pk: int) -> Response:
        screening = _screening(request, self, pk)
        serializer = FlagAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        flag = services.screening_flag_add(actor=acting_user(request), screening=screening, **serializer.validated_data)
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(max_length=5000)


class ScreeningDecideApi(APIView):
    rule = "screening.manage"

    @extend_schema(
        request=DecisionInputSerializer,
        responses={200: ScreeningSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="screening_decide",
    )
    def post(self, request: Request, pk: int) -> Response:
        screening = _screening(request, self, pk)
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = services.screening_decide(
            actor=acting_user(request), screening=screening, **serializer.validated_data
        )
        return Response(ScreeningSerializer(decided).data)
