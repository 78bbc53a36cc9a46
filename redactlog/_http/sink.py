"""Emit request records to a stdlib or structlog logger without ever raising."""

from __future__ import annotations

import logging

__all__ = ["DEFAULT_LOGGER_NAME", "EventSink"]

DEFAULT_LOGGER_NAME = "redactlog.http"


class EventSink:
    """Send request events to a stdlib logger (default ``redactlog.http``) or a structlog logger."""

    def __init__(self, logger: object | None = None) -> None:
        self.logger = logger if logger is not None else logging.getLogger(DEFAULT_LOGGER_NAME)

    def emit(self, event: str, fields: dict[str, object], *, level: int = logging.INFO) -> None:
        """Log *event* ("http.request.start", "http.request.end") with *fields*; never raises."""
        raise NotImplementedError
