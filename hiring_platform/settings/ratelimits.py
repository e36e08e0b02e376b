"""Rate limits per client address (django-ratelimit) and the lockout after failed
sign-ins (django-axes). Which endpoint has which limit: `hiring_platform/ratelimits.py`."""

from datetime import timedelta

from .env import env

# Counters live in the default cache (Redis), so every web process shares them.
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_CACHE_PREFIX = "ratelimit:"
RATELIMIT_IP_META_KEY = "hiring_platform.ratelimits.client_address"
# Each limit is "count/period" per client address, the period in s, m, h or d ("20/10m").
# Sign-in attempts (the sign-in page and the admin's): slows password guessing across accounts.
RATELIMIT_LOGIN = env.str("RATELIMIT_LOGIN", default="20/10m")
# Password reset requests and new-password forms: each request may send an e-mail.
RATELIMIT_PASSWORD_RESET = env.str("RATELIMIT_PASSWORD_RESET", default="10/h")
# Every request under a candidate's link (/t/<token>/...); the page polls its status every 2 s.
RATELIMIT_CANDIDATE_LINK = env.str("RATELIMIT_CANDIDATE_LINK", default="600/10m")
# Archive uploads through a candidate's link (each one is read and checked in full).
RATELIMIT_CANDIDATE_UPLOAD = env.str("RATELIMIT_CANDIDATE_UPLOAD", default="20/h")
# Unknown links: past this many from one address, every link answers 429 (a working
# one too, so the answer never tells a guessed link from a wrong one).
RATELIMIT_CANDIDATE_LINK_MISSES = env.str("RATELIMIT_CANDIDATE_LINK_MISSES", default="20/h")

# Lockout: after AXES_FAILURE_LIMIT failed sign-ins for one username, that account
# cannot sign in (not even with the right password) until AXES_COOLOFF_MINUTES pass
# without another attempt. Counted per username, not per address, so that guessing
# one account from many addresses is stopped too; RATELIMIT_LOGIN covers one address
# trying many accounts. Attempts and lockouts are listed in the Django admin (Axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes warns that this lockout ignores addresses; per-address limits are RATELIMIT_LOGIN's.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "hiring_platform.ratelimits.lockout_response"
AXES_CLIENT_IP_CALLABLE = "hiring_platform.audit.origin.client_ip"  # None when unknown (a test request)
