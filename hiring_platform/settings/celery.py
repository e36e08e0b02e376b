"""Celery: Redis is the broker; results are stored in our own tables, not Celery's."""

from .env import env, secret

CELERY_BROKER_URL = secret("CELERY_BROKER_URL") or secret("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Above every task's hard time limit (SANDBOX_TASK_TIME_LIMIT included).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TASK_ROUTES = {"sandbox.tasks.*": {"queue": "sandbox"}}
CELERY_BEAT_SCHEDULE_FILENAME = env.str("CELERY_BEAT_SCHEDULE_FILENAME", default="celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sandbox-sweep": {"task": "sandbox.tasks.sandbox_jobs_sweep_task", "schedule": 60.0},
    "takehome-sweep": {"task": "assessments.takehome.tasks.takehome_sweep_task", "schedule": 60.0},
    "scorecard-reminders": {"task": "assessments.interviews.tasks.scorecard_reminders_task", "schedule": 900.0},
    "candidate-scores-sweep": {"task": "assessments.interviews.tasks.candidate_scores_sweep_task", "schedule": 60.0},
}
