"""Log scrubbed HTTP requests from any WSGI application (Flask, Django, Falcon, ...).

:class:`RequestLoggingMiddleware` wraps a WSGI application. For every request
it writes two records through the shared request-log core
(:mod:`redactlog._http`):

* ``http.request.start`` *before* the wrapped application runs: method,
  scrubbed path and query string, allow-listed headers with credentials and
  signatures masked, and the body scrubbed and capped;
* ``http.request.end`` when the server closes the response: status, duration
  and the type (never the message) of an exception.

The body is *peeked*: at most ``body_cap`` bytes are read from
``wsgi.input``, and the stream is replaced by one that yields those bytes and
then the untouched rest. The application reads the wire bytes unchanged and
can still stream them. This module imports nothing but the standard library
and redactlog's core.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, TypeAlias

from redactlog._engine import Redactor
from redactlog._http.environ import summarize_environ
from redactlog._http.sink import END_EVENT, START_EVENT, EventSink
from redactlog._http.summary import DEFAULT_BODY_CAP, RequestLogSettings, RequestSummarizer, summarize_response
from redactlog.exceptions import ConfigurationError

__all__ = [
    "END_EVENT",
    "START_EVENT",
    "RequestLogSettings",
    "RequestLoggingMiddleware",
    "StartResponse",
    "WSGIApplication",
    "WSGIEnvironment",
]

WSGIEnvironment: TypeAlias = dict[str, Any]
"""A WSGI environ (PEP 3333)."""

_ExcInfo: TypeAlias = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]

StartResponse: TypeAlias = Callable[..., Callable[[bytes], object]]
"""The ``start_response`` callable (status, headers, optional exc_info)."""

WSGIApplication: TypeAlias = Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]
"""A WSGI application."""


class RequestLoggingMiddleware:
    """Log every HTTP request, scrubbed, before the wrapped WSGI application sees it.

    Wrap the application *last*, so that this is the outermost middleware and
    logs before any other middleware (a signature check, ``ProxyFix``) runs::

        app.wsgi_app = RequestLoggingMiddleware(app.wsgi_app, redactor=Redactor())

    For Flask, :class:`redactlog.flask.RequestLogger` is usually the better
    choice: it knows the per-request body limits and the route. Use this
    middleware when the signature check itself is WSGI middleware, or for
    non-Flask applications.

    The middleware keeps no per-request state on itself, so one instance
    serves any number of threads.

    Args:
        app: The WSGI application to wrap.
        redactor: The redactor that scrubs every logged value; ``None``
            builds a default :class:`~redactlog.Redactor` once, here.
        logger: A stdlib or structlog logger; ``None`` for the stdlib logger
            ``redactlog.http``.
        body_cap: Bytes of the body read and logged at most.
        log_body: Whether to read and log the body at all.
        max_content_length: Bodies declared larger than this are not read:
            the application will reject them (pass the same limit it uses,
            e.g. Flask's ``MAX_CONTENT_LENGTH``).
        settings: Further request-log settings; its ``body_cap`` and
            ``log_body`` are replaced by the arguments above.

    Raises:
        ConfigurationError: If *body_cap* is negative or *max_content_length*
            is negative.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_max_content_length", "_sink", "_summarizer", "app")

    def __init__(  # noqa: PLR0913 - keyword-only configuration
        self,
        app: WSGIApplication,
        *,
        redactor: Redactor | None = None,
        logger: object | None = None,
        body_cap: int = DEFAULT_BODY_CAP,
        log_body: bool = True,
        max_content_length: int | None = None,
        settings: RequestLogSettings | None = None,
    ) -> None:
        if max_content_length is not None and (type(max_content_length) is not int or max_content_length < 0):
            msg = f"max_content_length must be a non-negative int or None, not {max_content_length!r}"
            raise ConfigurationError(msg)
        base = settings if settings is not None else RequestLogSettings()
        self.app = app
        # replace() re-runs the settings' validation of body_cap.
        settings = dataclasses.replace(base, body_cap=body_cap, log_body=log_body)
        self._summarizer = RequestSummarizer(redactor if redactor is not None else Redactor(), settings)
        self._sink = EventSink(logger)
        self._max_content_length = max_content_length

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Log the request, call the application, and log the end when the response is closed."""
        exchange = _Exchange(self._sink)
        if self._sink.is_enabled():
            fields = summarize_environ(
                self._summarizer,
                environ,
                max_content_length=self._max_content_length,
            )
            exchange.emit(START_EVENT, fields)
        else:
            exchange.silent = True
        try:
            result = self.app(environ, exchange.start_response(start_response))
        except BaseException as exc:
            exchange.finish(exc)
            raise
        return _LoggedResponse(result, exchange)


class _Exchange:
    """One request's end-record state: status, start time, whether it was logged."""

    __slots__ = ("done", "silent", "sink", "started", "status")

    def __init__(self, sink: EventSink) -> None:
        self.sink = sink
        self.started = time.perf_counter()
        self.status: int | None = None
        self.done = False
        self.silent = False

    def start_response(self, start_response: StartResponse) -> StartResponse:
        def observed(status: str, headers: list[tuple[str, str]], exc_info: _ExcInfo | None = None) -> object:
            self.status = _status_code(status)
            if exc_info is None:
                return start_response(status, headers)
            return start_response(status, headers, exc_info)

        return observed  # type: ignore[return-value]  # the same callable shape, precisely typed

    def finish(self, exception: BaseException | None) -> None:
        """Write the end record once, whatever calls it first (close, an error)."""
        if self.done:
            return
        self.done = True
        if self.silent:
            return
        try:
            fields = summarize_response(
                status=self.status,
                duration_s=time.perf_counter() - self.started,
                exception=exception,
            )
        except Exception as exc:  # noqa: BLE001 - the response is out; never raise now
            fields = {"summary_error": type(exc).__name__}
        self.emit(END_EVENT, fields, level=logging.INFO if exception is None else logging.ERROR)

    def emit(self, event: str, fields: dict[str, object], *, level: int = logging.INFO) -> None:
        # The sink promises not to raise; this guards against a broken logger anyway.
        with contextlib.suppress(Exception):
            self.sink.emit(event, fields, level=level)


class _LoggedResponse:
    """The application's response iterable, with the end record written on ``close()``."""

    __slots__ = ("_exchange", "_result")

    def __init__(self, result: Iterable[bytes], exchange: _Exchange) -> None:
        self._result = result
        self._exchange = exchange

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._result
        except GeneratorExit:
            raise  # the server stopped iterating (client gone): close() follows
        except BaseException as exc:
            self._exchange.finish(exc)
            raise

    def close(self) -> None:
        """Close the application's iterable (PEP 3333), then write the end record."""
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        except BaseException as exc:
            self._exchange.finish(exc)
            raise
        self._exchange.finish(None)


def _status_code(status: str) -> int | None:
    try:
        return int(status.split(None, 1)[0])
    except (ValueError, IndexError, AttributeError):
        return None
