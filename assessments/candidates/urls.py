from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("", views.CandidateListView.as_view(), name="list"),
    path("new/", views.CandidateCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CandidateDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CandidateEditView.as_view(), name="edit"),
    path("<int:pk>/stage/", views.CandidateStageView.as_view(), name="stage"),
    path("<int:pk>/resume/", views.CandidateResumeUploadView.as_view(), name="resume_upload"),
    path("<int:pk>/resume/download/", views.CandidateResumeDownloadView.as_view(), name="resume_download"),
    path("<int:pk>/erase/", views.CandidateEraseView.as_view(), name="erase"),
]
