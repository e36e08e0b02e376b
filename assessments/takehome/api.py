"""REST API for take-homes: tasks, issuing and managing assignments, results,
runs and re-grading. One view per operation, serializers beside it. Candidate
names follow the same anonymous-review rule as the pages."""

from __future__ import annotations

from typing import Any

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
from .models import Assignment, GradingRun, Submission, TakeHomeTask, TimeMode


class TaskSerializer(serializers.ModelSerializer):
    data_version = serializers.CharField(source="dataset.version")
    hidden_questions = serializers.IntegerField(source="dataset.hidden_count")

    class Meta:
        model = TakeHomeTask
        fields = ["id", "slug", "title", "data_version", "hidden_questions", "window_hours", "max_submissions",
                  "anonymous_review"]  # fmt: skip


class TaskListApi(APIView):
    rule = "takehome.view_tasks"

    @extend_schema(responses={200: TaskSerializer(many=True)}, operation_id="takehome_task_list")
    def get(self, request: Request) -> Response:
        tasks = TakeHomeTask.objects.select_related("dataset").order_by("title")
        return Response(TaskSerializer(tasks, many=True).data)


class RunSummarySerializer(serializers.ModelSerializer):
    data_version = serializers.CharField(source="dataset.version")

    class Meta:
        model = GradingRun
        fields = ["id", "purpose", "state", "verdict", "detail", "auto_score", "image", "data_version",
                  "grader_version", "created_at", "finished_at"]  # fmt: skip


class SubmissionSerializer(serializers.ModelSerializer):
    runs = RunSummarySerializer(many=True)

    class Meta:
        model = Submission
        fields = ["id", "number", "state", "detail", "archive_size", "sha256", "uploaded_at", "static_checks", "runs"]


class AssignmentOutputSerializer(serializers.ModelSerializer):
    candidate = serializers.SerializerMethodField()
    # null while a working window has not started
    deadline = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked = serializers.BooleanField(source="is_revoked")
    result = serializers.SerializerMethodField()
    submissions = SubmissionSerializer(many=True)

    class Meta:
        model = Assignment
        fields = ["id", "task", "candidate", "time_mode", "due_at", "window_hours", "opened_at", "extra_hours",
                  "deadline", "max_submissions", "revoked", "created_at", "result", "submissions"]  # fmt: skip

    def get_candidate(self, assignment: Assignment) -> dict[str, Any]:
        user = self.context["request"].user
        if selectors.identity_visible(user, assignment):
            return {"id": assignment.candidate_id, "name": assignment.candidate.full_name}
        return {"id": None, "name": str(assignment.alias)}

    def get_result(self, assignment: Assignment) -> dict[str, Any]:
        result = selectors.assignment_result(assignment)
        return {
            "auto_score": result.auto_score,
            "manual_score": result.manual_score,
            "combined": result.combined,
            "reviews": result.reviews,
            "graded_submission": result.submission.number if result.submission else None,
        }


class IssueInputSerializer(serializers.Serializer):
    task = serializers.PrimaryKeyRelatedField(queryset=TakeHomeTask.objects.all())
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all())
    time_mode = serializers.ChoiceField(choices=TimeMode.choices)
    due_at = serializers.DateTimeField(required=False)
    window_hours = serializers.IntegerField(required=False, min_value=1, max_value=24 * 30)
    max_submissions = serializers.IntegerField(required=False, min_value=1, max_value=20)


class IssueOutputSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    link = serializers.URLField(help_text="The candidate's secret link. Shown only in this response.")


def _assignment(request: Request, view: APIView, pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("task", "candidate").prefetch_related("submissions__runs__dataset"), pk=pk
    )
    view.check_object_permissions(request, assignment)
    return assignment


class AssignmentIssueApi(APIView):
    rule = "takehome.manage"

    @extend_schema(
        request=IssueInputSerializer,
        responses={201: IssueOutputSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="takehome_assignment_issue",
    )
    def post(self, request: Request) -> Response:
        serializer = IssueInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment, token = services.assignment_issue(actor=acting_user(request), **serializer.validated_data)
        link = request.build_absolute_uri(f"/t/{token}/")
        return Response({"assignment": assignment.pk, "link": link}, status=status.HTTP_201_CREATED)


class AssignmentDetailApi(APIView):
    rule = "takehome.view"

    @extend_schema(
        responses={200: AssignmentOutputSerializer, 404: ErrorSerializer}, operation_id="takehome_assignment"
    )
    def get(self, request: Request, pk: int) -> Response:
        assignment = _assignment(request, self, pk)
        return Response(AssignmentOutputSerializer(assignment, context={"request": request}).data)


class ExtendInputSerializer(serializers.Serializer):
    hours = serializers.IntegerField(min_value=1, max_value=24 * 30)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AssignmentExtendApi(APIView):
    rule = "takehome.manage"

    @extend_schema(
        request=ExtendInputSerializer,
        responses={200: AssignmentOutputSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
        operation_id="takehome_assignment_extend",
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = _assignment(request, self, pk)
        serializer = ExtendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assignment_extend(actor=acting_user(request), assignment=assignment, **serializer.validated_data)
        return Response(AssignmentOutputSerializer(assignment, context={"request": request}).data)


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AssignmentRevokeApi(APIView):
    rule = "takehome.manage"

    @extend_schema(
        request=RevokeInputSerializer,
        responses={200: AssignmentOutputSerializer, 409: ErrorSerializer},
        operation_id="takehome_assignment_revoke",
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = _assignment(request, self, pk)
        serializer = RevokeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assignment_revoke(actor=acting_user(request), assignment=assignment, **serializer.validated_data)
        return Response(AssignmentOutputSerializer(assignment, context={"request": request}).data)


class RunDetailSerializer(RunSummarySerializer):
    class Meta(RunSummarySerializer.Meta):
        fields = [*RunSummarySerializer.Meta.fields, "components", "metrics", "questions", "logs"]


class RunDetailApi(APIView):
    rule = "takehome.view"

    @extend_schema(responses={200: RunDetailSerializer, 404: ErrorSerializer}, operation_id="takehome_run")
    def get(self, request: Request, pk: int) -> Response:
        run = get_object_or_404(GradingRun.objects.select_related("submission__assignment", "dataset"), pk=pk)
        self.check_object_permissions(request, run.submission.assignment)
        return Response(RunDetailSerializer(run).data)


class SubmissionRegradeApi(APIView):
    rule = "takehome.manage"

    @extend_schema(
        request=None,
        responses={202: RunSummarySerializer, 404: ErrorSerializer, 409: ErrorSerializer},
        operation_id="takehome_submission_regrade",
    )
    def post(self, request: Request, pk: int) -> Response:
        submission = get_object_or_404(Submission.objects.select_related("assignment"), pk=pk)
        self.check_object_permissions(request, submission.assignment)
        run = services.submission_regrade(actor=acting_user(request), submission=submission)
        return Response(RunSummarySerializer(run).data, status=status.HTTP_202_ACCEPTED)
