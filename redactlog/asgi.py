"""Log scrubbed HTTP requests from any ASGI application (Starlette, FastAPI).

:class:`RequestLoggingMiddleware` is pure ASGI: it imports nothing from
Starlette, so ``redactlog`` installs without it, and
``app.add_middleware(RequestLoggingMiddleware, redactor=..., body_cap=...)``
still type-checks through Starlette's ``ParamSpec``.

For every HTTP request it writes two records through the shared request-log
core (:mod:`redactlog._http`):

* ``http.request.start`` *before* the wrapped application runs: method,
  scrubbed path and query string, allow-listed headers with credentials and
  signatures masked, and the body scrubbed and capped;
* ``http.request.end`` when the application returns: status, duration and
  the type (never the message) of an exception.

To log the body before the application reads it, the middleware *peeks*: it
pulls ``http.request`` messages until it holds ``body_cap + 1`` bytes, the body
ends, the client disconnects or ``peek_timeout`` runs out. It then hands the
application the very message objects it pulled, in order, and after them the
server's own ``receive``. The application therefore reads the wire bytes
unchanged and still streams; the middleware holds at most the cap plus one
server message.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Generator, Iterable, MutableMapping
from typing import Any, TypeAlias, cast

from redactlog._engine import Redactor
from redactlog._http.sink import EventSink
from redactlog._http.summary import DEFAULT_BODY_CAP, RequestLogSettings, RequestSummarizer, summarize_response
from redactlog.exceptions import ConfigurationError

__all__ = ["DEFAULT_PEEK_TIMEOUT", "ASGIApp", "Message", "Receive", "RequestLoggingMiddleware", "Scope", "Send"]

Scope: TypeAlias = MutableMapping[str, Any]
"""An ASGI connection scope (the same shape as ``starlette.types.Scope``)."""

Message: TypeAlias = MutableMapping[str, Any]
"""An ASGI event, received or sent."""

Receive: TypeAlias = Callable[[], Awaitable[Message]]
"""The ASGI ``receive`` callable."""

Send: TypeAlias = Callable[[Message], Awaitable[None]]
"""The ASGI ``send`` callable."""

ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]
"""An ASGI 3 application."""

DEFAULT_PEEK_TIMEOUT = 1.0
"""Seconds the middleware waits for body bytes before it logs what it has."""

START_EVENT = "http.request.start"
END_EVENT = "http.request.end"

# Messages that end a response: the last body chunk, or a file sent by the server.
_PATHSEND = "http.response.pathsend"


@dataclasses.dataclass(slots=True)
class _Peek:
    """What one request's bounded peek pulled from ``receive``; local to a call."""

    messages: list[Message] = dataclasses.field(default_factory=list)
    body: bytearray = dataclasses.field(default_factory=bytearray)
    complete: bool = False
    disconnected: bool = False
    timed_out: bool = False
    skipped: str | None = None
    # A receive() still running when the time ran out: the application gets its
    # message next, so nothing the server delivers is lost or reordered.
    pending: asyncio.Future[Message] | None = None
    error: BaseException | None = None

    def flags(self) -> dict[str, object]:
        """Return the peek's own fields for the start record (only those that apply)."""
        flags: dict[str, object] = {}
        if self.timed_out:
            flags["peek_timed_out"] = True
        if self.disconnected:
            flags["client_disconnected_early"] = True
        if self.error is not None:
            flags["peek_error"] = _type_name(self.error)
        if self.skipped is not None:
            flags["body_not_read"] = self.skipped
        return flags


class RequestLoggingMiddleware:
    """Log every HTTP request, scrubbed, before the application sees it.

    Add it with the *last* ``add_middleware`` call, so that it is the
    outermost user middleware and logs before any other middleware,
    dependency or endpoint runs::

        app = FastAPI()
        app.add_middleware(RequestLoggingMiddleware, redactor=Redactor(), body_cap=4096)

    Middleware added after it sits outside it and is not covered: a request
    such middleware answers itself never reaches the logger. Starlette's
    body-size limit (``max_body_size``) also sits outside, but it acts
    inside the logger's own ``receive``, so its 413s are logged.

    ``websocket`` and ``lifespan`` scopes are passed through untouched, and
    so is every request while the stdlib logger is not enabled for ``INFO``.
    The middleware keeps no per-request state on itself, so one instance
    serves any number of concurrent requests.

    The bounded wait uses :mod:`asyncio`. Under another event loop (trio)
    the start record is written without the body (``body_not_read``), so
    the request is never delayed or deadlocked.

    Args:
        app: The ASGI application to wrap.
        redactor: The redactor that scrubs every logged value; ``None``
            builds a default :class:`~redactlog.Redactor` once, here.
        logger: A stdlib or structlog logger; ``None`` for the stdlib logger
            ``redactlog.http``.
        body_cap: Bytes of the body read and logged at most.
        log_body: Whether to read and log the body at all. With ``False``
            the application's ``receive`` is passed on unwrapped.
        peek_timeout: Seconds to wait for the first *body_cap* bytes before
            logging what has arrived (``peek_timed_out``); ``None`` waits
            for the bytes without a time bound. The bound keeps interleaved
            request/response protocols and slow uploads from stalling.
        settings: Further request-log settings; its ``body_cap`` and
            ``log_body`` are replaced by the arguments above.

    Raises:
        ConfigurationError: If *body_cap* is negative or *peek_timeout* is
            not positive.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_peek_timeout", "_settings", "_sink", "_summarizer", "app")

    def __init__(  # noqa: PLR0913 - keyword-only configuration
        self,
        app: ASGIApp,
        *,
        redactor: Redactor | None = None,
        logger: object | None = None,
        body_cap: int = DEFAULT_BODY_CAP,
        log_body: bool = True,
        peek_timeout: float | None = DEFAULT_PEEK_TIMEOUT,
        settings: RequestLogSettings | None = None,
    ) -> None:
        if peek_timeout is not None and not peek_timeout > 0:
            msg = f"peek_timeout must be positive or None, not {peek_timeout!r}"
            raise ConfigurationError(msg)
        base = settings if settings is not None else RequestLogSettings()
        self.app = app
        # replace() re-runs the settings' validation of body_cap.
        self._settings = dataclasses.replace(base, body_cap=body_cap, log_body=log_body)
        self._summarizer = RequestSummarizer(redactor if redactor is not None else Redactor(), self._settings)
        self._sink = EventSink(logger)
        self._peek_timeout = peek_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Log an HTTP request around the application; pass other scopes through."""
        if scope["type"] != "http" or not self._sink.is_enabled(logging.INFO):
            # Nothing to log (or nobody listening): stay out of the way entirely.
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        finished: float | None = None
        status: int | None = None
        exception: BaseException | None = None
        peek = await self._peek(receive)
        self._emit(START_EVENT, self._start_fields(scope, peek))

        replay = deque(peek.messages)
        peek.messages = []  # the deque is the only owner: replayed bodies can be freed
        pending = peek.pending

        async def receive_replayed() -> Message:
            nonlocal pending
            if replay:
                return replay.popleft()
            if pending is not None:
                # Hand over the receive() the peek left running, exactly once;
                # cancelling this call cancels it, as it would cancel receive().
                task, pending = pending, None
                return await task
            # Then the server's receive, never a replay loop or a made-up
            # http.disconnect: StreamingResponse listens on it (starlette#912).
            return await receive()

        async def send_observed(message: Message) -> None:
            nonlocal status, finished
            kind = message["type"]
            if kind == "http.response.start":
                status = message.get("status")
            elif (kind == "http.response.body" and not message.get("more_body", False)) or kind == _PATHSEND:
                finished = time.perf_counter()
            await send(message)

        try:
            if peek.error is not None:
                # The peek's receive() failed (e.g. Starlette's body-size limit):
                # the start record is written, now let the outer layer answer.
                raise peek.error  # noqa: TRY301 - the one exception to re-raise is already built
            # Nothing pulled (the body is not logged): the server's receive, unwrapped.
            app_receive = receive_replayed if replay or pending is not None else receive
            await self.app(scope, app_receive, send_observed)
        except BaseException as exc:
            exception = exc
            raise
        finally:
            if pending is not None:
                _discard(pending)
            duration = (finished if finished is not None else time.perf_counter()) - started
            self._emit_end(status, duration, exception)

    async def _peek(self, receive: Receive) -> _Peek:
        """Pull up to ``body_cap + 1`` body bytes, within ``peek_timeout``."""
        peek = _Peek()
        if not self._settings.log_body:
            peek.skipped = "log_body is off"
            return peek
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            peek.skipped = "no asyncio event loop"
            return peek
        cap = self._settings.body_cap
        deadline = None if self._peek_timeout is None else loop.time() + self._peek_timeout
        while len(peek.body) <= cap:
            try:
                if deadline is None:
                    message = await receive()
                else:
                    ready, rest = _start(receive)
                    if rest is None:
                        message = cast("Message", ready)
                    else:
                        # receive() has to wait: let it go on in a task we can stop
                        # *waiting* for without cancelling it, so no message is lost.
                        pending = asyncio.ensure_future(rest)
                        if not await _wait(pending, deadline - loop.time()):
                            peek.pending, peek.timed_out = pending, True
                            break
                        message = pending.result()
            except BaseException as exc:  # noqa: BLE001 - re-raised by __call__ once the start record is out
                peek.error = exc
                break
            peek.messages.append(message)
            try:
                if _absorb(peek, message, cap):
                    break
            except Exception:  # noqa: BLE001 - a message we cannot read is the app's business, not ours
                peek.body.clear()
                peek.skipped = "unexpected ASGI message"
                break
        return peek

    def _start_fields(self, scope: Scope, peek: _Peek) -> dict[str, object]:
        cap = self._settings.body_cap
        try:
            fields = self._summarizer.request_fields(
                method=str(scope.get("method", "")),
                path=str(scope.get("path", "")),
                query_string=scope.get("query_string", b""),
                headers=_decode_headers(scope.get("headers", ())),
                body=bytes(peek.body[:cap]),
                body_complete=peek.complete and len(peek.body) <= cap,
                # A body that was not read is left out, not logged as empty.
                log_body=peek.skipped is None,
            )
        except Exception as exc:  # noqa: BLE001 - fail closed: a placeholder, never raw request data
            fields = {"summary_error": type(exc).__name__}
        fields.update(peek.flags())
        return fields

    def _emit_end(self, status: int | None, duration: float, exception: BaseException | None) -> None:
        try:
            fields = summarize_response(status=status, duration_s=duration, exception=exception)
        except Exception as exc:  # noqa: BLE001 - the request has been answered; never raise now
            fields = {"summary_error": type(exc).__name__}
        self._emit(END_EVENT, fields, level=logging.INFO if exception is None else logging.ERROR)

    def _emit(self, event: str, fields: dict[str, object], *, level: int = logging.INFO) -> None:
        # The sink promises not to raise; this guards against a broken logger anyway
        # (try/except rather than contextlib.suppress: this runs twice per request).
        try:  # noqa: SIM105
            self._sink.emit(event, fields, level=level)
        except Exception:  # noqa: BLE001 - never let logging fail the request
            pass


class _Resumed:
    """An awaitable that finishes a ``receive()`` whose first step already ran.

    Running the first step inline means the usual case, a message the server
    already holds, costs no task and no trip through the event loop. Only a
    ``receive()`` that suspends is wrapped in this and continued in a task.
    """

    __slots__ = ("_iterator", "_yielded")

    def __init__(self, iterator: Generator[Any, Any, Message], yielded: object) -> None:
        self._iterator = iterator
        self._yielded = yielded

    def __await__(self) -> Generator[Any, Any, Message]:
        # What "yield from" does, resumed after its first step (PEP 380).
        iterator, yielded = self._iterator, self._yielded
        while True:
            try:
                sent = yield yielded
            except GeneratorExit:
                iterator.close()
                raise
            except BaseException as exc:  # noqa: BLE001 - thrown in by the task (cancellation): pass it on
                try:
                    yielded = iterator.throw(exc)
                except StopIteration as stop:
                    return cast("Message", stop.value)
            else:
                try:
                    yielded = iterator.send(sent)
                except StopIteration as stop:
                    return cast("Message", stop.value)


def _start(receive: Receive) -> tuple[Message | None, Awaitable[Message] | None]:
    """Run ``receive()`` up to its first suspension: ``(message, None)`` or ``(None, what finishes it)``."""
    awaitable = receive()
    iterator: object = awaitable.__await__()
    if not isinstance(iterator, Generator):
        # An exotic awaitable whose iterator cannot be resumed by hand: await it whole.
        return None, awaitable
    try:
        yielded = iterator.send(None)
    except StopIteration as stop:
        return cast("Message", stop.value), None
    return None, _Resumed(iterator, yielded)


async def _wait(task: asyncio.Future[Message], timeout: float) -> bool:
    """Wait up to *timeout* seconds for *task* without cancelling it; return whether it finished."""
    if timeout > 0 and not task.done():
        try:
            await asyncio.wait((task,), timeout=timeout)
        except BaseException:
            # We are being cancelled ourselves: take the receive() down with us.
            task.cancel()
            raise
    return task.done()


def _discard(task: asyncio.Future[Message]) -> None:
    """Cancel a receive() the application never asked for, and swallow its outcome."""
    if not task.done():
        task.cancel()
    # Retrieve the result later, so asyncio does not report "exception never retrieved".
    task.add_done_callback(_consume)


def _consume(task: asyncio.Future[Message]) -> None:
    if not task.cancelled():
        task.exception()


def _absorb(peek: _Peek, message: Message, cap: int) -> bool:
    """Add *message*'s body bytes to the peek, up to ``cap + 1``; return whether the peek is over."""
    if message["type"] != "http.request":
        peek.disconnected = message["type"] == "http.disconnect"
        return True
    chunk = message.get("body", b"")
    peek.body += chunk[: cap + 1 - len(peek.body)]
    if not message.get("more_body", False):
        peek.complete = True
        return True
    return False


def _type_name(exc: BaseException) -> str:
    # Spelt as the end record spells exceptions: qualified, builtins bare; never the message.
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _decode_headers(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    # ASGI headers are bytes. Names are ASCII; values are decoded as UTF-8 (as
    # the WSGI logger does), so non-ASCII e-mail addresses stay recognisable.
    return [(name.decode("latin-1"), value.decode("utf-8", "replace")) for name, value in raw]
