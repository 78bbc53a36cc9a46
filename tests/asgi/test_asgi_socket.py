"""RequestLoggingMiddleware over a real socket: uvicorn on 127.0.0.1, started and stopped by each test."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import pathlib
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow

START = "http.request.start"
END = "http.request.end"
MB = 1024 * 1024
EXAMPLE = pathlib.Path(__file__).parents[2] / "examples" / "fastapi_webhook.py"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """Yield *data* in pieces: httpx sends a generator with Transfer-Encoding: chunked."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.fixture(name="serve")
def fixture_serve(make_app: Any, live_server: Any) -> Iterator[Any]:
    """Start uvicorn with the scenario app built from *options*; stop it when the test ends."""
    with contextlib.ExitStack() as stack:
        yield lambda **options: stack.enter_context(live_server(make_app(**options)))


def open_socket(server: Any) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.settimeout(5)
    return sock


def read_head(sock: socket.socket) -> bytes:
    """Read one response head (status line and headers)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class TestWebhookOverSocket:
    """The webhook example behind uvicorn: logged before the check, scrubbed, byte-identical."""

    @pytest.fixture(name="example_server")
    def fixture_example_server(self, live_server, timeline, log, redactor, pii) -> Iterator[Any]:
        spec = importlib.util.spec_from_file_location("redactlog_example_fastapi_webhook_socket", EXAMPLE)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        app = module.create_app(github_secret=pii.webhook_key, redactor=redactor, logger=log)
        webhooks = logging.getLogger("webhooks")
        previous = webhooks.level
        webhooks.setLevel(logging.INFO)
        webhooks.addHandler(timeline)
        try:
            with live_server(app) as server:
                yield server
        finally:
            webhooks.removeHandler(timeline)
            webhooks.setLevel(previous)

    @pytest.mark.parametrize(
        ("case", "status"), [("valid", 200), ("invalid", 401), ("missing", 401)], ids=["valid", "invalid", "missing"]
    )
    def test_github_delivery(self, example_server, timeline, pii, case, status):
        """Each delivery is logged before the signature check and holds no secret."""
        body = json.dumps({"sender": {"email": pii.email, "phone": pii.phone}, "ssn": pii.ssn}).encode()
        signature = {"valid": pii.github_signature(body), "invalid": pii.github_signature(body + b"!"), "missing": ""}
        headers = {"content-type": "application/json", "x-hub-signature-256": signature[case]}
        response = httpx.post(f"{example_server.url}/webhooks/github?token={pii.token}", content=body, headers=headers)
        timeline.wait_for(END)

        assert response.status_code == status
        events = timeline.events()
        assert events[0] == START
        assert events[1].startswith("github delivery")
        text = timeline.all_text()
        for value in (*pii.values(), signature[case].removeprefix("sha256=") or pii.token):
            assert value not in text
        if case == "valid":
            assert response.json()["sha256"] == sha(body)


class TestBodiesOverSocket:
    """Large and streamed bodies arrive intact through uvicorn."""

    @pytest.mark.parametrize("framing", ["content-length", "chunked"])
    def test_five_megabytes_stream_intact(self, serve, timeline, pii, framing):
        """request.stream() sees the whole 5 MB body in several chunks; the log stays capped."""
        data = bytes(range(32, 127)) * (5 * MB // 95)
        server = serve(body_cap=2048)
        content = data if framing == "content-length" else chunks(data)
        response = httpx.post(f"{server.url}/stream", content=content, timeout=30)
        timeline.wait_for(END)

        got = response.json()
        assert got["sha256"] == sha(data)
        assert got["chunks"] > 1
        assert got["hmac"] == pii.github_signature(data).removeprefix("sha256=")
        start = timeline.first(START).fields
        assert start["body_truncated"] is True
        assert len(start["body"]) <= 2048 + len("...[truncated]")

    def test_max_body_size_413(self, serve, timeline):
        """FastAPI's max_body_size answers 413 through the logger, and the request is logged."""
        server = serve(max_body_size=10_000)
        response = httpx.post(f"{server.url}/echo", content=b"x" * 20_000)
        timeline.wait_for(END)

        assert response.status_code == 413
        assert timeline.events()[0] == START


class TestResponsesOverSocket:
    """Streaming responses and background tasks behave as without the logger."""

    def test_streaming_response_is_complete(self, serve, timeline):
        """Every chunk of a StreamingResponse arrives (the replay never fakes a disconnect)."""
        server = serve()
        with httpx.stream("GET", f"{server.url}/stream-out") as response:
            lines = list(response.iter_lines())
        timeline.wait_for(END)

        assert lines == [str(i) for i in range(20)]
        assert timeline.first(END).fields["status"] == 200

    def test_background_task_does_not_delay_the_response(self, serve, timeline):
        """The response arrives before the 1.5 s background task ends; the end record after it."""
        server = serve()
        began = time.monotonic()
        response = httpx.get(f"{server.url}/bg")
        elapsed = time.monotonic() - began
        timeline.wait_for(END)

        assert response.json() == {"ok": True}
        assert elapsed < 1.2
        assert timeline.events()[-2:] == ["app.background_done", END]

    def test_lifespan_runs(self, make_app, live_server):
        """Startup and shutdown run under uvicorn through the middleware."""
        app = make_app()
        with live_server(app):
            assert app.state.lifespan_ran == ["startup"]

        assert app.state.lifespan_ran == ["startup", "shutdown"]


class TestRawSocket:
    """Protocol edge cases that need hand-written HTTP/1.1."""

    def test_interleaved_io_answers_within_peek_timeout(self, serve, timeline):
        """An app answering after the first chunk is not stalled by the peek beyond peek_timeout."""
        server = serve(peek_timeout=0.3)
        with open_socket(server) as sock:
            sock.sendall(
                b"POST /first-chunk HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
            )
            began = time.monotonic()
            head = read_head(sock)
            elapsed = time.monotonic() - began

        assert head.startswith(b"HTTP/1.1 200")
        assert elapsed < 2.5
        timeline.wait_for(END)
        assert timeline.first(START).fields["peek_timed_out"] is True

    def test_expect_100_continue_is_answered_by_the_peek(self, serve, timeline):
        """Documented: the peek's first receive() makes uvicorn send 100 Continue before the app runs."""
        server = serve()
        with open_socket(server) as sock:
            sock.sendall(b"POST /nowhere HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            interim = read_head(sock)
            sock.sendall(b"hello")
            final = read_head(sock)
        timeline.wait_for(END)

        assert interim.startswith(b"HTTP/1.1 100 Continue")
        assert final.startswith(b"HTTP/1.1 404")

    def test_expect_100_continue_without_body_logging(self, serve, timeline):
        """With log_body=False nothing is read, so an app rejecting on headers answers with no 100 Continue."""
        server = serve(log_body=False)
        with open_socket(server) as sock:
            sock.sendall(b"POST /nowhere HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            first = read_head(sock)
        timeline.wait_for(END)

        assert first.startswith(b"HTTP/1.1 404")

    def test_client_disconnect_mid_peek(self, serve, timeline):
        """A client that leaves mid-body is logged as such, and the server stays healthy."""
        server = serve()
        with open_socket(server) as sock:
            sock.sendall(b"POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n" + b"a" * 100)
            time.sleep(0.05)
        timeline.wait_for(END)

        assert timeline.first(START).fields["client_disconnected_early"] is True
        assert httpx.post(f"{server.url}/echo", content=b"still up").json()["length"] == 8
