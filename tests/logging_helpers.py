"""Shared pieces for the logging integration tests: fake secrets and isolated loggers.

Secrets are generated at run time (no secret-looking literal is committed);
each test gets fresh ones, so a pass never depends on a lucky value.
"""

from __future__ import annotations

import io
import logging
import random
import string
from collections.abc import Iterator

import pytest

from redactlog.testing import sample_secrets

__all__ = [
    "PLAIN_FORMAT",
    "Secrets",
    "assert_clean",
    "buffer_handler",
    "fixture_isolated_logger",
    "fixture_secrets",
    "luhn_card_number",
    "make_logger",
]

PLAIN_FORMAT = "%(levelname)s %(name)s %(funcName)s:%(lineno)d %(message)s"


class Secrets(dict[str, str]):
    """Fake secrets by kind, plus the exact parts that must never be printed."""

    @property
    def stripe_digest(self) -> str:
        return self["stripe_signature"].rsplit("=", 1)[1]

    @property
    def password(self) -> str:
        return self["_password"]


def luhn_card_number(rng: random.Random) -> int:
    """Return a random 16-digit Visa-style number with a valid Luhn check digit, as an int."""
    digits = [4] + [rng.randint(0, 9) for _ in range(14)]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return int("".join(map(str, digits)) + str((10 - total % 10) % 10))


def make_secrets() -> Secrets:
    """Return fresh secrets of every kind the integrations must keep out of logs."""
    rng = random.Random()
    secrets = Secrets(sample_secrets())
    secrets["stripe_signature"] = f"t={rng.randint(1_700_000_000, 1_800_000_000)},v1={rng.randbytes(32).hex()}"
    # Not detectable by its shape: only key awareness protects it.
    secrets["_password"] = "pw-" + "".join(rng.choices(string.ascii_letters, k=14))
    return secrets


@pytest.fixture(name="secrets")
def fixture_secrets() -> Secrets:
    return make_secrets()


def buffer_handler(
    formatter: logging.Formatter | None = None,
) -> tuple[logging.StreamHandler[io.StringIO], io.StringIO]:
    """Return a real StreamHandler writing to a fresh buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter or logging.Formatter(PLAIN_FORMAT))
    return handler, buffer


def make_logger(name: str) -> logging.Logger:
    """Return a DEBUG logger outside logging's registry, with no parent and no handlers.

    Built directly rather than with ``getLogger``: pytest attaches its capture
    handler to every registered logger that does not propagate, and that
    handler would see (and format) each record before the handlers under test.
    """
    logger = logging.Logger(name, logging.DEBUG)
    logger.propagate = False
    return logger


@pytest.fixture(name="isolated_logger")
def fixture_isolated_logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    """A logger of its own (see :func:`make_logger`); its handlers are closed afterwards."""
    logger = make_logger(f"redactlog-tests.{request.node.name}")
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.filters.clear()


def assert_clean(output: str, secrets: Secrets) -> None:
    """Assert that none of *secrets* occurs in *output* (the message never repeats them)."""
    leaked = [kind for kind, value in {**secrets, "stripe_digest": secrets.stripe_digest}.items() if value in output]
    assert leaked == [], f"leaked kinds: {leaked}"
