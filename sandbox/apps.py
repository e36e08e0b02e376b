from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The Django side of the sandbox: job records, services and Celery tasks.
    The runner itself (runner, extract, limits, job) imports no Django."""

    name = "sandbox"
    label = "sandbox"
    verbose_name = "Sandbox jobs"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the app's permission rules)
