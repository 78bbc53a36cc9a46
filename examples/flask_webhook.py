"""A Flask webhook receiver whose request logs never hold secrets or personal data.

GitHub and Stripe sign each delivery with an HMAC over the *raw* request body,
so the receiver must read exactly the bytes that were sent. redactlog's
``RequestLogger`` extension logs every request (scrubbed, body capped) before
any of the application's code runs, the signature checks included, and hands
the view the original bytes.

Run the server::

    pip install "redactlog[flask]"
    export GITHUB_WEBHOOK_SECRET=...  STRIPE_WEBHOOK_SECRET=...
    python examples/flask_webhook.py

Or see the records of three signed and unsigned deliveries, without a server::

    python examples/flask_webhook.py demo

Without a secret, every delivery to that endpoint is rejected (fail closed).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, abort, request

from redactlog import Redactor
from redactlog.flask import RequestLogger

log = logging.getLogger("webhooks")

STRIPE_TOLERANCE_S = 300
"""How old a Stripe signature timestamp may be, as in Stripe's own libraries."""

# One extension object for every app the factory builds (tests, workers):
# the extension keeps no app, only its configuration.
request_logger = RequestLogger(redactor=Redactor(), body_cap=4096)


def github_signature_required(secret: str | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return a view decorator that checks ``X-Hub-Signature-256`` over the raw body."""
    key = secret.encode() if secret else None

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            # get_data() reads the body once and caches it: the view's
            # request.get_json() below parses the same bytes.
            body = request.get_data()
            sent = request.headers.get("X-Hub-Signature-256", "")
            if key is None or not sent.startswith("sha256="):
                log.warning("github delivery rejected: no signature or no secret configured")
                abort(401)
            expected = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(sent, expected):
                log.warning("github delivery rejected: signature mismatch")
                abort(401)
            log.info("github delivery verified")
            return view(*args, **kwargs)

        return checked

    return decorate


def stripe_blueprint(secret: str | None, *, tolerance: float = STRIPE_TOLERANCE_S) -> Blueprint:
    """Return a blueprint whose ``before_request`` hook checks ``Stripe-Signature``."""
    key = secret.encode() if secret else None
    stripe = Blueprint("stripe", __name__, url_prefix="/webhooks/stripe")

    @stripe.before_request
    def verify_stripe() -> None:
        body = request.get_data()
        timestamp, candidates = _parse_stripe_header(request.headers.get("Stripe-Signature", ""))
        if key is None or timestamp is None or not candidates:
            log.warning("stripe delivery rejected: no signature or no secret configured")
            abort(401)
        # Stripe signs "{timestamp}.{raw body}"; the timestamp bounds replays.
        expected = hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            log.warning("stripe delivery rejected: signature mismatch")
            abort(401)
        if abs(time.time() - int(timestamp)) > tolerance:
            log.warning("stripe delivery rejected: timestamp outside the tolerance")
            abort(401)
        log.info("stripe delivery verified")

    @stripe.post("")
    def stripe_webhook() -> dict[str, object]:
        event = request.get_json(silent=True) or {}
        return {"type": event.get("type"), "sha256": hashlib.sha256(request.get_data()).hexdigest()}

    return stripe


def _parse_stripe_header(header: str) -> tuple[str | None, list[str]]:
    """Split ``t=<unix>,v1=<hex>[,v1=<hex>...]`` into the timestamp and the v1 signatures."""
    timestamp: str | None = None
    candidates: list[str] = []
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = value
        elif name == "v1":
            candidates.append(value)
    return timestamp, candidates


def create_app(*, github_secret: str | None = None, stripe_secret: str | None = None) -> Flask:
    """Build the webhook receiver with its request logger (an application factory)."""
    app = Flask("webhooks")
    # Refuse bodies above 1 MB: Flask answers 413, and the logger does not read them.
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024

    # Where init_app is called does not matter: the extension logs from Flask's
    # request_started signal, before every before_request hook, blueprint hook
    # and view decorator, whatever their registration order.
    request_logger.init_app(app)

    @app.post("/webhooks/github")
    @github_signature_required(github_secret)
    def github_webhook() -> dict[str, object]:
        event = request.get_json(silent=True) or {}
        return {
            "event": request.headers.get("X-GitHub-Event"),
            "action": event.get("action"),
            "sha256": hashlib.sha256(request.get_data()).hexdigest(),
        }

    app.register_blueprint(stripe_blueprint(stripe_secret))

    # If the signature check were WSGI middleware instead (one that reads
    # wsgi.input itself), it would run before Flask's signals; then log with the
    # WSGI middleware, wrapped LAST so that it is the outermost:
    #
    #     app.wsgi_app = SignatureCheckMiddleware(app.wsgi_app)
    #     app.wsgi_app = redactlog.wsgi.RequestLoggingMiddleware(app.wsgi_app, max_content_length=1024 * 1024)
    return app


class FieldsFormatter(logging.Formatter):
    """Show the structured fields of request records (passed as ``extra``) after the message."""

    _standard = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "event"}

    def format(self, record: logging.LogRecord) -> str:
        fields = {k: v for k, v in record.__dict__.items() if k not in self._standard}
        line = super().format(record)
        return f"{line} {json.dumps(fields, default=str)}" if fields else line


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(FieldsFormatter("%(name)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


def demo() -> None:
    """Send a valid, a forged and an unsigned delivery through the test client and show the records."""
    github_secret, stripe_secret = secrets.token_hex(16), "whsec_" + secrets.token_hex(16)
    app = create_app(github_secret=github_secret, stripe_secret=stripe_secret)
    client = app.test_client()
    body = json.dumps(
        {"action": "opened", "sender": {"email": "jane.doe@example.com", "phone": "+44 20 7946 0958"}}
    ).encode()
    good = "sha256=" + hmac.new(github_secret.encode(), body, hashlib.sha256).hexdigest()
    for name, headers in (
        ("valid", {"X-Hub-Signature-256": good}),
        ("forged", {"X-Hub-Signature-256": "sha256=" + "0" * 64}),
        ("unsigned", {}),
    ):
        print(f"--- {name} GitHub delivery")
        response = client.post(
            "/webhooks/github?token=" + secrets.token_hex(8),
            data=body,
            headers={"Content-Type": "application/json", "X-GitHub-Event": "issues", **headers},
        )
        print(f"--> {response.status_code}")
    stripe_body = json.dumps({"type": "charge.succeeded", "receipt_email": "jane.doe@example.com"}).encode()
    t = str(int(time.time()))
    v1 = hmac.new(stripe_secret.encode(), t.encode() + b"." + stripe_body, hashlib.sha256).hexdigest()
    print("--- valid Stripe delivery")
    response = client.post(
        "/webhooks/stripe",
        data=stripe_body,
        headers={"Content-Type": "application/json", "Stripe-Signature": f"t={t},v1={v1}"},
    )
    print(f"--> {response.status_code}")


if __name__ == "__main__":
    configure_logging()
    if sys.argv[1:] == ["demo"]:
        demo()
    else:
        create_app(
            github_secret=os.environ.get("GITHUB_WEBHOOK_SECRET"),
            stripe_secret=os.environ.get("STRIPE_WEBHOOK_SECRET"),
        ).run(host="127.0.0.1", port=5000)
