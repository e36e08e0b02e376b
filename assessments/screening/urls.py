from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("checklists/", views.ChecklistListView.as_view(), name="checklists"),
    path("checklists/<slug:slug>/", views.ChecklistDetailView.as_view(), name="checklist"),
    path("checklists/<slug:slug>/flags/<slug:key>/", views.ChecklistFlagEditView.as_view(), name="flag_edit"),
    path("start/<int:candidate_pk>/", views.ScreeningStartView.as_view(), name="start"),
    path("<int:pk>/", views.ScreeningDetailView.as_view(), name="detail"),
    path("<int:pk>/status/", views.ScreeningStatusView.as_view(), name="status"),
    path("<int:pk>/flags/", views.ScreeningFlagAddView.as_view(), name="flag_add"),
    path("<int:pk>/flags/<slug:key>/", views.ScreeningFlagReviewView.as_view(), name="flag_review"),
    path("<int:pk>/decision/", views.ScreeningDecideView.as_view(), name="decide"),
]
