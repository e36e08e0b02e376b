"""REST API for plans and interviews (the plan builder page uses it too).
One view per operation; errors in the project's one shape, a plan's validation
problems listed in `extra.problems`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.candidates.models import Candidate
from assessments.choices import JobRole, Level
from assessments.questionbank.models import Question, Topic
from hiring_platform.accounts.permissions import acting_user
from hiring_platform.accounts.roles import Role
from hiring_platform.accounts.selectors import users_with_role
from hiring_platform.api.serializers import ErrorSerializer

from . import scorecards, selectors, services
from .decisions import DECISION_CHOICES, candidate_decide
from .evaluation import candidate_evaluation
from .models import Interview, InterviewLanguage, Plan, Scorecard
from .profile import competency_profile
from .suggest import suggest_plan


class PlanSummarySerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="current.number", allow_null=True)
    total_minutes = serializers.IntegerField(source="current.total_minutes", allow_null=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "name",
            "role",
            "level",
            "is_template",
            "template_key",
            "version",
            "total_minutes",
            "updated_at",
        ]


class PlanDetailSerializer(PlanSummarySerializer):
    content = serializers.JSONField(source="current.content", allow_null=True)
    coverage = serializers.SerializerMethodField()

    class Meta(PlanSummarySerializer.Meta):
        fields = [*PlanSummarySerializer.Meta.fields, "content", "coverage"]

    def get_coverage(self, plan: Plan) -> dict[str, Any] | None:
        return selectors.plan_coverage(plan.current.content) if plan.current else None


class PlanListApi(APIView):
    rule = "interviews.view_plans"

    @extend_schema(responses={200: PlanSummarySerializer(many=True)}, operation_id="plan_list")
    def get(self, request: Request) -> Response:
        return Response(PlanSummarySerializer(Plan.objects.select_related("current"), many=True).data)


class PlanInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=JobRole.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    content = serializers.JSONField()


class PlanCreateApi(APIView):
    rule = "interviews.manage_plans"

    @extend_schema(
        request=PlanInputSerializer,
        responses={201: PlanDetailSerializer, 400: ErrorSerializer},
        operation_id="plan_create",
    )
    def post(self, request: Request) -> Response:
        serializer = PlanInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_create(actor=acting_user(request), **serializer.validated_data)
        return Response(PlanDetailSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanContentSerializer(serializers.Serializer):
    content = serializers.JSONField()


class PlanDetailApi(APIView):
    rule = "interviews.view_plans"

    @extend_schema(responses={200: PlanDetailSerializer, 404: ErrorSerializer}, operation_id="plan_detail")
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlanDetailSerializer(get_object_or_404(Plan.objects.select_related("current"), pk=pk)).data)


class PlanSaveApi(APIView):
    rule = "interviews.manage_plans"

    @extend_schema(
        request=PlanContentSerializer,
        responses={200: PlanDetailSerializer, 400: ErrorSerializer},
        operation_id="plan_save",
    )
    def put(self, request: Request, pk: int) -> Response:
        plan = get_object_or_404(Plan, pk=pk)
        serializer = PlanContentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan, _written = services.plan_save(
            actor=acting_user(request), plan=plan, content=serializer.validated_data["content"]
        )
        return Response(PlanDetailSerializer(plan).data)


class CopyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class PlanCopyApi(APIView):
    rule = "interviews.manage_plans"

    @extend_schema(
        request=CopyInputSerializer,
        responses={201: PlanDetailSerializer, 400: ErrorSerializer},
        operation_id="plan_copy",
    )
    def post(self, request: Request, pk: int) -> Response:
        source = get_object_or_404(Plan.objects.select_related("current"), pk=pk)
        serializer = CopyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_copy(actor=acting_user(request), source=source, name=serializer.validated_data["name"])
        return Response(PlanDetailSerializer(plan).data, status=status.HTTP_201_CREATED)


class SuggestInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=JobRole.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    minutes = serializers.IntegerField(min_value=15, max_value=240)
    topics = serializers.ListField(child=serializers.SlugField(), required=False, default=list, max_length=10)

    def validate_topics(self, topics: list[str]) -> list[str]:
        unknown = sorted(set(topics) - set(Topic.objects.values_list("slug", flat=True)))
        if unknown:
            raise serializers.ValidationError(f"unknown topics: {', '.join(unknown)}")
        return topics


class SuggestOutputSerializer(serializers.Serializer):
    content = serializers.JSONField()
    covered_topics = serializers.ListField(child=serializers.CharField())
    missing_topics = serializers.ListField(child=serializers.CharField())
    interview_minutes = serializers.IntegerField()


def plan_suggestion(data: dict[str, Any]) -> dict[str, Any]:
    """The suggestion with question versions pinned, as the builder and the API return it."""
    suggestion = suggest_plan(
        role=data["role"],
        level=data["level"],
        minutes=data["minutes"],
        stress_topics=data.get("topics", []),
        questions=Question.objects.filter(status="active"),
        topic_slugs=dict(Topic.objects.values_list("id", "slug")),
    )
    return {
        "content": services.plan_content_check(suggestion.content),
        "covered_topics": suggestion.covered_topics,
        "missing_topics": suggestion.missing_topics,
        "interview_minutes": suggestion.interview_minutes,
    }


class PlanSuggestApi(APIView):
    rule = "interviews.manage_plans"

    @extend_schema(
        request=SuggestInputSerializer,
        responses={200: SuggestOutputSerializer, 400: ErrorSerializer},
        operation_id="plan_suggest",
    )
    def post(self, request: Request) -> Response:
        serializer = SuggestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(plan_suggestion(serializer.validated_data))


class ScheduleInputSerializer(serializers.Serializer):
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all())
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.filter(current__isnull=False))
    stage_key = serializers.SlugField()
    interviewers = serializers.PrimaryKeyRelatedField(queryset=users_with_role(Role.INTERVIEWER), many=True)
    language = serializers.ChoiceField(choices=InterviewLanguage.choices)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)


class InterviewSerializer(serializers.ModelSerializer):
    plan_version = serializers.IntegerField(source="plan_version.number")
    plan = serializers.IntegerField(source="plan_version.plan_id")
    interviewers: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        read_only=True, many=True
    )

    class Meta:
        model = Interview
        fields = ["id", "candidate", "plan", "plan_version", "stage_key", "interviewers", "language", "scheduled_at"]


class InterviewScheduleApi(APIView):
    rule = "interviews.schedule"

    @extend_schema(
        request=ScheduleInputSerializer,
        responses={201: InterviewSerializer, 400: ErrorSerializer},
        operation_id="interview_schedule",
    )
    def post(self, request: Request) -> Response:
        serializer = ScheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interview = services.interview_schedule(actor=acting_user(request), **serializer.validated_data)
        return Response(InterviewSerializer(interview).data, status=status.HTTP_201_CREATED)


class InterviewKitApi(APIView):
    rule = "interviews.view_interview"

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer}, operation_id="interview_kit")
    def get(self, request: Request, pk: int) -> Response:
        interview = get_object_or_404(Interview.objects.select_related("candidate", "plan_version__plan"), pk=pk)
        self.check_object_permissions(request, interview)
        return Response(selectors.interview_kit(interview))


class ScorecardSerializer(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="interview.candidate_id")
    interviewer: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Scorecard
        fields = ["id", "interview", "candidate", "interviewer", "state", "answers", "competencies", "recommendation",
                  "justification", "revision", "submitted_at", "updated_at"]  # fmt: skip


class ScorecardInputSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.DictField(), required=False, default=dict)
    competencies = serializers.DictField(child=serializers.DictField(), required=False, default=dict)
    recommendation = serializers.CharField(required=False, allow_blank=True, max_length=16)
    justification = serializers.CharField(required=False, allow_blank=True, max_length=5000)


def _scorecard(request: Request, view: APIView, pk: int) -> Scorecard:
    scorecard = get_object_or_404(
        Scorecard.objects.select_related("interview__candidate", "interview__plan_version"), pk=pk
    )
    view.check_object_permissions(request, scorecard)
    return scorecard


class ScorecardOpenApi(APIView):
    rule = "interviews.fill_scorecard"

    @extend_schema(responses={200: ScorecardSerializer, 400: ErrorSerializer}, operation_id="scorecard_open")
    def get(self, request: Request, pk: int) -> Response:
        interview = get_object_or_404(Interview.objects.select_related("plan_version"), pk=pk)
        if not interview.interviewers.filter(pk=acting_user(request).pk).exists():
            raise PermissionDenied  # only the interview's own interviewers have a scorecard here
        scorecard = scorecards.scorecard_open(actor=acting_user(request), interview=interview)
        return Response(ScorecardSerializer(scorecard).data)


class ScorecardDetailApi(APIView):
    rule = "interviews.view_scorecard"

    @extend_schema(responses={200: ScorecardSerializer, 403: ErrorSerializer}, operation_id="scorecard_detail")
    def get(self, request: Request, pk: int) -> Response:
        return Response(ScorecardSerializer(_scorecard(request, self, pk)).data)


class ScorecardDraftApi(APIView):
    rule = "interviews.fill_scorecard"

    @extend_schema(
        request=ScorecardInputSerializer,
        responses={200: ScorecardSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="scorecard_save_draft",
    )
    def put(self, request: Request, pk: int) -> Response:
        scorecard = _scorecard(request, self, pk)
        serializer = ScorecardInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = scorecards.scorecard_save_draft(
            actor=acting_user(request), scorecard=scorecard, data=serializer.validated_data
        )
        return Response(ScorecardSerializer(saved).data)


class ScorecardSubmitApi(APIView):
    rule = "interviews.fill_scorecard"

    @extend_schema(
        request=ScorecardInputSerializer,
        responses={200: ScorecardSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="scorecard_submit",
    )
    def post(self, request: Request, pk: int) -> Response:
        scorecard = _scorecard(request, self, pk)
        serializer = ScorecardInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = scorecards.scorecard_submit(
            actor=acting_user(request), scorecard=scorecard, data=serializer.validated_data
        )
        return Response(ScorecardSerializer(saved).data)


class ReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ScorecardReopenApi(APIView):
    rule = "interviews.reopen_scorecard"

    @extend_schema(
        request=ReopenInputSerializer,
        responses={200: ScorecardSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="scorecard_reopen",
    )
    def post(self, request: Request, pk: int) -> Response:
        scorecard = get_object_or_404(Scorecard.objects.select_related("interview__candidate"), pk=pk)
        serializer = ReopenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reopened = scorecards.scorecard_reopen(
            actor=acting_user(request), scorecard=scorecard, **serializer.validated_data
        )
        return Response(ScorecardSerializer(reopened).data)


class EvaluationApi(APIView):
    rule = "interviews.view_evaluation"

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer}, operation_id="candidate_evaluation")
    def get(self, request: Request, candidate_pk: int) -> Response:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        self.check_object_permissions(request, candidate)
        language = request.query_params.get("language", "en")
        evaluation = candidate_evaluation(candidate, language)
        profile = competency_profile(candidate, evaluation, language)
        return Response({**asdict(evaluation), "competency_profile": [asdict(point) for point in profile]})


class HiringDecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISION_CHOICES)
    reason = serializers.CharField(max_length=5000)


class DecisionApi(APIView):
    rule = "interviews.decide"

    @extend_schema(
        request=HiringDecisionInputSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="candidate_decide",
    )
    def post(self, request: Request, candidate_pk: int) -> Response:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        serializer = HiringDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = candidate_decide(actor=acting_user(request), candidate=candidate, **serializer.validated_data)
        return Response({"candidate": decided.pk, "stage": decided.stage})
