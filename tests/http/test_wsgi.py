"""redactlog.wsgi.RequestLoggingMiddleware and the wsgi.input peek it shares with the Flask extension."""

from __future__ import annotations

import hashlib
import io
import logging
import sys
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import structlog
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import Client, EnvironBuilder

from redactlog import ConfigurationError
from redactlog._http.peek import PrefixedStream, content_length, peek_wsgi_input
from redactlog.wsgi import RequestLoggingMiddleware

START = "http.request.start"
END = "http.request.end"
VIEW = "app.view"
MB = 1024 * 1024

Secrets = Any
Timeline = Any
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def digest(data: bytes) -> dict[str, object]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "length": len(data)}


def echo_app(timeline: Timeline) -> WSGIApp:
    """A plain WSGI app (no framework) that echoes the sha256 of the body it read."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        timeline.mark(VIEW)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [hashlib.sha256(body).hexdigest().encode()]

    return app


class TestMiddleware:
    """The middleware logs first, passes the request through untouched and logs the end on close."""

    def test_start_before_app_and_end_after(self, timeline: Timeline, log: logging.Logger, pii: Secrets) -> None:
        """Start < app < end; the app reads the identical body; nothing secret logged."""
        body = pii.json_body()
        app = RequestLoggingMiddleware(echo_app(timeline), logger=log)

        response = Client(app).post(
            f"/users/{pii.email}",
            query_string=pii.query(),
            data=body,
            headers={"Content-Type": "application/json", "X-Twilio-Signature": "c2lnbmF0dXJl" * 2},
        )

        assert response.text == hashlib.sha256(body).hexdigest()
        response.close()  # a server closes the response; the test client leaves it to us
        timeline.assert_order(START, VIEW, END)
        timeline.assert_no_leak(*pii.values(), "c2lnbmF0dXJl")
        start = timeline.only(START).fields
        assert start["path"] == "/users/[REDACTED:email]"
        assert start["headers"]["x-twilio-signature"] == "[REDACTED:signature]"
        assert "route" not in start
        end = timeline.only(END).fields
        assert end["status"] == 200
        assert end["duration_ms"] >= 0

    def test_exception_from_app_is_logged_by_type_and_reraised(self, timeline: Timeline, log: logging.Logger) -> None:
        """An exception raised by the app propagates; the end record names its type only."""

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            msg = "user alice@example.com not found"
            raise LookupError(msg)

        with pytest.raises(LookupError):
            Client(RequestLoggingMiddleware(app, logger=log)).get("/")

        end = timeline.only(END)
        assert end.fields["exception"] == "LookupError"
        assert end.fields["status"] is None
        assert "alice" not in timeline.all_text()

    def test_exception_while_iterating_is_logged(self, timeline: Timeline, log: logging.Logger) -> None:
        """An error raised by the response iterable is logged once, with the status already sent."""

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
            start_response("200 OK", [])
            yield b"partial"
            raise RuntimeError

        response = Client(RequestLoggingMiddleware(app, logger=log)).get("/")
        with pytest.raises(RuntimeError):
            response.get_data()

        assert {k: timeline.only(END).fields[k] for k in ("status", "exception")} == {
            "status": 200,
            "exception": "RuntimeError",
        }

    def test_close_is_forwarded(self, timeline: Timeline, log: logging.Logger) -> None:
        """The app's iterable is closed (PEP 3333) before the end record is written."""
        closed: list[bool] = []

        class Body:
            def __iter__(self) -> Iterator[bytes]:
                return iter([b"ok"])

            def close(self) -> None:
                closed.append(True)
                timeline.mark("app.closed")

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            start_response("204 No Content", [])
            return Body()

        Client(RequestLoggingMiddleware(app, logger=log)).get("/").close()

        assert closed == [True]
        timeline.assert_order(START, "app.closed", END)
        assert timeline.only(END).fields["status"] == 204

    def test_start_response_exc_info_is_passed_on(self, log: logging.Logger) -> None:
        """An error page started with exc_info reaches the server's start_response with it."""
        seen: list[object] = []

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            try:
                raise ValueError
            except ValueError:
                start_response("500 Internal Server Error", [], sys.exc_info())
            return [b"error"]

        def server_start_response(status: str, headers: list[Any], exc_info: Any = None) -> Callable[[bytes], None]:
            seen.append(exc_info)
            return lambda data: None

        environ = EnvironBuilder("/").get_environ()
        result = RequestLoggingMiddleware(app, logger=log)(environ, server_start_response)
        list(result)
        result.close()  # type: ignore[attr-defined]

        assert seen[0] is not None
        assert seen[0][0] is ValueError  # type: ignore[index]

    def test_oversized_body_is_not_read(self, timeline: Timeline, log: logging.Logger) -> None:
        """A body above max_content_length is left unread for the app to reject."""
        app = RequestLoggingMiddleware(echo_app(timeline), logger=log, max_content_length=100)

        response = Client(app).post("/", data=b"a" * 1000)

        assert response.text == hashlib.sha256(b"a" * 1000).hexdigest()
        assert timeline.only(START).fields["body_not_read"] == "content length exceeds the limit"

    def test_structlog_sink(self, timeline: Timeline, pii: Secrets) -> None:
        """A structlog logger receives the records with fields as keyword arguments."""
        app = RequestLoggingMiddleware(echo_app(timeline), logger=structlog.get_logger("wsgi"))

        with structlog.testing.capture_logs() as captured:
            response = Client(app).post(
                "/", data=f"token={pii.token}", content_type="application/x-www-form-urlencoded"
            )
            response.close()

        assert [entry["event"] for entry in captured] == [START, END]
        assert captured[0]["body"] == "token=[REDACTED:secret]"

    @pytest.mark.parametrize(
        "options",
        [
            pytest.param({"body_cap": -1}, id="negative-cap"),
            pytest.param({"body_cap": True}, id="bool-cap"),
            pytest.param({"max_content_length": -5}, id="negative-limit"),
        ],
    )
    def test_invalid_configuration(self, options: dict[str, Any]) -> None:
        """Bad options fail when the middleware is built, not on a request."""
        with pytest.raises(ConfigurationError):
            RequestLoggingMiddleware(echo_app(None), **options)

    def test_peak_memory_stays_bounded(self, log: logging.Logger) -> None:
        """Logging a 5 MB request allocates far less than the body (the peek holds at most the cap)."""

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            stream = environ["wsgi.input"]
            while stream.read(64 * 1024):
                pass
            start_response("200 OK", [])
            return [b""]

        environ = EnvironBuilder("/", method="POST", data=b"\x00" * (5 * MB)).get_environ()
        middleware = RequestLoggingMiddleware(app, logger=log)
        tracemalloc.start()
        try:
            result = middleware(environ, lambda status, headers, exc_info=None: None)
            list(result)
            result.close()  # type: ignore[attr-defined]
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

        assert peak < 1 * MB


class _Trickle(io.RawIOBase):
    """A server stream that returns at most *step* bytes a read and records how much was read."""

    def __init__(self, data: bytes, step: int) -> None:
        super().__init__()
        self._data = io.BytesIO(data)
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self._data.read()
        return self._data.read(min(size, self._step))

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        return self._data.readline(-1 if size is None else size)

    def tell(self) -> int:
        return self._data.tell()


def environ_for(data: bytes, *, length: int | None, terminated: bool = False, step: int = 7) -> dict[str, Any]:
    environ: dict[str, Any] = {"wsgi.input": _Trickle(data, step)}
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    if terminated:
        environ["wsgi.input_terminated"] = True
    return environ


class TestPeek:
    """peek_wsgi_input reads at most the cap, never past the length, and puts the bytes back."""

    @pytest.mark.parametrize(
        ("size", "cap", "complete"),
        [
            pytest.param(0, 16, True, id="empty"),
            pytest.param(10, 16, True, id="below-cap"),
            pytest.param(16, 16, True, id="exactly-cap"),
            pytest.param(17, 16, False, id="one-over"),
            pytest.param(1000, 16, False, id="far-over"),
        ],
    )
    @pytest.mark.parametrize("with_length", [True, False], ids=["content-length", "chunked"])
    def test_prefix_then_rest(self, size: int, cap: int, complete: bool, with_length: bool) -> None:
        """The app reads the whole body, byte for byte, after the peek (short reads included)."""
        data = bytes(range(256))[:size] if size <= 256 else b"x" * size
        environ = environ_for(data, length=size if with_length else None, terminated=not with_length)

        peek = peek_wsgi_input(environ, cap)

        assert peek.body == data[:cap]
        assert peek.complete is complete
        assert environ["wsgi.input"].read() == data

    def test_never_reads_past_content_length(self) -> None:
        """With keep-alive the next request follows the body: the peek must not touch it."""
        environ = environ_for(b"body" + b"NEXT REQUEST", length=4)
        server_stream = environ["wsgi.input"]

        peek_wsgi_input(environ, 1024)

        assert environ["wsgi.input"].read() == b"body"
        assert server_stream.tell() == 4

    def test_body_read_whole_is_served_from_memory(self) -> None:
        """A complete body needs nothing more from the server's stream; a partial one keeps it."""
        whole = environ_for(b"0123456789", length=10)
        partial = environ_for(b"0123456789", length=10)

        peek_wsgi_input(whole, 1024)
        peek_wsgi_input(partial, 4)

        assert isinstance(whole["wsgi.input"], io.BytesIO)
        assert isinstance(partial["wsgi.input"], PrefixedStream)
        assert (whole["wsgi.input"].read(), partial["wsgi.input"].read()) == (b"0123456789", b"0123456789")

    def test_unterminated_stream_without_length_is_not_read(self) -> None:
        """Without a length or wsgi.input_terminated the stream could block: it is left alone."""
        environ = environ_for(b"data", length=None)
        original = environ["wsgi.input"]

        peek = peek_wsgi_input(environ, 1024)

        assert (peek.body, peek.complete) == (b"", True)
        assert environ["wsgi.input"] is original

    def test_read_error_keeps_what_came(self) -> None:
        """A client gone mid-body: the bytes read so far are still handed to the app."""

        class Failing(_Trickle):
            def read(self, size: int | None = -1) -> bytes:
                if self.tell() >= 4:
                    raise OSError("connection reset")
                return super().read(size)

        environ: dict[str, Any] = {"wsgi.input": Failing(b"abcdefgh", 4), "CONTENT_LENGTH": "8"}

        peek = peek_wsgi_input(environ, 1024)

        assert (peek.body, peek.complete, peek.error) == (b"abcd", False, "OSError")
        assert environ["wsgi.input"].read(4) == b"abcd"

    @pytest.mark.parametrize(
        ("environ", "expected"),
        [
            ({"CONTENT_LENGTH": "12"}, 12),
            ({"CONTENT_LENGTH": ""}, None),
            ({"CONTENT_LENGTH": "abc"}, None),
            ({"CONTENT_LENGTH": "-3"}, 0),
            ({"CONTENT_LENGTH": "12", "HTTP_TRANSFER_ENCODING": "chunked"}, None),
            ({}, None),
        ],
    )
    def test_content_length(self, environ: dict[str, Any], expected: int | None) -> None:
        """The declared length is read as Werkzeug reads it."""
        assert content_length(environ) == expected


class TestPrefixedStream:
    """PrefixedStream behaves like the stream it replaces, across the prefix boundary."""

    DATA = b"line one\nline two\nline three\nlast"

    @pytest.fixture(name="stream")
    def fixture_stream(self) -> PrefixedStream:
        return PrefixedStream(self.DATA[:13], _Trickle(self.DATA[13:], 1000))

    @pytest.mark.parametrize("size", [1, 5, 13, 14, 100])
    def test_read_in_pieces(self, stream: PrefixedStream, size: int) -> None:
        """Reads of any size concatenate to the original bytes."""
        pieces = []
        while piece := stream.read(size):
            pieces.append(piece)

        assert b"".join(pieces) == self.DATA

    def test_readline_across_the_boundary(self, stream: PrefixedStream) -> None:
        """A line that starts in the prefix and ends in the rest comes back whole."""
        assert list(stream) == [b"line one\n", b"line two\n", b"line three\n", b"last"]

    def test_readline_with_limit(self, stream: PrefixedStream) -> None:
        """readline(size) returns at most size bytes, as io does."""
        assert stream.readline(4) == b"line"
        assert stream.readline(100) == b" one\n"
        assert stream.readline(3) == b"lin"
        assert stream.readline(-1) == b"e two\n"

    def test_readinto(self, stream: PrefixedStream) -> None:
        """readinto fills from the prefix, then from the rest (short reads allowed)."""
        buffer = bytearray(64)
        received = bytearray()
        while count := stream.readinto(buffer):
            received += buffer[:count]

        assert bytes(received) == self.DATA

    def test_readall_and_readable(self, stream: PrefixedStream) -> None:
        """readall returns everything and the stream says it is readable."""
        assert stream.readable()
        assert stream.readall() == self.DATA
        assert stream.read() == b""


class TestPeekProperties:
    """Whatever the sizes and read pattern, the app reads exactly the original bytes (Hypothesis)."""

    @given(
        data=st.binary(max_size=3000),
        cap=st.integers(min_value=0, max_value=2048),
        step=st.integers(min_value=1, max_value=700),
        reads=st.lists(st.integers(min_value=-1, max_value=900), max_size=30),
        chunked=st.booleans(),
        use_lines=st.booleans(),
    )
    @settings(max_examples=200, deadline=None)
    def test_app_reads_identical_bytes(  # noqa: PLR0913, PLR0917 - Hypothesis arguments
        self, data: bytes, cap: int, step: int, reads: list[int], chunked: bool, use_lines: bool
    ) -> None:
        """Mixed read(n), read(), readline() and readinto() calls reassemble the body."""
        environ = environ_for(data, length=None if chunked else len(data), terminated=chunked, step=step)

        peek = peek_wsgi_input(environ, cap)
        stream = environ["wsgi.input"]
        received = bytearray()
        for size in reads:
            if use_lines:
                received += stream.readline(size)
            elif size == 0:
                buffer = bytearray(64)
                received += buffer[: stream.readinto(buffer) or 0]
            else:
                received += stream.read(size)
        received += stream.read()

        assert bytes(received) == data
        assert peek.body == data[:cap]
        assert peek.complete is (len(data) <= cap)
