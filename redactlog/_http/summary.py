"""Build the scrubbed, structured fields of request log records (no I/O).

This is the sans-IO core of the request loggers: WSGI, Flask and ASGI adapters
collect what they saw (method, path, query, headers, a bounded body prefix)
and hand it here; what comes back is safe to log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from redactlog._engine import Redactor

__all__ = ["DEFAULT_BODY_CAP", "RequestLogSettings", "summarize_request", "summarize_response"]

DEFAULT_BODY_CAP = 4096
"""Bytes of a request body the loggers read and log at most."""


@dataclass(frozen=True, slots=True)
class RequestLogSettings:
    """What the request loggers log, and how much.

    Args:
        body_cap: Bytes of the body read and logged at most.
        log_body: Whether to log the (scrubbed) body at all.
    """

    body_cap: int = DEFAULT_BODY_CAP
    log_body: bool = True


def summarize_request(  # noqa: PLR0913 - placeholder signature, see the HTTP work
    redactor: Redactor,
    settings: RequestLogSettings,
    *,
    method: str,
    path: str,
    query_string: bytes | str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    body_complete: bool,
) -> dict[str, object]:
    """Return the scrubbed fields of a request's start record."""
    raise NotImplementedError


def summarize_response(*, status: int | None, duration_s: float, exception: BaseException | None) -> dict[str, object]:
    """Return the fields of a request's end record (exceptions by type only)."""
    raise NotImplementedError
