from django.urls import path

from . import api

app_name = "sandbox-api"

urlpatterns = [
    path("jobs/<str:key>/", api.SandboxJobStatusApi.as_view(), name="job-status"),
]
