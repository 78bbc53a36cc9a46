"""Test data shared by the request-logger tests (WSGI, Flask, ASGI): secrets built at run time."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import hmac
import json
import logging
import secrets
import string
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_plus

START = "http.request.start"
END = "http.request.end"
CHECK = "app.check"

_ALNUM = string.ascii_letters + string.digits
STANDARD_RECORD_FIELDS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def random_text(n: int, alphabet: str = _ALNUM) -> str:
    """Return *n* random characters: the body of a fake token."""
    return "".join(secrets.choice(alphabet) for _ in range(n))


def b64url(data: bytes) -> str:
    """Return unpadded base64url, as in JWTs."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def digest(data: bytes) -> dict[str, object]:
    """What a test view returns about the body it read."""
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
        """Every value that must never reach a log."""
        return tuple(getattr(self, field.name) for field in dataclasses.fields(self))

    def github_signature(self, body: bytes) -> str:
        """``X-Hub-Signature-256`` for *body*."""
        return "sha256=" + hmac.new(self.webhook_key.encode(), body, hashlib.sha256).hexdigest()

    def stripe_signature(self, body: bytes, timestamp: int | None = None) -> str:
        """``Stripe-Signature`` for *body*."""
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
    """Return fresh fake secrets; phones and SSNs are valid for the detectors."""
    rng = secrets.SystemRandom()
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": random_text(12), "iat": 1_700_000_000}).encode())
    return Secrets(
        email=f"alice.{random_text(6, string.ascii_lowercase)}@example.com",
        phone=rng.choice(["+44 20 7946 0958", "+1 650 253 0000"]),
        ssn=f"{rng.randint(100, 599)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
        token="ghp_" + random_text(36),
        jwt=f"{header}.{claims}.{b64url(secrets.token_bytes(32))}",
        webhook_key="whsec_" + random_text(32),
        password="pw-" + random_text(14),
        oauth_code=random_text(20),
        query_hmac=secrets.token_hex(16),
        amz_signature=secrets.token_hex(32),
    )


@dataclasses.dataclass
class Entry:
    """One captured record: the event name, its fields and everything the record holds as text."""

    event: str
    fields: dict[str, Any]
    text: str


@contextlib.contextmanager
def attached(handler: logging.Handler, name: str) -> Iterator[logging.Logger]:
    """Attach *handler* to the logger *name* (DEBUG, not propagating) for the duration of the block."""
    logger = logging.getLogger(name)
    previous = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield logger
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]
