from django.urls import path

from . import views

app_name = "takehome"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="tasks"),
    path("tasks/new/", views.TaskCreateView.as_view(), name="task_create"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/data/", views.TaskDataView.as_view(), name="task_data"),
    path("issue/<int:candidate_pk>/", views.AssignmentIssueView.as_view(), name="issue"),
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment"),
    path("assignments/<int:pk>/status/", views.AssignmentStatusView.as_view(), name="assignment_status"),
    path("assignments/<int:pk>/extend/", views.AssignmentExtendView.as_view(), name="assignment_extend"),
    path("assignments/<int:pk>/revoke/", views.AssignmentRevokeView.as_view(), name="assignment_revoke"),
    path("assignments/<int:pk>/link/", views.AssignmentNewLinkView.as_view(), name="assignment_link"),
    path("assignments/<int:pk>/review/", views.AssignmentReviewView.as_view(), name="assignment_review"),
    path("submissions/<int:pk>/", views.SubmissionDetailView.as_view(), name="submission"),
    path("submissions/<int:pk>/regrade/", views.SubmissionRegradeView.as_view(), name="submission_regrade"),
    path("submissions/<int:pk>/files/<int:index>/", views.SubmissionFileView.as_view(), name="submission_file"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("similarity/<int:pk>/", views.SimilarityView.as_view(), name="similarity"),
]
