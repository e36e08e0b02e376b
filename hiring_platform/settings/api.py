"""Django REST framework and the OpenAPI schema."""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous caller then gets 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every API view names the rule it needs.
    "DEFAULT_PERMISSION_CLASSES": ["hiring_platform.api.permissions.RuleRequired"],
    "DEFAULT_SCHEMA_CLASS": "hiring_platform.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "hiring_platform.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "hiring_platform.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Hiring assessment platform API",
    "DESCRIPTION": "Candidates, question bank, screening, take-home tasks, interviews and scores.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from validator.swagger.io: it would send our schema's address to a third party,
    # and the Content-Security-Policy (settings/csp.py) refuses images from other origins anyway.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "JobRoleEnum": "assessments.choices.JobRole",
        "LevelEnum": "assessments.choices.Level",
        "SandboxJobStateEnum": "sandbox.models.JobState",
        "GradingRunStateEnum": "assessments.takehome.models.RunState",
        "SubmissionStateEnum": "assessments.takehome.models.SubmissionState",
        "CandidateSourceEnum": "assessments.candidates.models.Source",
        "FlagSourceEnum": "assessments.screening.models.FlagSource",
        "ScreeningDecisionEnum": "assessments.screening.models.Decision",
        "HiringDecisionEnum": "assessments.interviews.decisions.DECISION_CHOICES",
    },
}
