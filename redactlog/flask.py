"""Flask extension: log every request, scrubbed, before any of the application's code runs.

::

    from flask import Flask
    from redactlog import Redactor
    from redactlog.flask import RequestLogger

    request_logger = RequestLogger(redactor=Redactor())

    def create_app() -> Flask:
        app = Flask(__name__)
        request_logger.init_app(app)
        return app

The start record is written from Flask's ``request_started`` signal, which
Flask sends before every ``url_value_preprocessor``, every app and blueprint
``before_request`` function (whatever their registration order) and the view
with its decorators. So a signature check placed anywhere in the application
runs after the request is logged. This module imports Flask; ``import
redactlog`` does not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from typing import Any

from flask import Flask, Request, Response, request
from flask.signals import got_request_exception, request_finished, request_started, request_tearing_down

from redactlog._engine import Redactor
from redactlog._http.environ import summarize_environ
from redactlog._http.sink import END_EVENT, START_EVENT, EventSink
from redactlog._http.summary import DEFAULT_BODY_CAP, RequestLogSettings, RequestSummarizer, summarize_response
from redactlog.exceptions import ConfigurationError

__all__ = ["EXTENSION_KEY", "RequestLogSettings", "RequestLogger"]

EXTENSION_KEY = "redactlog"
"""The key of the extension in ``app.extensions``."""

# Per-request state lives in the WSGI environ: it is per request by
# construction and never outlives the request. The key names the app, so an
# app that hands its environ to another app (dispatching) keeps its own.
_ENVIRON_KEY = "redactlog.flask.{}"


@dataclasses.dataclass(slots=True)
class _Exchange:
    """What one request's end record needs, gathered from the signals."""

    started: float
    status: int | None = None
    exception: BaseException | None = None


class RequestLogger:
    """A Flask extension that logs each request before the application's own code sees it.

    ``RequestLogger(app)`` or, with an application factory,
    ``RequestLogger()`` and later ``init_app(app)``; one instance may serve
    several applications in one process, and each application logs only its
    own requests. The application object is never stored on the extension.

    Two records per request: ``http.request.start`` (method, scrubbed path,
    query string, headers and capped body, plus the matched ``route``
    template) and ``http.request.end`` (status, duration, exception type).
    The body is peeked from ``wsgi.input`` and put back, so the view reads
    the identical bytes, ``request.stream`` still streams, ``request.form``
    and ``request.data`` behave as without the extension, and
    ``MAX_CONTENT_LENGTH`` and per-request ``request.max_content_length``
    still apply. A body declared larger than ``MAX_CONTENT_LENGTH`` is not
    read (``body_not_read``).

    Args:
        app: The application to register with now, or ``None``.
        redactor: The redactor that scrubs every logged value; ``None``
            builds a default :class:`~redactlog.Redactor` once, here.
        logger: A stdlib or structlog logger; ``None`` for the stdlib logger
            ``redactlog.http``.
        body_cap: Bytes of the body read and logged at most.
        log_body: Whether to read and log the body at all.
        settings: Further request-log settings; its ``body_cap`` and
            ``log_body`` are replaced by the arguments above.

    Raises:
        ConfigurationError: If *body_cap* is negative.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_sink", "_summarizer")

    def __init__(  # noqa: PLR0913 - keyword-only configuration
        self,
        app: Flask | None = None,
        *,
        redactor: Redactor | None = None,
        logger: object | None = None,
        body_cap: int = DEFAULT_BODY_CAP,
        log_body: bool = True,
        settings: RequestLogSettings | None = None,
    ) -> None:
        base = settings if settings is not None else RequestLogSettings()
        # replace() re-runs the settings' validation of body_cap.
        settings = dataclasses.replace(base, body_cap=body_cap, log_body=log_body)
        self._summarizer = RequestSummarizer(redactor if redactor is not None else Redactor(), settings)
        self._sink = EventSink(logger)
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Register the extension with *app*.

        Raises:
            ConfigurationError: If *app* already has a redactlog request
                logger: two would log every request twice.
        """
        if EXTENSION_KEY in app.extensions:
            msg = f"{app.name!r} already has a redactlog RequestLogger; register one per application"
            raise ConfigurationError(msg)
        app.extensions[EXTENSION_KEY] = self
        # weak=False: blinker holds receivers weakly by default, and a bound
        # method of this object would vanish as soon as it is garbage-collected.
        # sender=app: several applications in one process never cross-log.
        request_started.connect(self._on_started, app, weak=False)
        request_finished.connect(self._on_finished, app, weak=False)
        got_request_exception.connect(self._on_exception, app, weak=False)
        request_tearing_down.connect(self._on_teardown, app, weak=False)

    # A receiver that raises breaks the request (or its teardown): every
    # receiver below swallows its own errors (try/except rather than
    # contextlib.suppress: they run on every request).

    def _on_started(self, sender: Flask, **_: Any) -> None:
        try:
            # One context lookup, not one per attribute read below.
            current = request._get_current_object()  # type: ignore[attr-defined]  # werkzeug LocalProxy
            environ = current.environ
            environ[_ENVIRON_KEY.format(id(sender))] = _Exchange(time.perf_counter())
            if not self._sink.is_enabled():
                return
            # The limit only matters to a body with a declared length.
            peeked = self._summarizer.settings.log_body and environ.get("CONTENT_LENGTH")
            fields = summarize_environ(
                self._summarizer,
                environ,
                max_content_length=current.max_content_length if peeked else None,
                skip_body=_already_read(current),
            )
            rule = current.url_rule
            if rule is not None:
                fields["route"] = rule.rule  # a template: "/users/<id>", no data
        except Exception as exc:  # noqa: BLE001 - fail closed: a placeholder, never raw request data
            fields = {"summary_error": type(exc).__name__}
        self._emit(START_EVENT, fields)

    def _on_finished(self, sender: Flask, response: Response, **_: Any) -> None:
        try:
            exchange = request.environ.get(_ENVIRON_KEY.format(id(sender)))
            if exchange is not None:
                exchange.status = response.status_code
        except Exception:  # noqa: BLE001 - the status is lost, the request is not
            pass

    def _on_exception(self, sender: Flask, exception: BaseException, **_: Any) -> None:
        with contextlib.suppress(Exception):
            exchange = request.environ.get(_ENVIRON_KEY.format(id(sender)))
            if exchange is not None:
                exchange.exception = exception

    def _on_teardown(self, sender: Flask, exc: BaseException | None = None, **_: Any) -> None:
        # Teardown runs for every request, also when an exception propagates
        # (testing, PROPAGATE_EXCEPTIONS) and request_finished never comes.
        try:
            exchange = request.environ.pop(_ENVIRON_KEY.format(id(sender)), None)
            if exchange is None or not self._sink.is_enabled():
                return
            exception = exchange.exception if exchange.exception is not None else exc
            fields = summarize_response(
                status=exchange.status,
                duration_s=time.perf_counter() - exchange.started,
                exception=exception,
            )
        except Exception as error:  # noqa: BLE001 - the response is out; never raise now
            exception, fields = None, {"summary_error": type(error).__name__}
        self._emit(END_EVENT, fields, level=logging.INFO if exception is None else logging.ERROR)

    def _emit(self, event: str, fields: dict[str, object], *, level: int = logging.INFO) -> None:
        # The sink promises not to raise; this guards against a broken logger anyway.
        try:  # noqa: SIM105
            self._sink.emit(event, fields, level=level)
        except Exception:  # noqa: BLE001 - logging must never fail the request
            pass


def _already_read(current: Request) -> str | None:
    """Say why the body must not be peeked when something upstream already read it."""
    # Werkzeug builds request.stream lazily; if it exists, a custom request
    # class or a signal receiver read it before us and a peek would see the
    # middle of the body. Never touch it: that would change what the view reads.
    if "stream" in current.__dict__ or getattr(current, "_cached_data", None) is not None:
        return "already read by the application"
    return None
