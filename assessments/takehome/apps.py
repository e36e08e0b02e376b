from django.apps import AppConfig


class TakeHomeConfig(AppConfig):
    name = "assessments.takehome"
    label = "takehome"
    verbose_name = "Take-home tasks"
