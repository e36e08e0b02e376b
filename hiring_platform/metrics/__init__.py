"""Prometheus metrics for operators: `/metrics` (views.py), request latency
(middleware.py) and figures read at scrape time (collectors.py, selectors.py)."""
