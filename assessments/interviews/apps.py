from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "assessments.interviews"
    label = "interviews"
    verbose_name = "Interview plans and interviews"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the app's permission rules)
