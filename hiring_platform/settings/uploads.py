"""Limits of uploaded files."""

from .env import env

RESUME_MAX_BYTES = env.int("RESUME_MAX_BYTES", default=10 * 1024 * 1024)
