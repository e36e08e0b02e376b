from django.urls import path

from . import api

app_name = "interviews-api"

urlpatterns = [
    path("plans/", api.PlanListApi.as_view(), name="plan-list"),
    path("plans/new/", api.PlanCreateApi.as_view(), name="plan-create"),
    path("plans/suggest/", api.PlanSuggestApi.as_view(), name="plan-suggest"),
    path("plans/<int:pk>/", api.PlanDetailApi.as_view(), name="plan-detail"),
    path("plans/<int:pk>/content/", api.PlanSaveApi.as_view(), name="plan-save"),
    path("plans/<int:pk>/copy/", api.PlanCopyApi.as_view(), name="plan-copy"),
    path("interviews/", api.InterviewScheduleApi.as_view(), name="interview-schedule"),
    path("interviews/<int:pk>/kit/", api.InterviewKitApi.as_view(), name="interview-kit"),
    path("interviews/<int:pk>/scorecard/", api.ScorecardOpenApi.as_view(), name="scorecard-open"),
    path("scorecards/<int:pk>/", api.ScorecardDetailApi.as_view(), name="scorecard-detail"),
    path("scorecards/<int:pk>/draft/", api.ScorecardDraftApi.as_view(), name="scorecard-draft"),
    path("scorecards/<int:pk>/submit/", api.ScorecardSubmitApi.as_view(), name="scorecard-submit"),
    path("scorecards/<int:pk>/reopen/", api.ScorecardReopenApi.as_view(), name="scorecard-reopen"),
    path("evaluations/<int:candidate_pk>/", api.EvaluationApi.as_view(), name="evaluation"),
    path("decisions/<int:candidate_pk>/", api.DecisionApi.as_view(), name="decision"),
]
