"""Limits of uploaded files."""

from .env import env

RESUME_MAX_BYTES = env.int("RESUME_MAX_BYTES", default=10 * 1024 * 1024)
# A take-home archive (.zip / .tar.gz): checked in the browser before the upload,
# from Content-Length before the body is read, and on the bytes received.
TAKEHOME_ARCHIVE_MAX_BYTES = env.int("TAKEHOME_ARCHIVE_MAX_BYTES", default=20 * 1024 * 1024)
# Each of a take-home task's three data files (JSON Lines) uploaded from the task's page.
TASK_DATA_MAX_BYTES = env.int("TASK_DATA_MAX_BYTES", default=50 * 1024 * 1024)
