"""Helpers for your own test suite: prove that secrets never reach your logs.

Plant fake secrets in the places your code logs, capture what your *real*
logging configuration writes, and assert that none of the secrets is in it::

    from redactlog.testing import capture_output, sample_secrets

    def test_login_does_not_log_credentials(client):
        secrets = sample_secrets()
        with capture_output() as captured:
            client.post("/login", json={"email": secrets["email"], "password": secrets["github_token"]})

        captured.assert_redacted(*secrets.values())

:func:`capture_output` does not replace your handlers or renderers (unlike
``structlog.testing.capture_logs``, which swaps the whole processor chain):
it records what they produce, after every filter, formatter and processor
has run, while they keep writing where they always do.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import string
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
import structlog

__all__ = ["CapturedOutput", "assert_redacted", "capture_output", "sample_secrets"]

_ALNUM = string.ascii_letters + string.digits


@dataclass
class CapturedOutput:
    """What your logging wrote while :func:`capture_output` was active.

    Attributes:
        lines: Every formatted record and rendered structlog event, in the
            order they were produced: the text your handlers and renderers
            wrote (bytes are decoded as UTF-8). Assert on these.
        records: The :class:`logging.LogRecord` objects as the handlers'
            formatters received them, after handler filters ran. A
            :class:`~redactlog.RedactingFormatter` redacts a copy, so its
            records still hold the original values: assert on :attr:`lines`.
        events: The event dicts structlog's final processor received.

    .. versionadded:: 0.1.0
    """

    lines: list[str] = field(default_factory=list)
    records: list[logging.LogRecord] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All :attr:`lines`, joined by newlines."""
        return "\n".join(self.lines)

    def assert_redacted(self, *secrets: str) -> None:
        """Assert that no line holds any of *secrets* (see :func:`assert_redacted`)."""
        assert_redacted(self.lines, *secrets)


def _preview(secret: str) -> str:
    # Test output ends up in CI logs: name a leaked value without repeating it.
    return f"{secret[:4]!r}... ({len(secret)} characters)"


def assert_redacted(output: str | bytes | Iterable[str | bytes] | CapturedOutput, /, *secrets: str) -> None:
    """Assert that none of *secrets* occurs in *output*.

    Args:
        output: A text, bytes, an iterable of texts (lines of a log file, say)
            or a :class:`CapturedOutput`.
        *secrets: The values that must not occur; empty strings are ignored.

    Raises:
        AssertionError: Naming each leaked secret by its first characters and
            length (never in full) and the first line it occurs in.

    .. versionadded:: 0.1.0
    """
    if isinstance(output, CapturedOutput):
        lines: list[str] = output.lines
    elif isinstance(output, str | bytes):
        lines = [_decode(output)]
    else:
        lines = [_decode(line) for line in output]
    leaks = []
    for index, secret in enumerate(secrets):
        if not secret:
            continue
        for number, line in enumerate(lines, start=1):
            if secret in line:
                leaks.append(f"secret #{index} {_preview(secret)} occurs in line {number} of {len(lines)}")
                break
    if leaks:
        raise AssertionError("secrets reached the log output:\n" + "\n".join(leaks))


def _decode(text: str | bytes) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def _all_handlers(loggers: tuple[logging.Logger | str, ...]) -> list[logging.Handler]:
    if loggers:
        targets = [lg if isinstance(lg, logging.Logger) else logging.getLogger(lg) for lg in loggers]
    else:
        manager = logging.Logger.manager
        targets = [logging.getLogger()]
        # loggerDict also holds PlaceHolder objects for names never requested.
        targets += [lg for lg in list(manager.loggerDict.values()) if isinstance(lg, logging.Logger)]
    handlers: list[logging.Handler] = []
    for target in targets:
        for handler in target.handlers:
            if handler not in handlers:
                handlers.append(handler)
    return handlers


@contextmanager
def _tee_handler(handler: logging.Handler, captured: CapturedOutput, lock: threading.Lock) -> Iterator[None]:
    original: Callable[[logging.LogRecord], str] = handler.format
    had_own = "format" in vars(handler)

    def format_and_record(record: logging.LogRecord) -> str:
        text = original(record)
        with lock:
            captured.records.append(record)
            captured.lines.append(text)
        return text

    # Handler.emit calls self.format(); an instance attribute shadows the method.
    attributes = vars(handler)
    attributes["format"] = format_and_record
    try:
        yield
    finally:
        if had_own:
            attributes["format"] = original
        else:
            attributes.pop("format", None)


@contextmanager
def _tee_structlog(captured: CapturedOutput, lock: threading.Lock) -> Iterator[None]:
    processors = list(structlog.get_config()["processors"])
    if not processors:
        yield
        return
    renderer = processors[-1]

    def render_and_record(logger: Any, method_name: str, event_dict: Any) -> Any:
        event = dict(event_dict)
        result = renderer(logger, method_name, event_dict)
        with lock:
            captured.events.append(event)
            # ProcessorFormatter.wrap_for_formatter returns arguments for a
            # stdlib logger, whose handlers are captured on their own.
            if isinstance(result, str | bytes):
                captured.lines.append(_decode(result))
        return result

    structlog.configure(processors=[*processors[:-1], render_and_record])
    try:
        yield
    finally:
        structlog.configure(processors=processors)


@contextmanager
def capture_output(
    *loggers: logging.Logger | str,
    handlers: Iterable[logging.Handler] = (),
    include_structlog: bool = True,
) -> Iterator[CapturedOutput]:
    """Record what your logging configuration writes, without changing where it writes.

    Every handler of the given loggers (by default: of the root logger and of
    every logger created so far) and every handler in *handlers* has its
    formatted output recorded; so does the final processor (the renderer) of
    structlog's global configuration. Use it around the code under test, then
    call :meth:`CapturedOutput.assert_redacted`.

    What is not captured: handlers that do not call ``Handler.format`` (most
    do; ``QueueHandler`` does, before the record crosses the queue), handlers
    attached only to a ``QueueListener`` (pass them in *handlers*), and
    structlog loggers that do not use the global configuration or were cached
    before (``cache_logger_on_first_use=True``), as with
    ``structlog.testing.capture_logs``.

    Args:
        *loggers: Loggers (or names) whose handlers to capture.
        handlers: Further handlers to capture.
        include_structlog: Whether to capture structlog's renderer too.

    Yields:
        The :class:`CapturedOutput`, which keeps filling until the block ends.

    .. versionadded:: 0.1.0
    """
    captured = CapturedOutput()
    lock = threading.Lock()
    targets = _all_handlers(loggers)
    targets += [h for h in handlers if h not in targets]
    with ExitStack() as stack:
        for handler in targets:
            stack.enter_context(_tee_handler(handler, captured, lock))
        if include_structlog:
            stack.enter_context(_tee_structlog(captured, lock))
        yield captured


def _us_phone(rng: random.Random) -> str:
    while True:
        number = phonenumbers.parse(f"+1{rng.randint(200, 999)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _us_ssn(rng: random.Random) -> str:
    # The SSA never issues area 000, 666 or 900-999, group 00 or serial 0000.
    area = rng.choice([a for a in range(1, 900) if a != 666])  # noqa: PLR2004
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sample_secrets(seed: int | None = None) -> dict[str, str]:
    """Return fresh fake secrets, one per common kind, to plant in your log calls.

    Every value is random (so no secret-looking literal needs to sit in your
    repository) and is masked whole by the default :class:`~redactlog.Redactor`
    wherever it appears in a text. The keys are ``email``, ``phone``,
    ``us_ssn``, ``github_token``, ``aws_access_key_id``, ``jwt`` and
    ``webhook_signature`` (a Standard Webhooks ``v1,<base64>`` signature).

    Args:
        seed: Makes the values reproducible; ``None`` for new ones each call.

    .. versionadded:: 0.1.0
    """
    rng = random.Random(seed)  # noqa: S311 - fake data, not key material
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps({"sub": "".join(rng.choices(_ALNUM, k=12))}).encode())
    return {
        "email": f"{''.join(rng.choices(string.ascii_lowercase, k=8))}.test@example.com",
        "phone": _us_phone(rng),
        "us_ssn": _us_ssn(rng),
        "github_token": "ghp_" + "".join(rng.choices(_ALNUM, k=36)),
        "aws_access_key_id": "AKIA" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=16)),
        "jwt": f"{header}.{payload}.{_b64url(rng.randbytes(32))}",
        "webhook_signature": "v1," + base64.b64encode(rng.randbytes(32)).decode("ascii"),
    }
