from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The Django side of the sandbox: job records, services and Celery tasks.
    The runner itself (runner, extract, limits, job) imports no Django."""

    name = "sandbox"
    label = "sandbox"
    verbose_name = "Sandbox jobs"
