"""RequestLoggingMiddleware against real Starlette/FastAPI apps (httpx.ASGITransport) and raw ASGI."""

from __future__ import annotations

import asyncio
import contextvars
import gzip
import hashlib
import logging
import subprocess
import sys
import tracemalloc
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import structlog
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from redactlog import ConfigurationError
from redactlog.asgi import RequestLoggingMiddleware

pytestmark = pytest.mark.anyio

START = "http.request.start"
END = "http.request.end"
CHECK = "app.check"
MB = 1024 * 1024
CAP = 1024


def client_for(app: Any, *, raise_app_exceptions: bool = True) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def chunked(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """Yield *data* in *size* chunks: httpx sends it with Transfer-Encoding: chunked."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_clean(timeline: Any, pii: Any, *extra: str) -> None:
    text = timeline.all_text()
    for value in (*pii.values(), *extra):
        assert value not in text
        assert urllib.parse.quote(value) not in text
        assert urllib.parse.quote_plus(value) not in text


class TestStartRecord:
    """The start record comes first and carries nothing secret."""

    async def test_start_is_logged_before_application_code(self, make_app, timeline):
        """The start record precedes the endpoint; the end record follows it."""
        async with client_for(make_app()) as client:
            response = await client.post("/echo", content=b"{}")

        assert response.status_code == 200
        assert timeline.events() == [START, CHECK, END]

    async def test_nothing_secret_from_path_query_headers_or_body(self, make_app, timeline, pii):
        """PII and credentials in path, query, headers and JSON body never reach the log."""
        body = (
            f'{{"email": "{pii.email}", "phone": "{pii.phone}", "ssn": "{pii.ssn}", '
            f'"api_token": "{pii.token}", "note": "Bearer {pii.jwt}"}}'
        ).encode()
        query = urllib.parse.urlencode({"email": pii.email, "access_token": pii.token, "sig": pii.webhook_key})
        headers = {
            "authorization": f"Bearer {pii.jwt}",
            "cookie": f"session={pii.token}",
            "x-hub-signature-256": pii.github_signature(body),
            "content-type": "application/json",
        }
        async with client_for(make_app()) as client:
            response = await client.post(f"/echo/{pii.email}?{query}", content=body, headers=headers)

        assert response.status_code == 404
        assert timeline.events() == [START, END]
        assert_clean(timeline, pii, pii.github_signature(body).removeprefix("sha256="))

    async def test_method_and_path_are_logged(self, make_app, timeline):
        """The start record names the method and the path."""
        async with client_for(make_app()) as client:
            await client.post("/echo", content=b"{}")

        text = timeline.first(START).text
        assert "POST" in text
        assert "/echo" in text


class TestBodyIntegrity:
    """The application reads exactly the wire bytes, however they arrive."""

    @pytest.mark.parametrize("size", [0, 73, CAP - 1, CAP, CAP + 1, 3 * CAP, 5 * MB])
    @pytest.mark.parametrize("framing", ["content-length", "chunked"])
    async def test_body_is_byte_identical(self, make_app, timeline, size, framing):
        """await request.body() returns the sent bytes, for sizes around the cap and far above it."""
        data = bytes(i % 251 for i in range(size))
        content = data if framing == "content-length" else chunked(data)
        async with client_for(make_app(body_cap=CAP)) as client:
            response = await client.post("/echo", content=content)

        assert {"sha256": sha(data), "length": size} == response.json()
        assert timeline.events() == [START, CHECK, END]

    @pytest.mark.parametrize("framing", ["content-length", "chunked"])
    async def test_large_body_log_is_capped(self, make_app, timeline, framing):
        """A 5 MB body reaches the app intact while the start record stays near the cap."""
        data = b'{"items": [' + b'"abcdefgh", ' * (5 * MB // 12) + b'"end"]}'
        content = data if framing == "content-length" else chunked(data)
        async with client_for(make_app(body_cap=CAP)) as client:
            response = await client.post("/echo", content=content, headers={"content-type": "application/json"})

        assert sha(data) == response.json()["sha256"]
        start = timeline.first(START).fields
        assert start["body_truncated"] is True
        assert len(start["body"]) <= CAP + len("...[truncated]")

    async def test_streaming_read_still_streams(self, make_app, pii):
        """request.stream() sees every chunk, more than one, and an incremental HMAC verifies."""
        data = bytes(range(256)) * (5 * MB // 256)
        async with client_for(make_app(body_cap=CAP)) as client:
            response = await client.post("/stream", content=chunked(data))

        got = response.json()
        assert sha(data) == got["sha256"]
        assert got["chunks"] > 1
        assert pii.github_signature(data).removeprefix("sha256=") == got["hmac"]

    async def test_non_utf8_body(self, make_app, timeline):
        """Invalid UTF-8 is logged without error and reaches the app unchanged."""
        data = b"\xff\xfe caf\xe9 \x80\x81" * 10
        async with client_for(make_app()) as client:
            response = await client.post("/echo", content=data, headers={"content-type": "text/plain"})

        assert sha(data) == response.json()["sha256"]
        assert timeline.events() == [START, CHECK, END]

    async def test_urlencoded_form_with_percent_encoded_pii(self, make_app, timeline, pii):
        """await request.form() gets the decoded values; the log holds none of them."""
        form = {"email": pii.email, "phone": pii.phone, "ssn": pii.ssn, "comment": "hello"}
        async with client_for(make_app()) as client:
            response = await client.post("/form", data=form)

        assert form == response.json()
        assert_clean(timeline, pii)

    async def test_multipart_upload(self, make_app, timeline, pii):
        """A multipart file reaches the app intact; its e-mail filename stays out of the log."""
        payload = f"ssn={pii.ssn}\n".encode() * 50
        files = {"doc": (f"{pii.email}.txt", payload, "text/plain")}
        async with client_for(make_app()) as client:
            response = await client.post("/form", data={"email": pii.email}, files=files)

        got = response.json()
        assert pii.email == got["email"]
        assert sha(payload) == got["doc"]["sha256"]
        assert_clean(timeline, pii)

    async def test_gzip_body(self, make_app, timeline, pii):
        """A gzip body reaches the app compressed and byte-identical; its plaintext is not logged."""
        data = gzip.compress(f'{{"email": "{pii.email}", "ssn": "{pii.ssn}"}}'.encode())
        headers = {"content-encoding": "gzip", "content-type": "application/json"}
        async with client_for(make_app()) as client:
            response = await client.post("/echo", content=data, headers=headers)

        assert sha(data) == response.json()["sha256"]
        assert_clean(timeline, pii)


class TestApplicationBehaviour:
    """Status codes and error paths are what they would be without the logger, and logged."""

    async def test_malformed_json_gives_422_and_is_logged(self, make_app, timeline):
        """FastAPI's 422 for a broken JSON body is preceded by a start record."""
        async with client_for(make_app()) as client:
            response = await client.post(
                "/items", content=b'{"name": "x", ', headers={"content-type": "application/json"}
            )

        assert response.status_code == 422
        assert timeline.events() == [START, END]
        assert timeline.first(END).fields["status"] == 422

    @pytest.mark.parametrize(
        ("method", "path", "status"),
        [pytest.param("GET", "/nowhere", 404, id="404"), pytest.param("DELETE", "/items", 405, id="405")],
    )
    async def test_routing_errors_are_logged(self, make_app, timeline, method, path, status):
        """Unknown routes and wrong methods still get both records."""
        async with client_for(make_app()) as client:
            response = await client.request(method, path)

        assert status == response.status_code
        assert timeline.events() == [START, END]
        assert timeline.first(END).fields["status"] == status

    async def test_exception_is_logged_by_type_only(self, make_app, timeline, pii):
        """A crash gives 500; the end record names ValueError but not its message."""
        async with client_for(make_app(), raise_app_exceptions=False) as client:
            response = await client.get("/boom", params={"email": pii.email})

        assert response.status_code == 500
        assert timeline.events() == [START, END]
        assert timeline.first(END).fields["exception"] == "ValueError"
        assert "failed for" not in timeline.all_text()
        assert_clean(timeline, pii)

    @pytest.mark.parametrize("framing", ["content-length", "chunked"])
    async def test_max_body_size_413_is_logged(self, make_app, timeline, framing):
        """Starlette's body limit still answers 413, and the request is logged first."""
        data = b"x" * (64 * 1024)
        content = data if framing == "content-length" else chunked(data, 4096)
        async with client_for(make_app(max_body_size=10_000, body_cap=CAP)) as client:
            response = await client.post("/echo", content=content)

        assert response.status_code == 413
        assert timeline.events()[0] == START
        assert timeline.events()[-1] == END
        limit_error = "starlette.middleware.body_limit._RequestBodyTooLarge"
        if framing == "content-length":
            # The limiter refuses the first read, inside the peek; it answers 413 itself, outside us.
            assert timeline.first(START).fields["peek_error"] == limit_error
            assert timeline.first(END).fields["exception"] == limit_error
            assert CHECK not in timeline.events()
        else:
            # Past the peek, the app's own read fails and its exception handler answers 413 through us.
            assert timeline.first(END).fields["status"] == 413

    async def test_max_body_size_allows_small_bodies(self, make_app):
        """A body under the limit passes the limiter and the logger intact."""
        async with client_for(make_app(max_body_size=10_000, body_cap=CAP)) as client:
            response = await client.post("/echo", content=b"y" * 9_000)

        assert sha(b"y" * 9_000) == response.json()["sha256"]

    async def test_streaming_response_is_complete(self, make_app):
        """A StreamingResponse delivers every chunk (no fake http.disconnect after the replay)."""
        async with client_for(make_app()) as client:
            response = await client.get("/stream-out")

        assert "".join(f"{i}\n" for i in range(20)) == response.text


class TestConcurrency:
    """One instance serves concurrent requests; the app runs in the caller's task."""

    async def test_concurrent_requests_keep_their_own_bodies(self, make_app, timeline):
        """Twenty interleaved uploads each reach the app intact and each get two records."""
        bodies = [bytes([i]) * (3000 + 997 * i) for i in range(20)]
        async with client_for(make_app(body_cap=CAP)) as client:
            responses = await asyncio.gather(*(client.post("/echo", content=chunked(b, 1000)) for b in bodies))

        assert [r.json()["sha256"] for r in responses] == [sha(b) for b in bodies]
        assert timeline.events().count(START) == 20
        assert timeline.events().count(END) == 20

    async def test_context_variables_set_by_the_app_are_visible_outside(self, log):
        """Unlike BaseHTTPMiddleware, no task boundary: a contextvar the app sets is seen by its caller."""
        var: contextvars.ContextVar[str] = contextvars.ContextVar("request_note", default="unset")

        async def app(scope: Any, receive: Any, send: Any) -> None:
            await receive()
            var.set("set by the app")
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        server = _Server([_body(b"x", more=False)])
        await RequestLoggingMiddleware(app, logger=log)(_scope(), server.receive, server.send)

        assert var.get() == "set by the app"


class TestMiddlewareOrder:
    """Only middleware inside the logger (added before it) is covered."""

    @pytest.mark.parametrize(("checker_added", "logged"), [("before", True), ("after", False)])
    async def test_asgi_signature_checker(self, redactor, log, timeline, checker_added, logged):
        """A 401 from an ASGI checker added before the logger is logged; one added after it is not."""
        app = Starlette(routes=[Route("/echo", _echo, methods=["POST"])])
        if checker_added == "after":
            app.add_middleware(RequestLoggingMiddleware, redactor=redactor, logger=log)
        app.add_middleware(_RejectUnsigned)
        if checker_added == "before":
            app.add_middleware(RequestLoggingMiddleware, redactor=redactor, logger=log)
        async with client_for(app) as client:
            response = await client.post("/echo", content=b"unsigned")

        assert response.status_code == 401
        assert timeline.events() == ([START, END] if logged else [])


class TestSinks:
    """Any logger works, and a broken one never fails the request."""

    async def test_structlog_logger(self, pii, redactor):
        """A structlog logger receives both events, scrubbed."""
        app = Starlette(routes=[Route("/echo", _echo, methods=["POST"])])
        app.add_middleware(RequestLoggingMiddleware, redactor=redactor, logger=structlog.get_logger("http"))
        with structlog.testing.capture_logs() as logs:
            async with client_for(app) as client:
                response = await client.post("/echo", content=f'{{"email": "{pii.email}"}}'.encode())

        assert response.status_code == 200
        assert [entry["event"] for entry in logs] == [START, END]
        assert pii.email not in repr(logs)

    async def test_failing_logger_does_not_fail_the_request(self, redactor):
        """A logger whose every method raises leaves the response untouched."""
        app = Starlette(routes=[Route("/echo", _echo, methods=["POST"])])
        app.add_middleware(RequestLoggingMiddleware, redactor=redactor, logger=_ExplodingLogger())
        async with client_for(app) as client:
            response = await client.post("/echo", content=b"payload")

        assert response.content == b"payload"

    async def test_failing_handler_does_not_fail_the_request(self, redactor):
        """A stdlib handler that raises leaves the response untouched."""
        logger = logging.getLogger("redactlog.tests.asgi.exploding_handler")
        handler = _ExplodingHandler()
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        app = Starlette(routes=[Route("/echo", _echo, methods=["POST"])])
        app.add_middleware(RequestLoggingMiddleware, redactor=redactor, logger=logger)
        try:
            async with client_for(app) as client:
                response = await client.post("/echo", content=b"payload")
        finally:
            logger.removeHandler(handler)

        assert response.content == b"payload"

    async def test_failing_redactor_logs_no_raw_data(self, timeline, log, pii):
        """When scrubbing itself fails, the start record holds a placeholder, never the raw values."""
        app = Starlette(routes=[Route("/echo", _echo, methods=["POST"])])
        app.add_middleware(RequestLoggingMiddleware, redactor=_ExplodingRedactor(), logger=log)  # type: ignore[arg-type]
        async with client_for(app) as client:
            response = await client.post(f"/echo?email={pii.email}", content=pii.ssn.encode())

        assert pii.ssn.encode() == response.content
        assert timeline.events() == [START, END]
        assert_clean(timeline, pii)


class TestPassThrough:
    """Scopes other than http are not touched."""

    async def test_websocket_echo(self, make_app, timeline):
        """A websocket connection works through the middleware and is not logged."""
        app = make_app()
        incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        sent: list[dict[str, Any]] = []
        for message in ({"type": "websocket.connect"}, {"type": "websocket.receive", "text": "olleh"}):
            incoming.put_nowait(message)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = _scope("websocket", "/ws") | {"subprotocols": []}
        await app(scope, incoming.get, send)

        assert [m["type"] for m in sent] == ["websocket.accept", "websocket.send", "websocket.close"]
        assert sent[1]["text"] == "hello"
        assert timeline.events() == []

    async def test_lifespan(self, make_app, timeline):
        """Lifespan startup and shutdown run through the middleware."""
        app = make_app()
        incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        sent: list[str] = []
        incoming.put_nowait({"type": "lifespan.startup"})
        incoming.put_nowait({"type": "lifespan.shutdown"})

        async def send(message: dict[str, Any]) -> None:
            sent.append(message["type"])

        await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, incoming.get, send)

        assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
        assert app.state.lifespan_ran == ["startup", "shutdown"]
        assert timeline.events() == []


class TestPeek:
    """The peek's replay contract, on raw ASGI messages."""

    async def test_replays_the_same_message_objects_then_delegates(self, log, timeline):
        """The app gets the pulled objects themselves, in order, then the server's receive."""
        messages = [_body(b"a" * 600, more=True), _body(b"b" * 600, more=True), _body(b"c", more=False)]
        server = _Server([*messages, {"type": "http.disconnect"}])
        inner = _Inner(reads=4)
        await RequestLoggingMiddleware(inner, logger=log, body_cap=1000)(_scope(), server.receive, server.send)

        assert all(got is sent for got, sent in zip(inner.got[:3], messages, strict=True))
        assert inner.got[3]["type"] == "http.disconnect"
        assert server.calls == 4
        assert timeline.events() == [START, END]

    async def test_reads_no_more_than_needed(self, log):
        """The peek stops after cap + 1 bytes; the rest stays with the server until the app asks."""
        server = _Server([_body(b"x" * 10, more=True) for _ in range(100)])
        inner = _Inner(reads=0)
        await RequestLoggingMiddleware(inner, logger=log, body_cap=25)(_scope(), server.receive, server.send)

        assert server.calls == 3

    async def test_client_disconnect_mid_peek_is_replayed(self, log, timeline):
        """An early http.disconnect is logged and handed to the app unchanged, not swallowed."""
        disconnect = {"type": "http.disconnect"}
        server = _Server([_body(b"partial", more=True), disconnect])
        inner = _Inner(reads=2)
        await RequestLoggingMiddleware(inner, logger=log)(_scope(), server.receive, server.send)

        assert disconnect is inner.got[1]
        assert timeline.first(START).fields["client_disconnected_early"] is True

    async def test_peek_timeout_hands_over_the_pending_receive(self, log, timeline):
        """After peek_timeout the record is written; the app then gets every message in order."""
        server = _Server([_body(b"first", more=True)], block_after=1)
        inner = _Inner(reads=2)
        middleware = RequestLoggingMiddleware(inner, logger=log, peek_timeout=0.05)
        task = asyncio.ensure_future(middleware(_scope(), server.receive, server.send))
        while START not in timeline.events():
            await asyncio.sleep(0.01)
        later = _body(b"second", more=False)
        server.release(later)
        await task

        assert [m["body"] for m in inner.got] == [b"first", b"second"]
        assert later is inner.got[1]
        assert server.calls == 2
        assert timeline.first(START).fields["peek_timed_out"] is True

    async def test_unused_pending_receive_is_cancelled(self, log):
        """A receive() left running by the timeout is cancelled when the app ends without it."""
        server = _Server([], block_after=0)
        inner = _Inner(reads=0)
        await RequestLoggingMiddleware(inner, logger=log, peek_timeout=0.05)(_scope(), server.receive, server.send)
        await asyncio.sleep(0)

        assert server.cancelled

    async def test_receive_that_answers_its_cancellation_is_drained(self, log):
        """A left-over receive() that returns a message when cancelled is finished quietly."""
        answered: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                answered.append({"type": "http.disconnect"})
                return answered[-1]
            raise AssertionError

        await RequestLoggingMiddleware(_Inner(reads=0), logger=log, peek_timeout=0.02)(
            _scope(), receive, _Server([]).send
        )
        await asyncio.sleep(0.01)

        assert answered == [{"type": "http.disconnect"}]

    async def test_cancelled_while_peeking(self, log, timeline):
        """Cancelling the request mid-peek cancels the receive() too, logs, and propagates."""
        server = _Server([], block_after=0)
        middleware = RequestLoggingMiddleware(_Inner(reads=0), logger=log, peek_timeout=30)
        task = asyncio.ensure_future(middleware(_scope(), server.receive, server.send))
        await asyncio.sleep(0.02)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        assert server.cancelled
        assert timeline.first(START).fields["peek_error"] == "asyncio.exceptions.CancelledError"
        assert timeline.first(END).fields["exception"] == "asyncio.exceptions.CancelledError"

    async def test_malformed_scope_logs_a_placeholder(self, log, timeline):
        """Headers that are not bytes (a broken server) give a placeholder record, and the app still runs."""
        scope = _scope() | {"headers": [("content-type", "text/plain")]}
        server = _Server([_body(b"data", more=False)])
        inner = _Inner(reads=1)
        await RequestLoggingMiddleware(inner, logger=log)(scope, server.receive, server.send)

        assert inner.got[0]["body"] == b"data"
        assert timeline.first(START).fields["summary_error"] == "AttributeError"

    async def test_receive_error_is_logged_then_raised(self, log, timeline):
        """An exception from receive() during the peek is logged by type, then propagates."""

        async def receive() -> dict[str, Any]:
            raise _LimitError

        with pytest.raises(_LimitError):
            await RequestLoggingMiddleware(_Inner(reads=1), logger=log)(_scope(), receive, _Server([]).send)

        assert timeline.events() == [START, END]
        assert timeline.first(START).fields["peek_error"].endswith("._LimitError")

    @pytest.mark.parametrize("peek_timeout", [1.0, None], ids=["bounded", "unbounded"])
    @pytest.mark.parametrize("suspensions", [0, 1, 3])
    async def test_receive_that_suspends_is_followed_to_the_end(self, log, timeline, suspensions, peek_timeout):
        """A receive() that waits before answering (the server has no data yet) still yields every message."""
        messages = [_body(b"a" * 10, more=True), _body(b"b" * 10, more=False)]
        feed = iter(messages)

        async def receive() -> dict[str, Any]:
            for _ in range(suspensions):
                await asyncio.sleep(0)
            return next(feed)

        inner = _Inner(reads=2)
        middleware = RequestLoggingMiddleware(inner, logger=log, peek_timeout=peek_timeout)
        await middleware(_scope(), receive, _Server([]).send)

        assert inner.got == messages
        assert timeline.events() == [START, END]

    async def test_receive_returning_a_plain_awaitable(self, log, timeline):
        """A receive() whose awaitable is not a coroutine (a bare __await__ iterator) still works."""
        message = _body(b"plain", more=False)
        inner = _Inner(reads=1)
        await RequestLoggingMiddleware(inner, logger=log)(_scope(), lambda: _PlainAwaitable(message), _Server([]).send)

        assert inner.got == [message]
        assert timeline.events() == [START, END]

    async def test_receive_error_after_suspending_is_logged_then_raised(self, log, timeline):
        """An exception raised by receive() after it waited reaches the caller unchanged."""

        async def receive() -> dict[str, Any]:
            await asyncio.sleep(0)
            raise _LimitError

        with pytest.raises(_LimitError):
            await RequestLoggingMiddleware(_Inner(reads=1), logger=log)(_scope(), receive, _Server([]).send)

        assert timeline.first(START).fields["peek_error"].endswith("._LimitError")

    async def test_log_body_off_passes_receive_unwrapped(self, log, timeline):
        """With log_body=False nothing is read and the app gets the server's receive itself."""
        server = _Server([_body(b"data", more=False)])
        inner = _Inner(reads=1)
        await RequestLoggingMiddleware(inner, logger=log, log_body=False)(_scope(), server.receive, server.send)

        assert server.receive == inner.receive
        assert timeline.events() == [START, END]

    async def test_unreadable_message_is_replayed_not_fatal(self, log, timeline):
        """A message the peek cannot read is handed to the app as is; the body is left out of the record."""
        odd = {"type": "http.request", "body": None, "more_body": False}
        server = _Server([odd])
        inner = _Inner(reads=1)
        await RequestLoggingMiddleware(inner, logger=log)(_scope(), server.receive, server.send)

        assert inner.got[0] is odd
        start = timeline.first(START).fields
        assert start["body_not_read"] == "unexpected ASGI message"
        assert "body" not in start

    async def test_log_body_off_logs_no_body_field(self, log, timeline):
        """With log_body=False the start record has no body field at all."""
        server = _Server([_body(b"secret-ish", more=False)])
        await RequestLoggingMiddleware(_Inner(reads=1), logger=log, log_body=False)(
            _scope(), server.receive, server.send
        )

        assert "body" not in timeline.first(START).fields

    async def test_disabled_logger_leaves_the_request_alone(self, log, timeline):
        """A logger not enabled for INFO means no peek, no records, and the server's own receive."""
        log.setLevel(logging.WARNING)
        server = _Server([_body(b"data", more=False)])
        inner = _Inner(reads=1)
        await RequestLoggingMiddleware(inner, logger=log)(_scope(), server.receive, server.send)

        assert server.receive == inner.receive
        assert timeline.events() == []

    def test_without_an_asyncio_loop_the_body_is_not_read(self, log, timeline):
        """Under a non-asyncio loop (driven by hand here) no body is read and nothing blocks."""
        server = _Server([_body(b"data", more=False)])
        inner = _Inner(reads=1)
        coroutine = RequestLoggingMiddleware(inner, logger=log)(_scope(), server.receive, server.send)
        with pytest.raises(StopIteration):
            coroutine.send(None)

        assert server.receive == inner.receive
        assert timeline.first(START).fields["body_not_read"] == "no asyncio event loop"


class TestConfiguration:
    """Bad options fail at start-up; the module stays free of Starlette."""

    @pytest.mark.parametrize(
        "options",
        [
            pytest.param({"body_cap": -1}, id="negative-cap"),
            pytest.param({"body_cap": True}, id="bool-cap"),
            pytest.param({"body_cap": 1.5}, id="float-cap"),
            pytest.param({"peek_timeout": 0}, id="zero-timeout"),
            pytest.param({"peek_timeout": -1.0}, id="negative-timeout"),
        ],
    )
    def test_invalid_options_raise(self, options):
        """Invalid caps and timeouts raise ConfigurationError when the middleware is built."""
        with pytest.raises(ConfigurationError):
            RequestLoggingMiddleware(_Inner(reads=0), **options)

    def test_importing_does_not_import_starlette(self):
        """import redactlog and redactlog.asgi load neither Starlette nor FastAPI."""
        code = (
            "import sys, redactlog, redactlog.asgi; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'starlette', 'fastapi', 'anyio'}))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)

        assert out.stdout.strip() == "[]"


class TestTyping:
    """add_middleware checks the middleware's options through Starlette's ParamSpec."""

    @pytest.mark.slow
    def test_add_middleware_type_checks(self, tmp_path):
        """mypy --strict accepts the documented calls and flags a wrong type and an unknown option."""
        snippet = tmp_path / "snippet.py"
        snippet.write_text(
            "import structlog\n"
            "from fastapi import FastAPI\n"
            "from starlette.applications import Starlette\n"
            "from redactlog import Redactor\n"
            "from redactlog.asgi import RequestLoggingMiddleware\n"
            "app = FastAPI()\n"
            "app.add_middleware(RequestLoggingMiddleware, redactor=Redactor(), body_cap=4096, peek_timeout=None)\n"
            "app.add_middleware(RequestLoggingMiddleware, logger=structlog.get_logger(), log_body=False)\n"
            "Starlette().add_middleware(RequestLoggingMiddleware)\n"
            'app.add_middleware(RequestLoggingMiddleware, body_cap="4k")\n'
            "app.add_middleware(RequestLoggingMiddleware, bodycap=4096)\n",
            encoding="utf-8",
        )
        command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(snippet)]
        out = subprocess.run(command, capture_output=True, text=True, check=False, timeout=110)

        errors = [line for line in out.stdout.splitlines() if ": error:" in line]
        assert [line.split(":")[1] for line in errors] == ["10", "11"], out.stdout


class TestMemory:
    """The logger holds the cap, not the body."""

    async def test_chunked_upload_peak_allocation_is_small(self, make_app):
        """A 5 MB chunked upload to a streaming endpoint keeps the traced peak well under the body size."""
        block = b"z" * (64 * 1024)

        async def upload() -> AsyncIterator[bytes]:
            for _ in range(80):
                yield block

        app = make_app(body_cap=4096)
        async with client_for(app) as client:
            await client.post("/stream", content=b"warm-up")
            tracemalloc.start()
            try:
                response = await client.post("/stream", content=upload())
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()

        assert 80 * len(block) == response.json()["length"]
        assert peak < 2 * MB


# --------------------------------------------------------------------------- helpers


async def _echo(request: Request) -> PlainTextResponse:
    return PlainTextResponse(await request.body())


class _PlainAwaitable:
    """An awaitable that is not a coroutine: __await__ returns a bare iterator."""

    def __init__(self, message: dict[str, Any]) -> None:
        self.message = message

    def __await__(self) -> Any:
        return self

    def __iter__(self) -> Any:
        return self

    def __next__(self) -> Any:
        raise StopIteration(self.message)


class _RejectUnsigned:
    """An ASGI middleware that answers 401 to any request without an X-Signature header."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not any(name == b"x-signature" for name, _ in scope["headers"]):
            await PlainTextResponse("unsigned", status_code=401)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class _LimitError(Exception):
    """Stands in for a body-size limiter raising inside receive()."""


class _ExplodingLogger:
    def __getattr__(self, name: str) -> Any:
        def explode(*args: object, **kwargs: object) -> None:
            raise RuntimeError(name)

        return explode


class _ExplodingHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        raise RuntimeError(record.getMessage())

    def handleError(self, record: logging.LogRecord) -> None:
        raise RuntimeError(record.getMessage())


class _ExplodingRedactor:
    def __getattr__(self, name: str) -> Any:
        def explode(*args: object, **kwargs: object) -> None:
            raise RuntimeError(name)

        return explode


def _scope(kind: str = "http", path: str = "/upload") -> dict[str, Any]:
    return {
        "type": kind,
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http" if kind == "http" else "ws",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/octet-stream")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }


def _body(data: bytes, *, more: bool) -> dict[str, Any]:
    return {"type": "http.request", "body": data, "more_body": more}


class _Server:
    """The server side of one ASGI connection: scripted messages, then optionally blocking."""

    def __init__(self, messages: list[dict[str, Any]], block_after: int | None = None) -> None:
        self.messages = list(messages)
        self.block_after = block_after
        self.calls = 0
        self.cancelled = False
        self.sent: list[dict[str, Any]] = []
        self._released: asyncio.Queue[dict[str, Any]] | None = None

    async def receive(self) -> dict[str, Any]:
        self.calls += 1
        if self.block_after is not None and self.calls > self.block_after:
            if self._released is None:
                self._released = asyncio.Queue()
            try:
                return await self._released.get()
            except asyncio.CancelledError:
                self.cancelled = True
                raise
        if self.messages:
            return self.messages.pop(0)
        return {"type": "http.disconnect"}

    def release(self, message: dict[str, Any]) -> None:
        assert self._released is not None
        self._released.put_nowait(message)

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)


class _Inner:
    """A raw ASGI app that reads *reads* messages, keeps them, and answers 200."""

    def __init__(self, *, reads: int) -> None:
        self.reads = reads
        self.got: list[dict[str, Any]] = []
        self.receive: Any = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.receive = receive
        for _ in range(self.reads):
            self.got.append(await receive())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
