"""Root URL configuration. Every pattern here is covered by the authorization
matrix test (tests/test_authorization_matrix.py)."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hiring_platform import health
from hiring_platform.api.permissions import PublicEndpoint
from hiring_platform.metrics.views import metrics
from hiring_platform.web.api import DashboardApi, DashboardChartsApi
from hiring_platform.web.exports import PipelineCsvView
from hiring_platform.web.views import HomeView

api_v1: list[URLPattern | URLResolver] = [
    path("candidates/", include("assessments.candidates.api_urls")),
    path("questions/", include("assessments.questionbank.api_urls")),
    path("sandbox/", include("sandbox.api_urls")),
    path("takehome/", include("assessments.takehome.api_urls")),
    path("screening/", include("assessments.screening.api_urls")),
    path("audit/", include("hiring_platform.audit.api_urls")),
    path("", include("assessments.interviews.api_urls")),
    path("dashboard/", DashboardApi.as_view(), name="dashboard"),
    path("dashboard/charts/", DashboardChartsApi.as_view(), name="dashboard-charts"),
]

urlpatterns = [
    path("", HomeView.as_view(), name="web-home"),
    path("pipeline.csv", PipelineCsvView.as_view(), name="web-pipeline-csv"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("hiring_platform.accounts.urls")),
    path("candidates/", include("assessments.candidates.urls")),
    path("questions/", include("assessments.questionbank.urls")),
    path("takehome/", include("assessments.takehome.urls")),
    path("screening/", include("assessments.screening.urls")),
    path("plans/", include("assessments.interviews.urls")),
    path("audit/", include("hiring_platform.audit.urls")),
    path("t/", include("assessments.takehome.candidate_urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[PublicEndpoint]), name="api-schema"),
    # The split view serves Swagger UI's start-up script as /api/docs/?script, a script file
    # of our own origin: the page itself has no inline script, as the policy requires (settings/csp.py).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[PublicEndpoint]),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Hiring platform administration"
handler404 = "hiring_platform.api.errors.page_not_found"
