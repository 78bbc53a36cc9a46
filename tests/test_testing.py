"""Tests for redactlog.testing: the helpers users call to prove secrets stay out of their logs."""

from __future__ import annotations

import io
import logging
import logging.handlers
import queue
from collections.abc import Iterator

import pytest
import structlog
from structlog.processors import JSONRenderer

from redactlog import RedactingFilter, RedactingFormatter, RedactingProcessor, Redactor
from redactlog.testing import CapturedOutput, assert_redacted, capture_output, sample_secrets
from tests.logging_helpers import buffer_handler, fixture_isolated_logger  # noqa: F401 - a fixture

KINDS = ["email", "phone", "us_ssn", "github_token", "aws_access_key_id", "jwt", "webhook_signature"]


@pytest.fixture(name="restore_structlog")
def fixture_restore_structlog() -> Iterator[None]:
    saved = structlog.get_config()
    yield
    structlog.reset_defaults()
    structlog.configure(**saved)


class TestAssertRedacted:
    @pytest.mark.parametrize(
        "output",
        [
            pytest.param("user [REDACTED:email] logged in", id="str"),
            pytest.param(b"user [REDACTED:email] logged in", id="bytes"),
            pytest.param(["first line", b"second line"], id="lines"),
            pytest.param(CapturedOutput(lines=["clean"]), id="captured"),
        ],
    )
    def test_passes_when_absent(self, output):
        """No secret in the output: no assertion error."""
        assert_redacted(output, sample_secrets()["email"], "")

    def test_names_the_leak_without_repeating_it(self):
        """The error names the secret by its first characters and length, and the line it is in."""
        secret = sample_secrets()["github_token"]

        with pytest.raises(AssertionError) as caught:
            assert_redacted(["clean", f"token {secret}"], "absent-value", secret)

        message = str(caught.value)
        assert f"secret #1 {secret[:4]!r}... (40 characters) occurs in line 2 of 2" in message
        assert secret not in message

    def test_bytes_output(self):
        """Secrets are found in bytes output too."""
        secret = sample_secrets()["email"]

        with pytest.raises(AssertionError, match="secret #0"):
            assert_redacted(f"to {secret}".encode(), secret)


class TestCaptureOutput:
    def test_records_what_a_filtered_handler_writes(self, isolated_logger):
        """Lines are the handler's formatted output, which keeps going to its stream as well."""
        handler, buffer = buffer_handler(logging.Formatter("%(message)s"))
        handler.addFilter(RedactingFilter())
        isolated_logger.addHandler(handler)
        secrets = sample_secrets()

        with capture_output(isolated_logger) as captured:
            isolated_logger.warning("mail %s", secrets["email"])

        assert captured.lines == ["mail [REDACTED:email]"]
        assert buffer.getvalue() == "mail [REDACTED:email]\n"
        assert [record.getMessage() for record in captured.records] == ["mail [REDACTED:email]"]
        captured.assert_redacted(*secrets.values())

    def test_catches_a_missing_filter(self, isolated_logger):
        """Without redaction, assert_redacted fails: the helper does prove something."""
        handler, _ = buffer_handler(logging.Formatter("%(message)s"))
        isolated_logger.addHandler(handler)
        secret = sample_secrets()["us_ssn"]

        with capture_output(isolated_logger) as captured:
            isolated_logger.warning("ssn %s", secret)

        with pytest.raises(AssertionError, match="secret #0"):
            captured.assert_redacted(secret)

    def test_redacting_formatter_output(self, isolated_logger):
        """Output of a RedactingFormatter is captured after redaction."""
        handler, _ = buffer_handler(RedactingFormatter(fmt="%(message)s"))
        isolated_logger.addHandler(handler)
        secrets = sample_secrets()

        with capture_output(handlers=[handler]) as captured:
            isolated_logger.warning("jwt %s", secrets["jwt"])

        assert captured.text == "jwt [REDACTED:jwt]"
        captured.assert_redacted(*secrets.values())

    def test_handlers_are_restored(self, isolated_logger):
        """After the block the handlers' format is their own method again."""
        handler, _ = buffer_handler()
        isolated_logger.addHandler(handler)

        with capture_output(isolated_logger):
            pass

        assert "format" not in vars(handler)

    def test_all_loggers_by_default(self):
        """Without arguments, handlers of the root logger and every named logger are captured."""
        named = logging.getLogger("redactlog-tests.capture-default")
        handler, _ = buffer_handler(logging.Formatter("%(message)s"))
        named.addHandler(handler)
        try:
            with capture_output(include_structlog=False) as captured:
                named.error("from a named logger")
        finally:
            named.removeHandler(handler)

        assert "from a named logger" in captured.lines

    def test_queue_handler_output(self, isolated_logger):
        """A QueueHandler's formatted message is captured before it crosses the queue."""
        records: queue.Queue[logging.LogRecord] = queue.Queue()
        queue_handler = logging.handlers.QueueHandler(records)
        queue_handler.addFilter(RedactingFilter())
        isolated_logger.addHandler(queue_handler)
        secrets = sample_secrets()

        with capture_output(isolated_logger) as captured:
            isolated_logger.warning("call %s", secrets["phone"])

        assert captured.lines == ["call [REDACTED:phone]"]
        assert records.get_nowait().getMessage() == "call [REDACTED:phone]"

    @pytest.mark.usefixtures("restore_structlog")
    def test_structlog_renderer(self):
        """The configured structlog renderer's output and input events are captured, and the chain restored."""
        buffer = io.StringIO()
        processors = [RedactingProcessor(), JSONRenderer(sort_keys=True)]
        structlog.configure(
            processors=processors,
            logger_factory=structlog.WriteLoggerFactory(file=buffer),
            cache_logger_on_first_use=False,
        )
        secrets = sample_secrets()

        with capture_output(include_structlog=True) as captured:
            structlog.get_logger().info("signup", email=secrets["email"])

        assert captured.lines == ['{"email": "[REDACTED:email]", "event": "signup"}']
        assert captured.events == [{"event": "signup", "email": "[REDACTED:email]"}]
        assert buffer.getvalue() == captured.lines[0] + "\n"
        assert structlog.get_config()["processors"] == processors
        captured.assert_redacted(*secrets.values())

    @pytest.mark.usefixtures("restore_structlog")
    def test_processor_formatter_tuple_is_not_a_line(self, isolated_logger):
        """wrap_for_formatter's return value is not output: the stdlib handler's line is."""
        handler, _ = buffer_handler(
            structlog.stdlib.ProcessorFormatter(processors=[RedactingProcessor(), JSONRenderer()])
        )
        isolated_logger.addHandler(handler)
        structlog.configure(
            processors=[structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
            logger_factory=lambda *_: isolated_logger,
            wrapper_class=structlog.stdlib.BoundLogger,
            cache_logger_on_first_use=False,
        )

        with capture_output(isolated_logger) as captured:
            structlog.get_logger().warning("hello")

        assert len(captured.lines) == 1
        assert captured.lines[0].startswith('{"event": "hello"')


class TestSampleSecrets:
    def test_kinds(self):
        """One value per documented kind."""
        assert sorted(sample_secrets()) == sorted(KINDS)

    def test_seed_makes_values_reproducible(self):
        """The same seed gives the same values; no seed gives new ones."""
        assert sample_secrets(7) == sample_secrets(7)
        assert sample_secrets() != sample_secrets()

    @pytest.mark.parametrize("context", ["{}", "value {} here", "key={}", '{{"field": "{}"}}', "({})"])
    @pytest.mark.parametrize("kind", KINDS)
    def test_masked_whole_by_the_default_redactor(self, kind, context):
        """Every sample is masked by Redactor() wherever it sits in a text."""
        for seed in range(5):
            secret = sample_secrets(seed)[kind]

            redacted = Redactor().redact(context.format(secret))

            assert "[REDACTED" in redacted
            assert secret not in redacted
