"""Fixtures for the WSGI and Flask request-logger tests: secrets, log capture, apps, a real server."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import logging
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
from tests.webhook_support import (
    CHECK,
    END,
    STANDARD_RECORD_FIELDS,
    START,
    Entry,
    Secrets,
    attached,
    digest,
    make_secrets,
)

VIEW = "app.view"


@pytest.fixture(name="pii")
def fixture_pii() -> Secrets:
    return make_secrets()


@pytest.fixture(scope="session", name="redactor")
def fixture_redactor() -> Redactor:
    return Redactor()


# --------------------------------------------------------------------------- capture


class Timeline(logging.Handler):
    """Request-log records and the application's own markers, in the order they happened."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.entries: list[Entry] = []
        self._entries_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        fields = {k: v for k, v in record.__dict__.items() if k not in STANDARD_RECORD_FIELDS}
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
    with attached(handler, f"redactlog.tests.http.{request.node.name}"):
        yield handler


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
