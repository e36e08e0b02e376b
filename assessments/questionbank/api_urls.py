from django.urls import path

from . import api

app_name = "questionbank-api"

urlpatterns = [
    path("", api.QuestionListApi.as_view(), name="list"),
    path("create/", api.QuestionCreateApi.as_view(), name="create"),
    path("topics/", api.TopicListApi.as_view(), name="topics"),
    path("import/", api.QuestionImportApi.as_view(), name="import"),
    path("<slug:key>/", api.QuestionDetailApi.as_view(), name="detail"),
    path("<slug:key>/update/", api.QuestionUpdateApi.as_view(), name="update"),
    path("<slug:key>/retire/", api.QuestionRetireApi.as_view(), name="retire"),
    path("<slug:key>/restore/", api.QuestionRestoreApi.as_view(), name="restore"),
    path("<slug:key>/versions/", api.QuestionVersionsApi.as_view(), name="versions"),
]
