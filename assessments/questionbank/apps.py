from django.apps import AppConfig


class QuestionBankConfig(AppConfig):
    name = "assessments.questionbank"
    label = "questionbank"
    verbose_name = "Question bank"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the app's permission rules)
