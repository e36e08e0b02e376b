from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hiring_platform.web"
    label = "web"
    verbose_name = "Web layout and dashboard"

    def ready(self) -> None:
        from . import rules  # noqa: F401
