"""Fixtures for the WSGI and Flask request-logger tests: secrets, log capture, apps, a real server."""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import hmac
import json
import logging
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from flask import Blueprint, Flask, abort, request
from werkzeug.serving import BaseWSGIServer, make_server

from redactlog import Redactor
from redactlog.flask import RequestLogger

START = "http.request.start"
END = "http.request.end"
CHECK = "app.check"
VIEW = "app.view"

_ALNUM = string.ascii_letters + string.digits


def _random(n: int, alphabet: str = _ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def digest(data: bytes) -> dict[str, object]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "length": len(data)}


@dataclasses.dataclass(frozen=True)
class Secrets:
    """Secret-looking values built at run time, never committed."""

    email: str
    phone: str
    ssn: str
    token: str
    jwt: str
    webhook_key: str
    password: str
    oauth_code: str
    query_hmac: str
    amz_signature: str

    def values(self) -> tuple[str, ...]:
        return (
            self.email,
            self.phone,
            self.ssn,
            self.token,
            self.jwt,
            self.webhook_key,
            self.password,
            self.oauth_code,
            self.query_hmac,
            self.amz_signature,
        )

    def github_signature(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.webhook_key.encode(), body, hashlib.sha256).hexdigest()

    def stripe_signature(self, body: bytes, timestamp: int | None = None) -> str:
        t = str(int(time.time()) if timestamp is None else timestamp)
        mac = hmac.new(self.webhook_key.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
        return f"t={t},v1={mac}"

    def json_body(self, **extra: object) -> bytes:
        """A JSON webhook payload that holds every kind of secret."""
        payload = {
            "action": "created",
            "customer": {"email": self.email, "phone": self.phone, "ssn": self.ssn},
            "password": self.password,
            "api_token": self.token,
            "note": f"Authorization: Bearer {self.jwt}",
            **extra,
        }
        return json.dumps(payload).encode()

    def query(self) -> str:
        """A query string with percent-encoded PII and credential parameters."""
        return (
            f"email={quote(self.email, safe='')}&access_token={self.token}&code={self.oauth_code}"
            f"&hmac={self.query_hmac}&X-Amz-Signature={self.amz_signature}"
            f"&phone={quote_plus(self.phone)}&page=2"
        )


def make_secrets() -> Secrets:
    rng = secrets.SystemRandom()
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = _b64url(json.dumps({"sub": _random(12), "iat": 1_700_000_000}).encode())
    return Secrets(
        email=f"alice.{_random(6, string.ascii_lowercase)}@example.com",
        phone=rng.choice(["+44 20 7946 0958", "+1 650 253 0000"]),
        ssn=f"{rng.randint(100, 599)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
        token="ghp_" + _random(36),
        jwt=f"{header}.{claims}.{_b64url(secrets.token_bytes(32))}",
        webhook_key="whsec_" + _random(32),
        password="pw-" + _random(14),
        oauth_code=_random(20),
        query_hmac=secrets.token_hex(16),
        amz_signature=secrets.token_hex(32),
    )


@pytest.fixture(name="pii")
def fixture_pii() -> Secrets:
    return make_secrets()


@pytest.fixture(scope="session", name="redactor")
def fixture_redactor() -> Redactor:
    return Redactor()


# --------------------------------------------------------------------------- capture


@dataclasses.dataclass
class Entry:
    """One captured record: the event name, its fields and everything the record holds as text."""

    event: str
    fields: dict[str, Any]
    text: str


_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class Timeline(logging.Handler):
    """Request-log records and the application's own markers, in the order they happened."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.entries: list[Entry] = []
        self._entries_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        fields = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
        message = record.getMessage()
        entry = Entry(str(fields.get("event", message)), fields, repr(record.__dict__) + message)
        with self._entries_lock:
            self.entries.append(entry)

    def mark(self, event: str, **fields: Any) -> None:
        with self._entries_lock:
            self.entries.append(Entry(event, fields, repr(fields)))

    def events(self) -> list[str]:
        return [entry.event for entry in self.entries]

    def only(self, event: str) -> Entry:
        found = [entry for entry in self.entries if entry.event == event]
        assert len(found) == 1, self.events()
        return found[0]

    def all_text(self) -> str:
        return "\n".join(entry.text for entry in self.entries if entry.event in (START, END))

    def wait_for(self, event: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while event not in self.events():
            if time.monotonic() > deadline:
                msg = f"{event} not logged; got {self.events()}"
                raise AssertionError(msg)
            time.sleep(0.005)

    def assert_order(self, *events: str) -> None:
        """Assert that each of *events* happened, in this order."""
        seen = self.events()
        positions = [seen.index(event) for event in events]
        assert positions == sorted(positions), seen

    def assert_no_leak(self, *values: str) -> None:
        """Assert that no value, raw or percent-encoded, appears in any request record."""
        text = self.all_text()
        for value in values:
            for form in {value, quote(value, safe=""), quote_plus(value)}:
                assert form not in text, f"{value!r} leaked"


@pytest.fixture(name="timeline")
def fixture_timeline(request: pytest.FixtureRequest) -> Iterator[Timeline]:
    handler = Timeline()
    logger = logging.getLogger(f"redactlog.tests.http.{request.node.name}")
    previous = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]


@pytest.fixture(name="log")
def fixture_log(timeline: Timeline, request: pytest.FixtureRequest) -> logging.Logger:
    """The stdlib logger the request logger under test writes to (captured by ``timeline``)."""
    return logging.getLogger(f"redactlog.tests.http.{request.node.name}")


# --------------------------------------------------------------------------- apps

PLACEMENTS = ("view_decorator", "app_before_request", "blueprint_before_request")


def build_webhook_app(
    placement: str,
    timeline: Timeline,
    webhook_key: str,
    *,
    install: Callable[[Flask], None],
) -> Flask:
    """A Flask webhook receiver with its GitHub signature check at *placement*.

    For ``app_before_request`` the check is registered *before* the request
    logger is installed, the order that defeats a ``before_request`` logger.
    """
    key = webhook_key.encode()
    app = Flask(f"webhook_{placement}")
    hooks = Blueprint("hooks", __name__)

    def check_signature() -> None:
        body = request.get_data()
        timeline.mark(CHECK, **digest(body))  # what the check read, compared by the tests
        sent = request.headers.get("X-Hub-Signature-256")
        if sent is None:
            abort(401)
        expected = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(sent, expected):
            abort(401)

    def signature_required(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            check_signature()
            return view(*args, **kwargs)

        return checked

    if placement == "app_before_request":
        app.before_request(check_signature)
    install(app)
    if placement == "blueprint_before_request":
        hooks.before_request(check_signature)

    def receive(account: str) -> dict[str, object]:
        timeline.mark(VIEW, account=account)
        return digest(request.get_data())

    view = signature_required(receive) if placement == "view_decorator" else receive
    hooks.add_url_rule("/hooks/<account>", view_func=view, methods=["POST"])
    app.register_blueprint(hooks)
    return app


@pytest.fixture(name="webhook_app")
def fixture_webhook_app(
    timeline: Timeline, log: logging.Logger, pii: Secrets, redactor: Redactor
) -> Callable[..., Flask]:
    def build(placement: str, **options: Any) -> Flask:
        def install(app: Flask) -> None:
            RequestLogger(app, redactor=redactor, logger=log, **options)

        return build_webhook_app(placement, timeline, pii.webhook_key, install=install)

    return build


# --------------------------------------------------------------------------- a real server


@dataclasses.dataclass
class Server:
    """A Werkzeug development server on 127.0.0.1, in a thread."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture(name="serve")
def fixture_serve() -> Iterator[Callable[[Any], Server]]:
    started: list[Server] = []

    def serve(app: Any) -> Server:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        started.append(Server(server, thread))
        return started[-1]

    try:
        yield serve
    finally:
        for running in started:
            running.server.shutdown()
            running.server.server_close()
            running.thread.join(timeout=10)
