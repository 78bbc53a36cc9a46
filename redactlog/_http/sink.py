"""Emit request records to a stdlib or structlog logger without ever raising."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULT_LOGGER_NAME", "END_EVENT", "START_EVENT", "EventSink"]

DEFAULT_LOGGER_NAME = "redactlog.http"
"""The stdlib logger request records go to unless another logger is given."""

START_EVENT = "http.request.start"
"""Event name of the record written before the application runs."""

END_EVENT = "http.request.end"
"""Event name of the record written when the response is done."""

# Attributes every LogRecord has: an ``extra`` key among them makes
# Logger.makeRecord raise KeyError, so such fields are renamed instead.
_RESERVED = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
# Fields worth repeating in the message for plain-text formatters, in order.
_HEADLINE = ("method", "path", "status")


class EventSink:
    """Send request events to a stdlib logger (default ``redactlog.http``) or a structlog logger.

    Stdlib loggers receive the fields as ``extra`` (so JSON formatters see
    each one as a top-level key) and a short readable message that starts
    with the event name. Any other logger is treated as structlog-like:
    ``logger.info(event, **fields)``.

    Args:
        logger: A :class:`logging.Logger` or :class:`logging.LoggerAdapter`,
            a structlog logger, or ``None`` for ``logging.getLogger("redactlog.http")``.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_stdlib", "logger")

    def __init__(self, logger: object | None = None) -> None:
        self.logger = logger if logger is not None else logging.getLogger(DEFAULT_LOGGER_NAME)
        self._stdlib = isinstance(self.logger, logging.Logger | logging.LoggerAdapter)

    def is_enabled(self, level: int = logging.INFO) -> bool:
        """Return whether a record at *level* would be handled (always ``True`` for structlog)."""
        if not self._stdlib:
            return True
        try:
            return bool(self.logger.isEnabledFor(level))  # type: ignore[attr-defined]  # stdlib checked above
        except Exception:  # noqa: BLE001 - a broken logger: build the record, emit will cope
            return True

    def emit(self, event: str, fields: Mapping[str, object], *, level: int = logging.INFO) -> None:
        """Log *event* (``"http.request.start"``, ``"http.request.end"``) with *fields*; never raises.

        *fields* must already be scrubbed: the sink adds nothing but the
        event name and repeats only fields in the message.
        """
        try:
            if self._stdlib:
                self._emit_stdlib(event, fields, level)
            else:
                self._emit_structlog(event, fields, level)
        except Exception:  # noqa: BLE001 - logging must never fail the request it describes
            pass

    def _emit_stdlib(self, event: str, fields: Mapping[str, object], level: int) -> None:
        logger = self.logger
        if not logger.isEnabledFor(level):  # type: ignore[attr-defined]  # stdlib checked in __init__
            return
        extra: dict[str, object] = {"event": event, **fields}
        if not _RESERVED.isdisjoint(fields):
            extra = {"event": event}
            for key, value in fields.items():
                extra[f"http_{key}" if key in _RESERVED else key] = value
        message = _message(event, fields)
        if isinstance(logger, logging.Logger):  # the common case, without the adapter walk below
            logger.log(level, message, extra=extra)
            return
        kwargs: dict[str, Any] = {"extra": extra}
        target: object = logger
        # LoggerAdapter.process() replaces ``extra`` with the adapter's own
        # (before Python 3.13): run each adapter's process() for its message and
        # context, then merge, so the request fields survive. No args are passed:
        # a "%" in a scrubbed path must not be taken for a format.
        while isinstance(target, logging.LoggerAdapter):
            message, processed = target.process(message, dict(kwargs))
            kwargs = {**processed, "extra": {**(processed.get("extra") or {}), **extra}}
            target = target.logger
        if isinstance(target, logging.Logger):
            target.log(level, message, **kwargs)

    def _emit_structlog(self, event: str, fields: Mapping[str, object], level: int) -> None:
        name = logging.getLevelName(level).lower()
        method = getattr(self.logger, name if name in ("debug", "info", "warning", "error", "critical") else "info")
        method(event, **fields)


def _message(event: str, fields: Mapping[str, object]) -> str:
    parts = [event]
    for key in _HEADLINE:
        if key in fields:
            parts.append(str(fields[key]))  # noqa: PERF401 - a loop of three: cheaper than a generator
    if "duration_ms" in fields:
        parts.append(f"{fields['duration_ms']}ms")
    if "exception" in fields:
        parts.append(str(fields["exception"]))
    return " ".join(parts)
