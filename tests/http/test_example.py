"""examples/flask_webhook.py works as documented: checks pass or fail, records come first and stay clean."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import pathlib
import re
import time
from types import ModuleType
from typing import Any

import pytest

START = "http.request.start"
END = "http.request.end"
EXAMPLE = pathlib.Path(__file__).parents[2] / "examples" / "flask_webhook.py"

Secrets = Any
Timeline = Any


@pytest.fixture(scope="module", name="example")
def fixture_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flask_webhook_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(name="capture")
def fixture_capture(timeline: Timeline) -> Any:
    """Capture the example's own records ('webhooks') and the request records ('redactlog.http')."""
    loggers = [logging.getLogger("redactlog.http"), logging.getLogger("webhooks")]
    saved = [(logger.level, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(timeline)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    yield timeline
    for logger, (level, propagate) in zip(loggers, saved, strict=True):
        logger.removeHandler(timeline)
        logger.setLevel(level)
        logger.propagate = propagate


class TestFlaskWebhookExample:
    """The example receiver verifies GitHub and Stripe signatures behind the request logger."""

    @pytest.mark.parametrize(("valid", "status"), [(True, 200), (False, 401)])
    def test_github(self, example: ModuleType, capture: Timeline, pii: Secrets, valid: bool, status: int) -> None:
        """A GitHub delivery is logged scrubbed before the decorator checks its signature."""
        app = example.create_app(github_secret=pii.webhook_key)
        body = pii.json_body()
        signature = pii.github_signature(body if valid else b"{}")

        response = app.test_client().post(
            "/webhooks/github",
            data=body,
            headers={"X-Hub-Signature-256": signature, "Content-Type": "application/json"},
        )

        assert response.status_code == status
        if valid:
            assert response.json["sha256"] == hashlib.sha256(body).hexdigest()
        assert capture.events()[0] == START
        assert capture.events()[-1] == END
        capture.assert_no_leak(*pii.values(), signature[7:])

    @pytest.mark.parametrize(
        ("age", "tamper", "status"),
        [(0, False, 200), (0, True, 401), (3600, False, 401)],
        ids=["valid", "tampered", "stale"],
    )
    def test_stripe(  # noqa: PLR0913, PLR0917 - fixtures and parameters
        self, example: ModuleType, capture: Timeline, pii: Secrets, age: int, tamper: bool, status: int
    ) -> None:
        """A Stripe delivery is checked in a blueprint hook that runs after the start record."""
        app = example.create_app(stripe_secret=pii.webhook_key)
        body = json.dumps({"type": "charge.succeeded", "receipt_email": pii.email}).encode()
        header = pii.stripe_signature(body + (b" " if tamper else b""), timestamp=int(time.time()) - age)

        response = app.test_client().post(
            "/webhooks/stripe", data=body, headers={"Stripe-Signature": header, "Content-Type": "application/json"}
        )

        assert response.status_code == status
        assert capture.events()[0] == START
        capture.assert_no_leak(pii.email, header.split("v1=")[1])

    def test_without_secret_everything_is_rejected(self, example: ModuleType, capture: Timeline) -> None:
        """With no secret configured the receiver fails closed."""
        response = example.create_app().test_client().post("/webhooks/github", data=b"{}")

        assert response.status_code == 401

    def test_demo_runs(self, example: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
        """The demo sends its four deliveries and prints the expected statuses."""
        example.demo()

        assert re.findall(r"--> (\d+)", capsys.readouterr().out) == ["200", "401", "401", "200"]
