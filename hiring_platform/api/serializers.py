"""Serializers shared by the API of every app."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error shape, for the OpenAPI schema."""

    message = serializers.CharField()
    code = serializers.CharField()
    extra = serializers.DictField()
