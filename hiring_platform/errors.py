"""Errors that services raise. Web views show `message`; the API answers with
the one error shape (see `hiring_platform.api.errors`)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the domain was broken by the caller's input. `code` is stable
    per app (`candidates.stage_unchanged`), `message` is translated text."""

    status = 400

    def __init__(self, message: str, *, code: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """The object changed under the caller (e.g. a guarded state transition lost a race)."""

    status = 409
