from django.urls import path

from . import api

app_name = "audit-api"

urlpatterns = [
    path("", api.AuditEventListApi.as_view(), name="list"),
]
