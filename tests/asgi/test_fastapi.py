"""The webhook example (examples/fastapi_webhook.py): signatures checked in a FastAPI dependency."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import logging
import pathlib
import time
import urllib.parse
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from redactlog.testing import capture_output, sample_secrets

pytestmark = pytest.mark.anyio

START = "http.request.start"
END = "http.request.end"
EXAMPLE = pathlib.Path(__file__).parents[2] / "examples" / "fastapi_webhook.py"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("redactlog_example_fastapi_webhook", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", name="example")
def fixture_example() -> ModuleType:
    return load_example()


@pytest.fixture(name="app_log")
def fixture_app_log(timeline: Any) -> Iterator[None]:
    """Capture the example's own "webhooks" logger on the same timeline as the request logger."""
    logger = logging.getLogger("webhooks")
    previous = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(timeline)
    try:
        yield
    finally:
        logger.removeHandler(timeline)
        logger.setLevel(previous)


@pytest.fixture(name="client")
async def fixture_client(example, log, redactor, pii, app_log) -> Any:
    app = example.create_app(
        github_secret=pii.webhook_key, stripe_secret=pii.webhook_key, redactor=redactor, logger=log
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


OUTCOMES = {"valid": (200, "verified"), "invalid": (401, "rejected"), "missing": (401, "rejected")}
"""Expected status and the example's log verdict for each signature case."""


def delivery(pii: Any) -> bytes:
    """A webhook payload full of personal data and credentials."""
    return json.dumps(
        {
            "action": "opened",
            "sender": {"email": pii.email, "phone": pii.phone},
            "customer": {"ssn": pii.ssn, "api_token": pii.token},
            "note": f"Authorization: Bearer {pii.jwt}",
        }
    ).encode()


def signed_headers(provider: str, body: bytes, pii: Any, signature: str) -> dict[str, str]:
    headers = {"content-type": "application/json", "authorization": f"Bearer {pii.jwt}"}
    if provider == "github":
        headers |= {"x-github-event": "issues", "x-hub-signature-256": signature}
    else:
        headers["stripe-signature"] = signature
    return headers


def signature_for(provider: str, case: str, body: bytes, pii: Any) -> str:
    if case == "invalid":
        body += b" "  # signed over other bytes than sent
    sign = pii.github_signature if provider == "github" else pii.stripe_signature
    return "" if case == "missing" else sign(body)


class TestWebhookSignatures:
    """Valid, invalid and missing signatures: logged first, scrubbed, byte-identical."""

    @pytest.mark.parametrize("provider", ["github", "stripe"])
    @pytest.mark.parametrize("case", ["valid", "invalid", "missing"])
    async def test_delivery(self, client, timeline, pii, provider, case):
        """The start record precedes the check, holds no secret, and the app read the exact bytes."""
        status, verdict = OUTCOMES[case]
        body = delivery(pii)
        signature = signature_for(provider, case, body, pii)
        query = urllib.parse.urlencode({"email": pii.email, "token": pii.token})
        response = await client.post(
            f"/webhooks/{provider}?{query}", content=body, headers=signed_headers(provider, body, pii, signature)
        )

        assert response.status_code == status
        events = timeline.events()
        assert events[0] == START
        assert events[-1] == END
        assert any(e.startswith(f"{provider} delivery {verdict}") for e in events[1:-1])
        assert timeline.first(END).fields["status"] == status
        expected_scheme = provider if case != "missing" else f"{provider}:malformed"
        assert timeline.first(START).fields["signature_schemes"] == [expected_scheme]
        secrets_ = [signature.removeprefix("sha256=")] if signature else []
        secrets_ += [part.partition("=")[2] for part in signature.split(",") if part.startswith("v1=")]
        text = timeline.all_text()
        for value in (*pii.values(), *secrets_):
            assert value not in text
        if case == "valid":
            assert response.json()["sha256"] == hashlib.sha256(body).hexdigest()

    @pytest.mark.parametrize("framing", ["content-length", "chunked"])
    async def test_large_valid_delivery(self, client, timeline, pii, framing):
        """A 5 MB signed delivery verifies through the logger while the log stays capped."""
        body = json.dumps({"email": pii.email, "blob": "a1b2c3d4" * (5 * 1024 * 1024 // 8)}).encode()

        async def chunks() -> Any:
            for start in range(0, len(body), 65536):
                yield body[start : start + 65536]

        content = body if framing == "content-length" else chunks()
        headers = signed_headers("github", body, pii, pii.github_signature(body))
        response = await client.post("/webhooks/github", content=content, headers=headers)

        assert response.status_code == 200
        assert response.json()["sha256"] == hashlib.sha256(body).hexdigest()
        start = timeline.first(START).fields
        assert start["body_truncated"] is True
        assert len(start["body"]) <= 4096 + len("...[truncated]")

    async def test_stale_stripe_timestamp_is_rejected(self, client, timeline, pii):
        """A correctly signed but old Stripe delivery is rejected, and logged first."""
        body = delivery(pii)
        signature = pii.stripe_signature(body, timestamp=int(time.time()) - 3600)
        response = await client.post(
            "/webhooks/stripe", content=body, headers=signed_headers("stripe", body, pii, signature)
        )

        assert response.status_code == 401
        assert timeline.events()[0] == START
        assert "stripe delivery rejected: timestamp outside the tolerance" in timeline.events()

    async def test_malformed_json_is_verified_on_raw_bytes(self, client, timeline, pii):
        """Broken JSON with a valid signature still verifies: the example parses nothing before checking."""
        body = b'{"email": "' + pii.email.encode() + b'", '
        headers = signed_headers("github", body, pii, pii.github_signature(body))
        response = await client.post("/webhooks/github", content=body, headers=headers)

        assert response.status_code == 200
        assert response.json()["sha256"] == hashlib.sha256(body).hexdigest()
        assert pii.email not in timeline.all_text()

    async def test_urlencoded_github_delivery(self, client, timeline, pii):
        """GitHub's form-encoded deliveries (payload=...) verify on the raw bytes and log no PII."""
        body = urllib.parse.urlencode({"payload": json.dumps({"email": pii.email, "ssn": pii.ssn})}).encode()
        headers = signed_headers("github", body, pii, pii.github_signature(body))
        headers["content-type"] = "application/x-www-form-urlencoded"
        response = await client.post("/webhooks/github", content=body, headers=headers)

        assert response.status_code == 200
        text = timeline.all_text()
        assert pii.email not in text
        assert urllib.parse.quote_plus(pii.email) not in text


class TestWithRedactlogTesting:
    """The pattern docs/fastapi.md recommends for users' own suites works as written."""

    async def test_capture_output_proves_the_records_clean(self, example, redactor):
        """Planted secrets never reach the formatted output of a real handler."""
        logger = logging.getLogger("redactlog.tests.asgi.users_suite")
        handler = logging.StreamHandler(io.StringIO())
        handler.setFormatter(example.FieldsFormatter("%(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        secrets_ = sample_secrets()
        body = json.dumps({"email": secrets_["email"], "phone": secrets_["phone"], "ssn": secrets_["us_ssn"]})
        app = example.create_app(github_secret="configured", redactor=redactor, logger=logger)
        try:
            with capture_output(logger, include_structlog=False) as captured:
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                    await client.post(
                        f"/webhooks/github?token={secrets_['github_token']}",
                        content=body,
                        headers={"authorization": f"Bearer {secrets_['jwt']}", "content-type": "application/json"},
                    )
        finally:
            logger.removeHandler(handler)

        captured.assert_redacted(*secrets_.values())
        assert "http.request.start" in handler.stream.getvalue()
        assert "[REDACTED:email]" in handler.stream.getvalue()


class TestExampleModule:
    """The example is importable and fails closed without secrets."""

    async def test_without_secrets_every_delivery_is_rejected(self, example, pii):
        """The module-level app (no secrets in the environment) rejects even a "signed" delivery."""
        body = delivery(pii)
        transport = httpx.ASGITransport(app=example.create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.post(
                "/webhooks/github",
                content=body,
                headers=signed_headers("github", body, pii, pii.github_signature(body)),
            )

        assert response.status_code == 401
