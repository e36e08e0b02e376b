from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "assessments.screening"
    label = "screening"
    verbose_name = "Resume screening"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the app's permission rules)
