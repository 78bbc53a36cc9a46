"""stdlib ``logging`` integration (placeholder; filled in by the logging work)."""

from __future__ import annotations

import logging

from redactlog._engine import Redactor

__all__ = ["RedactingFilter", "RedactingFormatter", "install"]


class RedactingFilter(logging.Filter):
    """Redact every record that passes through a handler."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self.redactor = redactor if redactor is not None else Redactor()


class RedactingFormatter(logging.Formatter):
    """Wrap a formatter and redact what it produces."""


def install(redactor: Redactor | None = None, logger: logging.Logger | None = None) -> RedactingFilter:
    """Attach a :class:`RedactingFilter` to every handler of *logger* (the root logger by default)."""
    raise NotImplementedError
