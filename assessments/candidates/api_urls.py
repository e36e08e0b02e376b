from django.urls import path

from . import api

app_name = "candidates-api"

urlpatterns = [
    path("", api.CandidateListApi.as_view(), name="list"),
    path("create/", api.CandidateCreateApi.as_view(), name="create"),
    path("<int:pk>/", api.CandidateDetailApi.as_view(), name="detail"),
    path("<int:pk>/update/", api.CandidateUpdateApi.as_view(), name="update"),
    path("<int:pk>/stage/", api.CandidateStageApi.as_view(), name="stage"),
    path("<int:pk>/resume/", api.CandidateResumeApi.as_view(), name="resume"),
    path("<int:pk>/timeline/", api.CandidateTimelineApi.as_view(), name="timeline"),
    path("<int:pk>/erase/", api.CandidateEraseApi.as_view(), name="erase"),
]
