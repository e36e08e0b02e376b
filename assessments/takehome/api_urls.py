from django.urls import path

from . import api

app_name = "takehome-api"

urlpatterns = [
    path("tasks/", api.TaskListApi.as_view(), name="task-list"),
    path("assignments/", api.AssignmentIssueApi.as_view(), name="assignment-issue"),
    path("assignments/<int:pk>/", api.AssignmentDetailApi.as_view(), name="assignment-detail"),
    path("assignments/<int:pk>/extend/", api.AssignmentExtendApi.as_view(), name="assignment-extend"),
    path("assignments/<int:pk>/revoke/", api.AssignmentRevokeApi.as_view(), name="assignment-revoke"),
    path("runs/<int:pk>/", api.RunDetailApi.as_view(), name="run-detail"),
    path("submissions/<int:pk>/regrade/", api.SubmissionRegradeApi.as_view(), name="submission-regrade"),
]
