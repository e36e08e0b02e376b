"""REST API of the audit log (read-only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring_platform.api.pagination import PageNumberPagination
from hiring_platform.api.serializers import ErrorSerializer

from .models import AuditAction, AuditEvent
from .selectors import audit_event_list


class AuditEventOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor_id",
            "actor_username",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "detail",
            "ip_address",
            "origin",
        ]


class AuditEventListApi(APIView):
    rule = "audit.view"
    pagination_class = PageNumberPagination  # also documents the paginated answer

    class FilterSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
        actor = serializers.CharField(required=False, max_length=150)
        date_from = serializers.DateField(required=False)
        date_to = serializers.DateField(required=False)

        class Meta:
            ref_name = "AuditEventFilter"

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
                raise serializers.ValidationError({"date_to": [_("The end date is before the start date.")]})
            return attrs

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: AuditEventOutputSerializer(many=True), 400: ErrorSerializer},
        operation_id="audit_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(audit_event_list(filters=filters.validated_data), request, view=self)
        return paginator.get_paginated_response(AuditEventOutputSerializer(page, many=True).data)
