from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hiring_platform.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the app's permission rules)
