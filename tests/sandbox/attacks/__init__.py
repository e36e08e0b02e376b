"""Hostile submissions, each with the verdict it must get. The programs are
written to exit 0 only when the sandbox held (nothing escaped); a program that
gets out exits non-zero and the verdict is then `crashed`, failing the test."""
