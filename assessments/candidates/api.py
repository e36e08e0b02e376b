"""REST API for candidates: one view per operation, input and output serializers beside it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.choices import JobRole, Level
from hiring_platform.accounts.permissions import acting_user
from hiring_platform.accounts.roles import Role
from hiring_platform.accounts.selectors import users_with_role
from hiring_platform.api.pagination import PageNumberPagination
from hiring_platform.api.serializers import ErrorSerializer

from . import selectors, services
from .erasure import candidate_erase
from .models import Candidate, CandidateEvent, Source, Stage


class CandidateOutputSerializer(serializers.ModelSerializer):
    owner: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(read_only=True)
    interviewers: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    has_resume = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "full_name",
            "email",
            "phone",
            "profile_url",
            "role",
            "level",
            "source",
            "stage",
            "owner",
            "interviewers",
            "notes",
            "has_resume",
            "resume_name",
            "resume_content_type",
            "resume_size",
            "created_at",
            "updated_at",
            "erased_at",
        ]

    def get_has_resume(self, candidate: Candidate) -> bool:
        return bool(candidate.resume)


class CandidateInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    profile_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=JobRole.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    source = serializers.ChoiceField(choices=Source.choices, required=False)  # type: ignore[assignment]
    owner = serializers.PrimaryKeyRelatedField(queryset=users_with_role(Role.RECRUITER), required=False)
    interviewers = serializers.PrimaryKeyRelatedField(
        queryset=users_with_role(Role.INTERVIEWER), many=True, required=False
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)

    def validate_full_name(self, value: str) -> str:
        name = " ".join(value.split())
        if not name:
            raise serializers.ValidationError("This field may not be blank.")
        return name


class CandidateEventSerializer(serializers.ModelSerializer):
    actor: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CandidateEvent
        fields = ["id", "kind", "actor", "before", "after", "reason", "created_at"]


def _get_candidate(view: APIView, request: Request, pk: int) -> Candidate:
    candidate = get_object_or_404(Candidate.objects.select_related("owner"), pk=pk)
    view.check_object_permissions(request, candidate)
    return candidate


class CandidateListApi(APIView):
    rule = "candidates.view"
    pagination_class = PageNumberPagination  # also documents the paginated answer

    class FilterSerializer(serializers.Serializer):
        search = serializers.CharField(required=False, max_length=200)
        stage = serializers.ChoiceField(choices=Stage.choices, required=False)
        role = serializers.ChoiceField(choices=JobRole.choices, required=False)
        level = serializers.ChoiceField(choices=Level.choices, required=False)
        source = serializers.ChoiceField(choices=Source.choices, required=False)  # type: ignore[assignment]
        owner = serializers.IntegerField(required=False, min_value=1)

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: CandidateOutputSerializer(many=True), 400: ErrorSerializer},
        operation_id="candidates_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = selectors.candidate_list(user=request.user, filters=filters.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(CandidateOutputSerializer(page, many=True).data)


class CandidateCreateApi(APIView):
    rule = "candidates.create"

    @extend_schema(
        request=CandidateInputSerializer,
        responses={201: CandidateOutputSerializer, 400: ErrorSerializer},
        operation_id="candidates_create",
    )
    def post(self, request: Request) -> Response:
        serializer = CandidateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.setdefault("owner", acting_user(request))
        candidate = services.candidate_create(actor=acting_user(request), **data)
        return Response(CandidateOutputSerializer(candidate).data, status=status.HTTP_201_CREATED)


class CandidateDetailApi(APIView):
    rule = "candidates.view"

    @extend_schema(responses={200: CandidateOutputSerializer, 404: ErrorSerializer}, operation_id="candidates_detail")
    def get(self, request: Request, pk: int) -> Response:
        return Response(CandidateOutputSerializer(_get_candidate(self, request, pk)).data)


class CandidateUpdateApi(APIView):
    rule = "candidates.change"

    @extend_schema(
        request=CandidateInputSerializer(partial=True),
        responses={200: CandidateOutputSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        operation_id="candidates_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        candidate = _get_candidate(self, request, pk)
        serializer = CandidateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        candidate = services.candidate_update(
            actor=acting_user(request), candidate=candidate, **serializer.validated_data
        )
        return Response(CandidateOutputSerializer(candidate).data)


class CandidateStageApi(APIView):
    rule = "candidates.change_stage"

    class InputSerializer(serializers.Serializer):
        stage = serializers.ChoiceField(choices=Stage.choices)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

        class Meta:
            ref_name = "CandidateStageInput"

    @extend_schema(
        request=InputSerializer,
        responses={200: CandidateOutputSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
        operation_id="candidates_change_stage",
    )
    def post(self, request: Request, pk: int) -> Response:
        candidate = _get_candidate(self, request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = services.candidate_change_stage(
            actor=acting_user(request),
            candidate=candidate,
            to_stage=serializer.validated_data["stage"],
            reason=serializer.validated_data["reason"],
        )
        return Response(CandidateOutputSerializer(candidate).data)


class CandidateResumeApi(APIView):
    rule = "candidates.upload_resume"
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        resume = serializers.FileField()

        class Meta:
            ref_name = "CandidateResumeInput"

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={200: CandidateOutputSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        operation_id="candidates_upload_resume",
    )
    def post(self, request: Request, pk: int) -> Response:
        candidate = _get_candidate(self, request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = services.candidate_upload_resume(
            actor=acting_user(request), candidate=candidate, upload=serializer.validated_data["resume"]
        )
        return Response(CandidateOutputSerializer(candidate).data)


class CandidateTimelineApi(APIView):
    rule = "candidates.view"
    pagination_class = PageNumberPagination  # also documents the paginated answer

    @extend_schema(
        responses={200: CandidateEventSerializer(many=True), 404: ErrorSerializer},
        operation_id="candidates_timeline",
    )
    def get(self, request: Request, pk: int) -> Response:
        candidate = _get_candidate(self, request, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.candidate_timeline(candidate=candidate), request, view=self)
        return paginator.get_paginated_response(CandidateEventSerializer(page, many=True).data)


class CandidateEraseApi(APIView):
    """Erase the candidate's personal data (anonymise; the scores stay). Cannot be undone."""

    rule = "candidates.erase"

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

        class Meta:
            ref_name = "CandidateEraseInput"

    @extend_schema(
        request=InputSerializer,
        responses={200: CandidateOutputSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
        operation_id="candidates_erase",
    )
    def post(self, request: Request, pk: int) -> Response:
        candidate = _get_candidate(self, request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = candidate_erase(
            actor=acting_user(request), candidate=candidate, reason=serializer.validated_data["reason"]
        )
        return Response(CandidateOutputSerializer(candidate).data)
