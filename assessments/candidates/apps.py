from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "assessments.candidates"
    label = "candidates"
    verbose_name = "Candidates"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the app's permission rules)
