"""The Celery application; tasks live in each app's `tasks.py`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring_platform.settings.production")

app = Celery("hiring_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
