"""`make test`: real PostgreSQL, Redis, Celery and Docker; only slow hashing is swapped."""

from .base import *

SECRET_KEY = SECRET_KEY or "test-only-key"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Short limits so that the worker-loss test waits a minute, not an hour (yet long
# enough for a reference solution's hidden run); the visibility timeout stays
# above the hard limit, as in production.
SANDBOX_TASK_SOFT_TIME_LIMIT = 45
SANDBOX_TASK_TIME_LIMIT = 50
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60,
    "unacked_restore_interval": 1,  # look for unacknowledged tasks every 10 s (every 10th tick)
}

# Several test runs on one machine (e.g. parallel work in one checkout) each name their own database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_hiring")}
