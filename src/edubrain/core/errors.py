"""Typed errors raised by the core; the shell turns their codes into Chinese sentences."""

from __future__ import annotations


class CoreError(ValueError):
    """A rule violation with a stable code and the Chinese message users see."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
