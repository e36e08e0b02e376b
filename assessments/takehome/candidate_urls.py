"""The candidate's page: everything under /t/<token>/ (the token is the credential)."""

from django.urls import path

from . import candidate_views as views

app_name = "takehome-candidate"

urlpatterns = [
    path("<str:token>/", views.CandidateTaskView.as_view(), name="task"),
    path("<str:token>/start/", views.CandidateStartView.as_view(), name="start"),
    path("<str:token>/data/", views.CandidateDataView.as_view(), name="data"),
    path("<str:token>/upload/", views.CandidateUploadView.as_view(), name="upload"),
    path("<str:token>/status/", views.CandidateStatusView.as_view(), name="status"),
]
