from django.urls import path

from . import views

app_name = "questionbank"

urlpatterns = [
    path("", views.QuestionListView.as_view(), name="list"),
    path("new/", views.QuestionCreateView.as_view(), name="create"),
    path("import/", views.QuestionImportView.as_view(), name="import"),
    path("import/confirm/", views.QuestionImportConfirmView.as_view(), name="import_confirm"),
    path("<slug:key>/", views.QuestionDetailView.as_view(), name="detail"),
    path("<slug:key>/edit/", views.QuestionEditView.as_view(), name="edit"),
    path("<slug:key>/retire/", views.QuestionRetireView.as_view(), name="retire"),
    path("<slug:key>/restore/", views.QuestionRestoreView.as_view(), name="restore"),
]
