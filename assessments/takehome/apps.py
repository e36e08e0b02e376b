from django.apps import AppConfig


class TakeHomeConfig(AppConfig):
    name = "assessments.takehome"
    label = "takehome"
    verbose_name = "Take-home tasks"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the app's permission rules)
