"""Scoring a take-home run: pure functions over the answers the grading client
collected (no Django, no Docker), so they are easy to test against reference
implementations."""
