from django.urls import path

from . import views

app_name = "interviews"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plans"),
    path("new/", views.PlanNewView.as_view(), name="new"),
    path("from-template/", views.PlanFromTemplateView.as_view(), name="from_template"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan"),
    path("<int:pk>/edit/", views.PlanBuilderView.as_view(), name="builder"),
    path("interviews/new/<int:candidate_pk>/", views.InterviewScheduleView.as_view(), name="schedule"),
    path("interviews/<int:pk>/kit/", views.KitView.as_view(), name="kit"),
    path("interviews/<int:pk>/kit.pdf", views.KitPdfView.as_view(), name="kit_pdf"),
    path("interviews/<int:pk>/scorecard/", views.ScorecardFormView.as_view(), name="scorecard_form"),
    path("scorecards/<int:pk>/", views.ScorecardDetailView.as_view(), name="scorecard"),
    path("scorecards/<int:pk>/reopen/", views.ScorecardReopenView.as_view(), name="scorecard_reopen"),
    path("evaluation/<int:candidate_pk>/", views.EvaluationView.as_view(), name="evaluation"),
    path("evaluation/<int:candidate_pk>/pdf/", views.EvaluationPdfView.as_view(), name="evaluation_pdf"),
]
