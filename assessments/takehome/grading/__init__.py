"""Scoring a take-home run: pure functions over the answers the grading client
collected (no Django, no Docker), so they are easy to test against reference
implementations."""

# Stored with every run; bump it whenever a change here can change a score, so
# a re-grade shows which grader produced which figures.
GRADER_VERSION = "2026.12.2"
