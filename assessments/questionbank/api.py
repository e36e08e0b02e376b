"""REST API of the question bank: one view per operation."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.choices import JobRole, Level
from hiring_platform.accounts.permissions import acting_user
from hiring_platform.api.pagination import PageNumberPagination
from hiring_platform.api.serializers import ErrorSerializer
from hiring_platform.errors import ApplicationError

from . import selectors, services
from .content import QuestionContent, content_from_mapping
from .importing.plan import import_document
from .models import Question, QuestionStatus, QuestionVersion, Topic


class BilingualSerializer(serializers.Serializer):
    en = serializers.CharField(allow_blank=True)
    ru = serializers.CharField(allow_blank=True)


class SourceSerializer(serializers.Serializer):
    document = serializers.CharField()
    ordinal = serializers.IntegerField()


class QuestionSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    topic = serializers.CharField(source="topic.slug")
    level = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    tags = serializers.ListField(child=serializers.CharField())
    time_minutes = serializers.IntegerField()
    status = serializers.CharField()
    prompt = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    plan_uses = serializers.IntegerField()
    interview_uses = serializers.IntegerField()

    def get_prompt(self, question: Question) -> dict[str, str]:
        return {"en": question.prompt_en, "ru": question.prompt_ru}


class QuestionDetailSerializer(QuestionSummarySerializer):
    answer = serializers.SerializerMethodField()
    tips = serializers.SerializerMethodField()
    key_points = BilingualSerializer(many=True)
    common_mistakes = BilingualSerializer(many=True)
    follow_ups = BilingualSerializer(many=True)
    sources = SourceSerializer(many=True, source="sources.all")

    def get_answer(self, question: Question) -> dict[str, str]:
        return {"en": question.answer_en, "ru": question.answer_ru}

    def get_tips(self, question: Question) -> dict[str, str]:
        return {"en": question.tips_en, "ru": question.tips_ru}


class QuestionInputSerializer(serializers.Serializer):
    """The bank's entry format (fixtures/questionbank/README.md), validated as a whole."""

    key = serializers.CharField(max_length=120)
    topic = serializers.CharField(max_length=64)
    level = serializers.ChoiceField(choices=Level.choices)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=JobRole.choices), min_length=1)
    time_minutes = serializers.IntegerField(min_value=1, max_value=90)
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, default=list)
    prompt = BilingualSerializer()
    answer = BilingualSerializer(required=False)
    tips = BilingualSerializer(required=False)
    key_points = BilingualSerializer(many=True)
    common_mistakes = BilingualSerializer(many=True, required=False, default=list)
    follow_ups = BilingualSerializer(many=True, required=False, default=list)
    provenance = SourceSerializer(many=True, required=False, default=list)

    def content(self) -> QuestionContent:
        topics = set(Topic.objects.values_list("slug", flat=True))
        mapping: dict[str, Any] = {**self.validated_data, "status": QuestionStatus.ACTIVE}
        content, errors = content_from_mapping(mapping, topics=topics)
        if content is None:
            raise serializers.ValidationError({"non_field_errors": errors})
        return content


class VersionSerializer(serializers.ModelSerializer):
    # null: versions written by an import command or the bank's loader have no author.
    created_by: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = QuestionVersion
        fields = ["number", "content", "note", "created_by", "created_at"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name_en", "name_ru"]


def _question(key: str) -> Question:
    try:
        return selectors.question_detail(key=key)
    except Question.DoesNotExist:
        raise Http404 from None


class QuestionListApi(APIView):
    rule = "questionbank.view"
    pagination_class = PageNumberPagination  # also documents the paginated answer

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=200, allow_blank=True)
        topic = serializers.SlugField(required=False)
        level = serializers.ChoiceField(choices=Level.choices, required=False)
        role = serializers.ChoiceField(choices=JobRole.choices, required=False)
        tag = serializers.CharField(required=False, max_length=64)
        source = serializers.CharField(required=False, max_length=200)  # type: ignore[assignment]
        status = serializers.ChoiceField(choices=QuestionStatus.choices, required=False)

        class Meta:
            ref_name = "QuestionFilter"

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: QuestionSummarySerializer(many=True), 400: ErrorSerializer},
        operation_id="questions_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.question_search(filters=filters.validated_data), request, self)
        return paginator.get_paginated_response(QuestionSummarySerializer(page, many=True).data)


class QuestionDetailApi(APIView):
    rule = "questionbank.view"

    @extend_schema(responses={200: QuestionDetailSerializer, 404: ErrorSerializer}, operation_id="questions_detail")
    def get(self, request: Request, key: str) -> Response:
        return Response(QuestionDetailSerializer(_question(key)).data)


class QuestionCreateApi(APIView):
    rule = "questionbank.change"

    @extend_schema(
        request=QuestionInputSerializer,
        responses={201: QuestionDetailSerializer, 400: ErrorSerializer},
        operation_id="questions_create",
    )
    def post(self, request: Request) -> Response:
        serializer = QuestionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        content = serializer.content()
        if Question.objects.filter(key=content.key).exists():
            raise ApplicationError(_("A question with this key already exists."), code="questionbank.key_taken")
        question = services.question_create(actor=acting_user(request), content=content)
        return Response(QuestionDetailSerializer(_question(question.key)).data, status=status.HTTP_201_CREATED)


class QuestionUpdateApi(APIView):
    rule = "questionbank.change"

    @extend_schema(
        request=QuestionInputSerializer,
        responses={200: QuestionDetailSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        operation_id="questions_update",
        description="Replace the question's content; a changed content becomes a new version.",
    )
    def post(self, request: Request, key: str) -> Response:
        question = _question(key)
        serializer = QuestionInputSerializer(data={**request.data, "key": key})
        serializer.is_valid(raise_exception=True)
        services.question_update(actor=acting_user(request), question=question, content=serializer.content())
        return Response(QuestionDetailSerializer(_question(key)).data)


class QuestionRetireApi(APIView):
    rule = "questionbank.change"

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300)

        class Meta:
            ref_name = "QuestionRetireInput"

    @extend_schema(
        request=InputSerializer,
        responses={200: QuestionDetailSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        operation_id="questions_retire",
    )
    def post(self, request: Request, key: str) -> Response:
        question = _question(key)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.question_retire(
            actor=acting_user(request), question=question, reason=serializer.validated_data["reason"]
        )
        return Response(QuestionDetailSerializer(_question(key)).data)


class QuestionRestoreApi(APIView):
    rule = "questionbank.change"

    @extend_schema(
        request=None,
        responses={200: QuestionDetailSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        operation_id="questions_restore",
    )
    def post(self, request: Request, key: str) -> Response:
        services.question_restore(actor=acting_user(request), question=_question(key))
        return Response(QuestionDetailSerializer(_question(key)).data)


class QuestionVersionsApi(APIView):
    rule = "questionbank.view"

    @extend_schema(
        responses={200: VersionSerializer(many=True), 404: ErrorSerializer}, operation_id="questions_versions"
    )
    def get(self, request: Request, key: str) -> Response:
        versions = selectors.question_versions(question=_question(key))
        return Response(VersionSerializer(versions, many=True).data)


class TopicListApi(APIView):
    rule = "questionbank.view"

    @extend_schema(responses={200: TopicSerializer(many=True)}, operation_id="questions_topics")
    def get(self, request: Request) -> Response:
        return Response(TopicSerializer(selectors.topics_all(), many=True).data)


class QuestionImportApi(APIView):
    rule = "questionbank.import"
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        document = serializers.FileField()
        apply = serializers.BooleanField(default=False, help_text="false: report only (preview); true: import.")

        class Meta:
            ref_name = "QuestionImportInput"

    class OutcomeSerializer(serializers.Serializer):
        line = serializers.IntegerField()
        action = serializers.CharField()
        key = serializers.CharField()
        prompt = serializers.CharField()
        reason = serializers.CharField()
        similarity = serializers.FloatField(allow_null=True)

    class ReportSerializer(serializers.Serializer):
        document = serializers.CharField()
        applied = serializers.BooleanField()
        counts = serializers.DictField(child=serializers.IntegerField())
        outcomes = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={200: ReportSerializer, 400: ErrorSerializer},
        operation_id="questions_import",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["document"]
        report = import_document(
            actor=acting_user(request),
            document=upload.name,
            data=upload.read(),
            apply=serializer.validated_data["apply"],
        )
        return Response(
            {
                "document": report.document,
                "applied": report.applied,
                "counts": report.counts(),
                "outcomes": [self.OutcomeSerializer(outcome).data for outcome in report.outcomes],
            }
        )
