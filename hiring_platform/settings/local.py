"""`make run`: the platform on a developer's machine, over plain HTTP on localhost."""

from .base import *
from .env import env

SECRET_KEY = SECRET_KEY or "local-only-insecure-key-set-SECRET_KEY"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
