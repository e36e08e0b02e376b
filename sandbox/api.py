"""Watching a sandbox job: its state (queued, starting, running, grading, done),
attempts and verdict, for polling pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring_platform.api.serializers import ErrorSerializer

from .models import SandboxAttempt, SandboxJobRecord


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = SandboxAttempt
        fields = ["number", "verdict", "detail", "exit_code", "duration_seconds", "started_at", "finished_at"]


class JobStatusSerializer(serializers.ModelSerializer):
    attempts = AttemptSerializer(many=True, source="attempt_rows")

    class Meta:
        model = SandboxJobRecord
        fields = ["key", "kind", "state", "verdict", "attempts", "created_at", "updated_at", "finished_at"]


class SandboxJobStatusApi(APIView):
    rule = "sandbox.view_job"

    @extend_schema(responses={200: JobStatusSerializer, 404: ErrorSerializer}, operation_id="sandbox_job_status")
    def get(self, request: Request, key: str) -> Response:
        job = get_object_or_404(SandboxJobRecord.objects.prefetch_related("attempt_rows"), key=key)
        return Response(JobStatusSerializer(job).data)
