"""structlog integration (placeholder; filled in by the logging work)."""

from __future__ import annotations

from redactlog._engine import Redactor

__all__ = ["RedactingProcessor"]


class RedactingProcessor:
    """A structlog processor that redacts the event dict."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        self.redactor = redactor if redactor is not None else Redactor()
