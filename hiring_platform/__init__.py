"""The Django project. Not named `platform`: that would shadow Python's standard
library module of the same name, which `uuid` (and so Django) imports."""

from .celery import app as celery_app

__all__ = ["celery_app"]
