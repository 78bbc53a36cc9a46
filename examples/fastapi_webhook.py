"""A FastAPI webhook receiver whose request logs never hold secrets or personal data.

GitHub and Stripe sign each delivery with an HMAC over the *raw* request body,
so the receiver must read exactly the bytes that were sent. redactlog's
``RequestLoggingMiddleware`` logs every request (scrubbed, body capped) before
the signature check runs, and hands the application the original bytes.

Run it::

    pip install "redactlog[fastapi]" fastapi uvicorn
    export GITHUB_WEBHOOK_SECRET=...  STRIPE_WEBHOOK_SECRET=...
    python examples/fastapi_webhook.py

Without a secret, every delivery to that endpoint is rejected (fail closed).
"""

import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request

from redactlog import Redactor
from redactlog.asgi import RequestLoggingMiddleware

log = logging.getLogger("webhooks")

STRIPE_TOLERANCE_S = 300
"""How old a Stripe signature timestamp may be, as in Stripe's own libraries."""

Verifier = Callable[[Request], Awaitable[bytes]]


def github_verifier(secret: str | None) -> Verifier:
    """Return a dependency that checks ``X-Hub-Signature-256`` and returns the raw body."""
    key = secret.encode() if secret else None

    async def verify_github(request: Request) -> bytes:
        # request.body() caches the bytes on the Request FastAPI shares with the
        # endpoint, so reading them here costs nothing later.
        body = await request.body()
        sent = request.headers.get("x-hub-signature-256", "")
        if key is None or not sent.startswith("sha256="):
            log.warning("github delivery rejected: no signature or no secret configured")
            raise HTTPException(status_code=401, detail="invalid signature")
        expected = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(sent, expected):
            log.warning("github delivery rejected: signature mismatch")
            raise HTTPException(status_code=401, detail="invalid signature")
        log.info("github delivery verified")
        return body

    return verify_github


def stripe_verifier(secret: str | None, *, tolerance: float = STRIPE_TOLERANCE_S) -> Verifier:
    """Return a dependency that checks ``Stripe-Signature`` and returns the raw body."""
    key = secret.encode() if secret else None

    async def verify_stripe(request: Request) -> bytes:
        body = await request.body()
        timestamp, candidates = _parse_stripe_header(request.headers.get("stripe-signature", ""))
        if key is None or timestamp is None or not candidates:
            log.warning("stripe delivery rejected: no signature or no secret configured")
            raise HTTPException(status_code=401, detail="invalid signature")
        # Stripe signs "{timestamp}.{raw body}"; the timestamp bounds replays.
        expected = hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            log.warning("stripe delivery rejected: signature mismatch")
            raise HTTPException(status_code=401, detail="invalid signature")
        if abs(time.time() - int(timestamp)) > tolerance:
            log.warning("stripe delivery rejected: timestamp outside the tolerance")
            raise HTTPException(status_code=401, detail="stale signature")
        log.info("stripe delivery verified")
        return body

    return verify_stripe


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


def create_app(
    *,
    github_secret: str | None = None,
    stripe_secret: str | None = None,
    redactor: Redactor | None = None,
    logger: object | None = None,
) -> FastAPI:
    """Build the webhook receiver with its request logger."""
    app = FastAPI(title="webhooks")
    verify_github = github_verifier(github_secret)
    verify_stripe = stripe_verifier(stripe_secret)

    # Take the raw body from the verifying dependency and parse it only after
    # the check: a pydantic body parameter would be parsed *before*
    # dependencies run, so malformed JSON would answer 422 without a check.
    @app.post("/webhooks/github")
    async def github_webhook(body: Annotated[bytes, Depends(verify_github)], request: Request) -> dict[str, object]:
        return {"event": request.headers.get("x-github-event"), "sha256": hashlib.sha256(body).hexdigest()}

    @app.post("/webhooks/stripe")
    async def stripe_webhook(body: Annotated[bytes, Depends(verify_stripe)]) -> dict[str, object]:
        return {"sha256": hashlib.sha256(body).hexdigest()}

    # Added last, so it is the outermost user middleware: it logs before any
    # other middleware, dependency or endpoint runs.
    app.add_middleware(
        RequestLoggingMiddleware,
        redactor=redactor if redactor is not None else Redactor(),
        logger=logger,
        body_cap=4096,
    )
    return app


app = create_app(
    github_secret=os.environ.get("GITHUB_WEBHOOK_SECRET"),
    stripe_secret=os.environ.get("STRIPE_WEBHOOK_SECRET"),
)


class FieldsFormatter(logging.Formatter):
    """Show the structured fields of request records (passed as ``extra``) after the message."""

    _standard = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "event"}

    def format(self, record: logging.LogRecord) -> str:
        fields = {k: v for k, v in record.__dict__.items() if k not in self._standard}
        line = super().format(record)
        return f"{line} {json.dumps(fields, default=str)}" if fields else line


if __name__ == "__main__":
    import uvicorn

    handler = logging.StreamHandler()
    handler.setFormatter(FieldsFormatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    uvicorn.run(app, host="127.0.0.1", port=8000)
