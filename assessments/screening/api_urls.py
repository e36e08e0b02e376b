from django.urls import path

from . import api

app_name = "screening-api"

urlpatterns = [
    path("checklists/", api.ChecklistListApi.as_view(), name="checklist-list"),
    path("", api.ScreeningStartApi.as_view(), name="start"),
    path("<int:pk>/", api.ScreeningDetailApi.as_view(), name="detail"),
    path("<int:pk>/flags/", api.ScreeningFlagAddApi.as_view(), name="flag-add"),
    path("<int:pk>/flags/<slug:key>/", api.ScreeningFlagReviewApi.as_view(), name="flag-review"),
    path("<int:pk>/decision/", api.ScreeningDecideApi.as_view(), name="decide"),
]
