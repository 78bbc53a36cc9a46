"""The Flask extension and the WSGI middleware over a real socket (Werkzeug server on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import httpx
import pytest
from flask import Flask, request

from redactlog import Redactor
from redactlog.flask import RequestLogger
from redactlog.wsgi import RequestLoggingMiddleware

START = "http.request.start"
END = "http.request.end"
CHECK = "app.check"
VIEW = "app.view"
PLACEMENTS = ("view_decorator", "app_before_request", "blueprint_before_request")
MB = 1024 * 1024

# The fixtures' types live in conftest.py, which importlib mode cannot import.
Secrets = Any
Timeline = Any
Serve = Callable[[Any], Any]


def digest(data: bytes) -> dict[str, object]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "length": len(data)}


def chunked(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """Yield *data* in pieces: httpx sends an iterator with Transfer-Encoding: chunked."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def client(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=30)


class TestSignaturePlacementsOverSocket:
    """Start < check < end, nothing secret logged, identical bytes, for every check placement."""

    @pytest.mark.parametrize("placement", PLACEMENTS)
    @pytest.mark.parametrize(("case", "status"), [("valid", 200), ("invalid", 401), ("missing", 401)])
    def test_webhook(  # noqa: PLR0913, PLR0917 - fixtures and parameters
        self,
        webhook_app: Callable[..., Flask],
        serve: Serve,
        timeline: Timeline,
        pii: Secrets,
        placement: str,
        case: str,
        status: int,
    ) -> None:
        """Over a real socket the record precedes the check and holds no secret."""
        body = pii.json_body()
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {pii.jwt}",
            "Cookie": f"sid={pii.token}",
        }
        if case != "missing":
            headers["X-Hub-Signature-256"] = pii.github_signature(body if case == "valid" else body[:-1])
        server = serve(webhook_app(placement))

        with client(server.url) as http:
            response = http.post(f"/hooks/{pii.email}?{pii.query()}", content=body, headers=headers)

        assert response.status_code == status
        timeline.wait_for(END)
        timeline.assert_order(START, CHECK, END)
        assert timeline.only(CHECK).fields == digest(body)  # the check read the identical bytes
        if case == "valid":
            assert response.json() == digest(body)
        timeline.assert_no_leak(*pii.values(), headers.get("X-Hub-Signature-256", "sha256=")[7:] or pii.token)
        start = timeline.only(START).fields
        assert start["headers"]["cookie"] == "sid=[REDACTED:secret]"
        assert start["headers"]["authorization"] == "Bearer [REDACTED:secret]"


@pytest.fixture(name="upload_app")
def fixture_upload_app(timeline: Timeline, log: logging.Logger, redactor: Redactor, pii: Secrets) -> Flask:
    key = pii.webhook_key.encode()
    app = Flask("uploads")
    app.config["MAX_CONTENT_LENGTH"] = 8 * MB
    RequestLogger(app, redactor=redactor, logger=log)

    @app.post("/raw")
    def raw() -> dict[str, object]:
        return digest(request.get_data())

    @app.post("/stream")
    def stream() -> dict[str, object]:
        timeline.mark(VIEW)
        sha, mac = hashlib.sha256(), hmac.new(key, b"", hashlib.sha256)
        chunks = length = 0
        while chunk := request.stream.read(64 * 1024):
            chunks += 1
            length += len(chunk)
            sha.update(chunk)
            mac.update(chunk)
        return {"sha256": sha.hexdigest(), "length": length, "chunks": chunks, "hmac": mac.hexdigest()}

    return app


class TestLargeAndStreamedBodiesOverSocket:
    """Five megabytes, with a length or chunked, reach the view whole; the log stays capped."""

    def test_five_megabytes_with_content_length(
        self, upload_app: Flask, serve: Serve, timeline: Timeline, pii: Secrets
    ) -> None:
        """A 5 MB JSON body is delivered intact and logged as a capped, scrubbed prefix."""
        body = pii.json_body(padding="z" * (5 * MB))

        with client(serve(upload_app).url) as http:
            response = http.post("/raw", content=body, headers={"Content-Type": "application/json"})

        assert response.json() == digest(body)
        start = timeline.only(START).fields
        assert start["body_truncated"] is True
        assert len(start["body"]) < 4096 + 200
        timeline.assert_no_leak(*pii.values())

    def test_five_megabytes_chunked_to_a_streaming_view(
        self, upload_app: Flask, serve: Serve, timeline: Timeline, pii: Secrets
    ) -> None:
        """A chunked upload streams through in many reads and its incremental HMAC verifies."""
        body = pii.json_body(padding="q" * (5 * MB))

        with client(serve(upload_app).url) as http:
            result = http.post("/stream", content=chunked(body), headers={"Content-Type": "application/json"}).json()

        assert {"sha256": result["sha256"], "length": result["length"]} == digest(body)
        assert result["chunks"] > 1
        assert result["hmac"] == hmac.new(pii.webhook_key.encode(), body, hashlib.sha256).hexdigest()
        start = timeline.only(START).fields
        assert "transfer-encoding" in start["headers"]
        assert start["body_truncated"] is True
        timeline.assert_order(START, VIEW, END)

    def test_max_content_length_413_is_logged(self, upload_app: Flask, serve: Serve, timeline: Timeline) -> None:
        """Above MAX_CONTENT_LENGTH the client gets 413 (or a reset) and the request is logged unread."""
        upload_app.config["MAX_CONTENT_LENGTH"] = 1000

        with client(serve(upload_app).url) as http:
            try:
                status = http.post("/raw", content=b"x" * 200_000).status_code
            except httpx.TransportError:  # the dev server may reset an undrained upload (flask#2662)
                status = 413

        assert status == 413
        timeline.wait_for(END)
        assert timeline.only(START).fields["body_not_read"] == "content length exceeds the limit"
        assert timeline.only(END).fields["status"] == 413


def signature_middleware(app: Callable[..., Iterable[bytes]], key: bytes, timeline: Timeline) -> Callable[..., Any]:
    """A WSGI-level GitHub signature check that reads wsgi.input itself and puts the body back."""

    def check(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        timeline.mark(CHECK)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        expected = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(environ.get("HTTP_X_HUB_SIGNATURE_256", ""), expected):
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"bad signature"]
        return app(environ, start_response)

    return check


class TestWSGIMiddlewareOverSocket:
    """RequestLoggingMiddleware, outermost, logs before a WSGI-level signature check."""

    @pytest.mark.parametrize(("valid", "status"), [(True, 200), (False, 401)])
    def test_wsgi_signature_check_inside_the_logger(  # noqa: PLR0913, PLR0917 - fixtures and parameters
        self,
        serve: Serve,
        timeline: Timeline,
        log: logging.Logger,
        pii: Secrets,
        valid: bool,
        status: int,
    ) -> None:
        """The start record precedes the middleware's check; the app gets the identical bytes."""
        app = Flask("wsgi-checked")
        app.add_url_rule("/hook", "hook", lambda: digest(request.get_data()), methods=["POST"])
        app.wsgi_app = signature_middleware(app.wsgi_app, pii.webhook_key.encode(), timeline)  # type: ignore[method-assign]
        app.wsgi_app = RequestLoggingMiddleware(app.wsgi_app, logger=log)  # type: ignore[method-assign]
        body = json.dumps({"email": pii.email, "token": pii.token}).encode()
        signature = pii.github_signature(body if valid else b"")

        with client(serve(app).url) as http:
            response = http.post("/hook", content=body, headers={"X-Hub-Signature-256": signature})

        assert response.status_code == status
        if valid:
            assert response.json() == digest(body)
        timeline.wait_for(END)
        timeline.assert_order(START, CHECK, END)
        timeline.assert_no_leak(pii.email, pii.token, signature[7:])
        assert timeline.only(END).fields["status"] == status
