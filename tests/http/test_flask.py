"""Acceptance tests for redactlog.flask.RequestLogger against real Flask apps (test client)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
import structlog
from flask import Flask, request, request_started
from flask.testing import FlaskClient

from redactlog import ConfigurationError, Redactor
from redactlog.flask import RequestLogger

START = "http.request.start"
END = "http.request.end"
CHECK = "app.check"
VIEW = "app.view"
PLACEMENTS = ("view_decorator", "app_before_request", "blueprint_before_request")

# The fixtures' types live in conftest.py, which importlib mode cannot import.
Secrets = Any
Timeline = Any


def digest(data: bytes) -> dict[str, object]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "length": len(data)}


def post_webhook(client: FlaskClient, pii: Secrets, body: bytes, signature: str | None, **kwargs: Any) -> Any:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {pii.token}"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    client.set_cookie("session", pii.token)  # a hand-written Cookie header is dropped by the test client
    return client.post(f"/hooks/{pii.email}", query_string=pii.query(), data=body, headers=headers, **kwargs)


class TestSignatureCheckPlacement:
    """The start record precedes the signature check wherever the application puts it."""

    @pytest.mark.parametrize("placement", PLACEMENTS)
    @pytest.mark.parametrize(
        ("case", "status"),
        [
            pytest.param("valid", 200, id="valid-signature"),
            pytest.param("invalid", 401, id="invalid-signature"),
            pytest.param("missing", 401, id="missing-signature"),
        ],
    )
    def test_logged_before_check_and_scrubbed(  # noqa: PLR0913, PLR0917 - fixtures and parameters
        self,
        webhook_app: Callable[..., Flask],
        timeline: Timeline,
        pii: Secrets,
        placement: str,
        case: str,
        status: int,
    ) -> None:
        """Start < check < end; no secret in any record; the view read the identical bytes."""
        body = pii.json_body()
        signature = {
            "valid": pii.github_signature(body),
            "invalid": pii.github_signature(body + b" "),
            "missing": None,
        }[case]

        response = post_webhook(webhook_app(placement).test_client(), pii, body, signature)

        assert status == response.status_code
        timeline.assert_order(START, CHECK, END)
        assert timeline.only(CHECK).fields == digest(body)  # the check read the identical bytes
        if case == "valid":
            timeline.assert_order(START, CHECK, VIEW, END)
            assert digest(body) == response.json
        timeline.assert_no_leak(*pii.values(), *(signature.split("=", 1)[1:] if signature else ()))
        start = timeline.only(START).fields
        assert start["method"] == "POST"
        assert start["path"] == "/hooks/[REDACTED:email]"
        assert start["route"] == "/hooks/<account>"
        assert start["headers"]["authorization"] == "Bearer [REDACTED:secret]"
        assert start["headers"]["cookie"] == "session=[REDACTED:secret]"
        if signature is not None:
            assert start["headers"]["x-hub-signature-256"] == "sha256=[REDACTED:signature]"
            assert start["signature_schemes"] == ["aws_sigv4_presigned", "github", "shopify_oauth"]
        else:
            assert "x-hub-signature-256" not in start["headers"]
            assert start["signature_schemes"] == ["aws_sigv4_presigned", "shopify_oauth"]  # from the query
        assert status == timeline.only(END).fields["status"]

    def test_stripe_signature_keeps_timestamp(
        self,
        webhook_app: Callable[..., Flask],
        timeline: Timeline,
        pii: Secrets,
    ) -> None:
        """A Stripe-Signature header shows its timestamp and scheme labels, never a digest."""
        body = pii.json_body()
        header = pii.stripe_signature(body, timestamp=1_700_000_000)

        webhook_app("view_decorator").test_client().post(
            "/hooks/acme", data=body, headers={"Stripe-Signature": header, "Content-Type": "application/json"}
        )

        assert timeline.only(START).fields["headers"]["stripe-signature"] == "t=1700000000,v1=[REDACTED:signature]"


class TestQueryHeadersAndBody:
    """What the start record says about query strings, headers and bodies."""

    def test_query_is_decoded_and_masked_by_key(
        self, webhook_app: Callable[..., Flask], timeline: Timeline, pii: Secrets
    ) -> None:
        """Percent-encoded PII and credential parameters are masked; other parameters stay readable."""
        webhook_app("view_decorator").test_client().post("/hooks/acme", query_string=pii.query())

        query = timeline.only(START).fields["query"]
        assert query.startswith("email=[REDACTED:email]&access_token=[REDACTED:secret]&code=[REDACTED:secret]")
        assert "hmac=[REDACTED:signature]" in query
        assert "X-Amz-Signature=[REDACTED:signature]" in query
        assert query.endswith("&page=2")
        timeline.assert_no_leak(*pii.values())

    def test_json_body_is_masked_structurally(
        self, webhook_app: Callable[..., Flask], timeline: Timeline, pii: Secrets
    ) -> None:
        """Every secret in a JSON body is masked; the rest of the document is kept."""
        webhook_app("view_decorator").test_client().post(
            "/hooks/acme", data=pii.json_body(), content_type="application/json"
        )

        body = json.loads(timeline.only(START).fields["body"])
        assert body["action"] == "created"
        assert body["password"] == "[REDACTED:secret]"
        assert body["api_token"] == "[REDACTED:secret]"
        assert body["customer"]["email"] == "[REDACTED:email]"
        timeline.assert_no_leak(*pii.values())

    def test_unlisted_headers_are_dropped(self, webhook_app: Callable[..., Flask], timeline: Timeline) -> None:
        """Only allow-listed and masked headers appear; others are left out entirely."""
        webhook_app("view_decorator").test_client().post(
            "/hooks/acme", headers={"X-Custom": "internal", "X-GitHub-Event": "push", "X-Api-Key": "k-123456"}
        )

        headers = timeline.only(START).fields["headers"]
        assert "x-custom" not in headers
        assert headers["x-github-event"] == "push"
        assert headers["x-api-key"] == "[REDACTED:secret]"


class TestApplicationSeesTheOriginalRequest:
    """The view reads exactly what it would read without the extension."""

    @pytest.fixture(name="echo_app")
    def fixture_echo_app(self, timeline: Timeline, log: logging.Logger, redactor: Redactor) -> Flask:
        app = Flask("echo")
        RequestLogger(app, redactor=redactor, logger=log, body_cap=1024)

        @app.post("/raw")
        def raw() -> dict[str, object]:
            timeline.mark(VIEW)
            return digest(request.get_data())

        @app.post("/stream")
        def stream() -> dict[str, object]:
            sha, chunks, length = hashlib.sha256(), 0, 0
            while chunk := request.stream.read(64 * 1024):
                sha.update(chunk)
                chunks += 1
                length += len(chunk)
            return {"sha256": sha.hexdigest(), "length": length, "chunks": chunks}

        @app.post("/form")
        def form() -> dict[str, object]:
            files = {name: {"filename": f.filename, **digest(f.read())} for name, f in request.files.items()}
            return {"form": request.form.to_dict(), "files": files, "data": request.data.decode()}

        @app.post("/boom")
        def boom() -> str:
            secret = request.get_json()["password"]
            msg = f"bad password {secret}"
            raise ValueError(msg)

        return app

    def test_five_megabytes_intact_with_capped_log(self, echo_app: Flask, timeline: Timeline) -> None:
        """A 5 MB body reaches the view whole; the record holds at most the cap."""
        body = bytes(range(256)) * (5 * 4096)

        response = echo_app.test_client().post("/raw", data=body, content_type="application/octet-stream")

        assert digest(body) == response.json
        start = timeline.only(START).fields
        assert start["body_truncated"] is True
        assert len(start["body"]) < 200  # binary: metadata only

    def test_streaming_view_still_streams(self, echo_app: Flask, timeline: Timeline, pii: Secrets) -> None:
        """request.stream yields the peeked prefix and then the rest, in several reads."""
        body = pii.json_body(padding="x" * 300_000)

        result = echo_app.test_client().post("/stream", data=body, content_type="application/json").json

        assert digest(body) == {"sha256": result["sha256"], "length": result["length"]}
        assert result["chunks"] > 1
        timeline.assert_no_leak(*pii.values())

    @pytest.mark.parametrize(
        ("body", "content_type", "expected"),
        [
            pytest.param(
                b'{"password": "hunter2", oops',
                "application/json",
                '"password": "[REDACTED:secret]"',
                id="malformed-json",
            ),
            pytest.param(
                b'{"email": "alice\\u0040example.com"}',
                "application/json",
                '{"email":"[REDACTED:email]"}',
                id="unicode-escape",
            ),
            pytest.param(
                b"caf\xe9 \xff\xfe alice@example.com",
                "text/plain",
                "caf\ufffd \ufffd\ufffd [REDACTED:email]",
                id="non-utf8",
            ),
            pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", "<binary image/png body", id="binary"),
        ],
    )
    def test_awkward_bodies(
        self, echo_app: Flask, timeline: Timeline, body: bytes, content_type: str, expected: str
    ) -> None:
        """Malformed, escaped, non-UTF-8 and binary bodies are logged scrubbed and delivered intact."""
        response = echo_app.test_client().post("/raw", data=body, content_type=content_type)

        assert digest(body) == response.json
        assert expected in timeline.only(START).fields["body"]
        assert "alice@example.com" not in timeline.all_text()
        assert "hunter2" not in timeline.all_text()

    def test_urlencoded_form_intact_and_masked(self, echo_app: Flask, timeline: Timeline, pii: Secrets) -> None:
        """Percent-encoded PII is masked in the log; request.form and request.data are unchanged."""
        form = {"email": pii.email, "phone": pii.phone, "password": pii.password, "plan": "pro"}

        response = echo_app.test_client().post("/form", data=form)

        assert {"form": form, "files": {}, "data": ""} == response.json  # request.data stays b"" for forms
        assert "plan=pro" in timeline.only(START).fields["body"]
        timeline.assert_no_leak(*pii.values())

    def test_multipart_logs_part_names_only(self, echo_app: Flask, timeline: Timeline, pii: Secrets) -> None:
        """Part names and scrubbed filenames are logged; the view gets the file byte for byte."""
        content = b"%PDF-1.7 " + pii.ssn.encode()
        data = {"email": pii.email, "doc": (io.BytesIO(content), f"{pii.email}.pdf")}

        response = echo_app.test_client().post("/form", data=data, content_type="multipart/form-data")

        assert response.json["form"] == {"email": pii.email}
        assert response.json["files"]["doc"] == {"filename": f"{pii.email}.pdf", **digest(content)}
        body = timeline.only(START).fields["body"]
        assert body.startswith("<multipart parts=[email, doc(file=[REDACTED:email]")
        timeline.assert_no_leak(*pii.values())

    def test_gzip_body_is_inflated_for_the_log_only(self, echo_app: Flask, timeline: Timeline, pii: Secrets) -> None:
        """The log shows the inflated, scrubbed JSON; the view gets the compressed wire bytes."""
        body = gzip.compress(pii.json_body())

        response = echo_app.test_client().post(
            "/raw", data=body, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
        )

        assert digest(body) == response.json
        assert json.loads(timeline.only(START).fields["body"])["customer"]["email"] == "[REDACTED:email]"
        timeline.assert_no_leak(*pii.values())

    def test_truncated_json_straddling_secret_leaves_no_fragment(
        self, echo_app: Flask, timeline: Timeline, pii: Secrets
    ) -> None:
        """A secret cut by the cap leaves no fragment, and keys before the cut are still masked."""
        head, middle = f'{{"password": "{pii.password}", "pad": "', '", "contact": "'
        pad = "p" * (1024 - len(head) - len(middle) - 10)  # the cap falls 10 characters into the email
        body = f'{head}{pad}{middle}{pii.email}"}}'.encode()

        echo_app.test_client().post("/raw", data=body, content_type="application/json")

        logged = timeline.only(START).fields["body"]
        assert logged.endswith("...[truncated]")
        assert '"password":"[REDACTED:secret]"' in logged
        assert pii.email[:10] not in logged
        assert pii.email[:4] not in logged
        timeline.assert_no_leak(pii.password)


class TestLimitsAndErrors:
    """Size limits, errors and unknown routes behave as without the extension, and are logged."""

    @pytest.fixture(name="limited_app")
    def fixture_limited_app(self, log: logging.Logger) -> Flask:
        app = Flask("limited")
        app.config["MAX_CONTENT_LENGTH"] = 1000
        RequestLogger(app, logger=log)

        @app.post("/upload")
        def upload() -> dict[str, object]:
            return digest(request.get_data())

        @app.post("/big-upload")
        def big_upload() -> dict[str, object]:
            request.max_content_length = 10_000_000  # the view raises its own limit before reading
            return digest(request.get_data())

        @app.post("/tiny-upload")
        def tiny_upload() -> dict[str, object]:
            request.max_content_length = 10
            return digest(request.get_data())

        return app

    def test_max_content_length_413_is_logged(self, limited_app: Flask, timeline: Timeline) -> None:
        """An oversized body gives Flask's 413; the start record exists and the body was not read."""
        response = limited_app.test_client().post("/upload", data=b"x" * 5000)

        assert response.status_code == 413
        start = timeline.only(START).fields
        assert start["body_not_read"] == "content length exceeds the limit"
        assert timeline.only(END).fields["status"] == 413

    def test_per_request_override_still_works(self, limited_app: Flask, timeline: Timeline) -> None:
        """A view that raises request.max_content_length still reads a body above the app limit."""
        body = b"y" * 5000

        response = limited_app.test_client().post("/big-upload", data=body)

        assert digest(body) == response.json
        timeline.assert_order(START, END)

    def test_per_request_lower_limit_still_applies(self, limited_app: Flask, timeline: Timeline) -> None:
        """A view that lowers the limit after the peek still gets its 413."""
        response = limited_app.test_client().post("/tiny-upload", data=b"z" * 100)

        assert response.status_code == 413
        assert "z" * 10 in timeline.only(START).fields["body"]  # peeked: within the app limit

    def test_exception_logged_by_type_only(self, timeline: Timeline, log: logging.Logger, pii: Secrets) -> None:
        """An exception in the view gives a 500; the end record has its type, never its message."""
        app = Flask("boom")
        RequestLogger(app, logger=log)

        @app.post("/boom")
        def boom() -> str:
            msg = f"bad password {request.get_json()['password']}"
            raise ValueError(msg)

        response = app.test_client().post("/boom", json={"password": pii.password})

        assert response.status_code == 500
        end = timeline.only(END).fields
        assert {k: end[k] for k in ("status", "exception")} == {"status": 500, "exception": "ValueError"}
        timeline.assert_no_leak(pii.password)

    def test_propagated_exception_still_ends(self, timeline: Timeline, log: logging.Logger) -> None:
        """With app.testing the exception propagates, and the end record is still written."""
        app = Flask("propagate")
        app.testing = True
        RequestLogger(app, logger=log)

        @app.get("/boom")
        def boom() -> str:
            raise KeyError

        with pytest.raises(KeyError):
            app.test_client().get("/boom")

        assert timeline.only(END).fields["exception"] == "KeyError"

    @pytest.mark.parametrize(("method", "status"), [("GET", 404), ("DELETE", 405)])
    def test_unknown_route_and_method_are_logged(
        self, limited_app: Flask, timeline: Timeline, method: str, status: int
    ) -> None:
        """404 and 405 still produce a start and an end record."""
        path = "/nowhere" if status == 404 else "/upload"

        response = limited_app.test_client().open(path, method=method)

        assert status == response.status_code
        assert status == timeline.only(END).fields["status"]
        assert "route" not in timeline.only(START).fields


class _BrokenLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """A stdlib logger whose every call fails."""

    def log(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("sink down")


class _ExplodingRedactor(Redactor):
    """A redactor whose every call fails (redaction itself never raises; this simulates a bug)."""

    __slots__ = ()

    def redact(self, text: str, /) -> str:
        raise RuntimeError(text)

    def redact_value(self, value: object, /) -> object:
        raise RuntimeError(repr(value))


class TestFailuresNeverFailTheRequest:
    """A broken sink or scrubber never fails the request nor logs raw data."""

    def _app(self, **options: Any) -> Flask:
        app = Flask("fragile")
        RequestLogger(app, **options)

        @app.post("/ok")
        def ok() -> dict[str, object]:
            return digest(request.get_data())

        return app

    @pytest.mark.parametrize(
        "logger",
        [
            pytest.param(_BrokenLogger(logging.getLogger("redactlog.tests.broken")), id="stdlib"),
            pytest.param(object(), id="not-a-logger"),
        ],
    )
    def test_sink_failure(self, logger: object, pii: Secrets) -> None:
        """The request succeeds when the logger raises on every call."""
        body = pii.json_body()

        response = self._app(logger=logger).test_client().post("/ok", data=body)

        assert digest(body) == response.json

    def test_scrubber_failure_logs_placeholders(self, timeline: Timeline, log: logging.Logger, pii: Secrets) -> None:
        """When scrubbing raises, the record holds placeholders and the request still succeeds."""
        body = pii.json_body()
        app = self._app(logger=log, redactor=_ExplodingRedactor())

        response = app.test_client().post(f"/ok?email={pii.email}", data=body, content_type="application/json")

        assert digest(body) == response.json
        start = timeline.only(START).fields
        assert start["body"] == start["path"] == "<not logged: scrubbing failed>"
        timeline.assert_no_leak(*pii.values())


class TestExtensionContract:
    """init_app, several apps per process, sinks and imports."""

    def test_factory_and_several_apps(self, log: logging.Logger, timeline: Timeline) -> None:
        """One extension serves two apps; each request is logged once, by its own app."""
        extension = RequestLogger(logger=log)
        apps = [Flask("first"), Flask("second")]
        for app in apps:
            extension.init_app(app)
            app.add_url_rule("/", app.name, lambda: "ok")

        apps[0].test_client().get("/")
        apps[1].test_client().get("/")

        assert timeline.events() == [START, END, START, END]
        assert all(app.extensions["redactlog"] is extension for app in apps)

    def test_double_registration_raises(self) -> None:
        """Registering twice on one app is a configuration error, not double logging."""
        app = Flask("twice")
        RequestLogger(app)

        with pytest.raises(ConfigurationError, match="already has"):
            RequestLogger().init_app(app)

    def test_invalid_body_cap(self) -> None:
        """A negative body cap is rejected when the extension is built."""
        with pytest.raises(ConfigurationError, match="body_cap"):
            RequestLogger(body_cap=-1)

    def test_default_logger_is_redactlog_http(self, timeline: Timeline) -> None:
        """Without a logger, records go to the stdlib logger 'redactlog.http'."""
        handler = type(timeline)()
        logger = logging.getLogger("redactlog.http")
        logger.addHandler(handler)
        previous = logger.level
        logger.setLevel(logging.INFO)
        try:
            app = Flask("default")
            RequestLogger(app)
            app.add_url_rule("/", "index", lambda: "ok")
            app.test_client().get("/")
        finally:
            logger.removeHandler(handler)
            logger.setLevel(previous)

        assert handler.events() == [START, END]
        assert handler.entries[0].text.endswith("http.request.start GET /")

    def test_structlog_sink(self, pii: Secrets) -> None:
        """A structlog logger receives the event name and the fields as keyword arguments."""
        app = Flask("structlog")
        RequestLogger(app, logger=structlog.get_logger("tests"))
        app.add_url_rule("/p", "p", lambda: "ok", methods=["POST"])

        with structlog.testing.capture_logs() as captured:
            app.test_client().post("/p", json={"email": pii.email})

        assert [entry["event"] for entry in captured] == [START, END]
        assert captured[0]["body"] == '{"email":"[REDACTED:email]"}'
        assert captured[1]["status"] == 200

    def test_disabled_logger_skips_the_peek(self, log: logging.Logger, timeline: Timeline) -> None:
        """When the logger would drop the records, the body is not even peeked."""
        log.setLevel(logging.WARNING)
        app = Flask("quiet")
        RequestLogger(app, logger=log)

        @app.post("/stream-type")
        def stream_type() -> str:
            return type(request.environ["wsgi.input"]).__name__

        response = app.test_client().post("/stream-type", data=b"abc")

        assert response.text != "PrefixedStream"
        assert timeline.events() == []

    def test_body_already_read_upstream_is_not_peeked(self, log: logging.Logger, timeline: Timeline) -> None:
        """If an earlier request_started receiver read the body, the extension logs that, not a torn peek."""
        app = Flask("eager")

        def eager_reader(sender: Flask, **_: Any) -> None:
            request.get_data()  # cached by Werkzeug; request.stream now exists

        request_started.connect(eager_reader, app)  # connected before the extension: runs first
        RequestLogger(app, logger=log)
        app.add_url_rule("/p", "p", lambda: digest(request.get_data()), methods=["POST"])

        response = app.test_client().post("/p", data=b"payload")

        assert response.json == digest(b"payload")
        assert timeline.only(START).fields["body_not_read"] == "already read by the application"

    def test_log_body_off(self, log: logging.Logger, timeline: Timeline) -> None:
        """With log_body=False the start record has no body and the stream is untouched."""
        app = Flask("nobody")
        RequestLogger(app, logger=log, log_body=False)
        app.add_url_rule("/p", "p", lambda: digest(request.get_data()), methods=["POST"])

        response = app.test_client().post("/p", data=b"hello")

        assert digest(b"hello") == response.json
        assert "body" not in timeline.only(START).fields

    def test_importing_redactlog_does_not_import_flask(self) -> None:
        """Flask is optional: redactlog and redactlog.wsgi import neither Flask nor Werkzeug."""
        code = (
            "import sys, redactlog, redactlog.wsgi; "
            "bad = [m for m in ('flask', 'werkzeug') if m in sys.modules]; "
            "assert not bad, bad"
        )

        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
