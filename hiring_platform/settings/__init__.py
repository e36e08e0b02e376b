"""Settings split by topic: base (shared), local, test, production.

`base` reads every value from the environment through one `env` reader; the
topic modules (`celery`, `api`, `sandbox`) are star-imported by `base`.
"""
