"""Fault injection: the application keeps working, no raw data is logged, no record is lost.

Faults here are the engine and logging ones: a detector or mask that raises,
a handler or formatter that raises, a sink that blocks or fails, hostile
objects and values larger than every limit. The HTTP faults (a client that
disconnects mid-body, oversized bodies, a failing sink) are covered by the
adapters' own tests; ``docs/security.md`` lists them.
"""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import queue
import random
import string
import threading
from collections.abc import Iterator

import pytest
import structlog

from redactlog import Finding, Limits, RedactingFilter, RedactingProcessor, Redactor, install

HANG_GUARD = 60  # seconds; generous, only to fail instead of hanging


def make_secret(n: int) -> tuple[str, str]:
    """Return ``(text, secret)`` with a token built at run time."""
    rng = random.Random(n)
    token = "ghp_" + "".join(rng.choices(string.ascii_letters + string.digits, k=36))
    return f"token {token}", token


class RaiseOnBoom:
    """A detector that raises on texts containing 'boom', quoting the text in its message."""

    name = "raise_on_boom"
    triggers = ("boom",)
    priority = 0

    def detect(self, text: str, /) -> Iterator[Finding]:
        raise RuntimeError(f"cannot scan {text!r}")


class RaisingMask:
    """A mask that raises, quoting the secret in its message."""

    def __call__(self, secret: str, kind: str, /) -> str:
        raise RuntimeError(f"cannot mask {secret!r}")

    def placeholders(self, text: str, /) -> Iterator[tuple[int, int]]:
        return iter(())


class ListHandler(logging.Handler):
    """Keeps every formatted line."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class RaisingHandler(logging.Handler):
    """A handler whose emit always raises (a broken sink), quoting the message."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            raise OSError(f"sink down while writing {record.getMessage()!r}")
        except OSError:
            self.handleError(record)


class FlakyStream(io.StringIO):
    """A stream whose every other write fails."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def write(self, text: str) -> int:
        self.calls += 1
        if self.calls % 2:
            msg = "disk full"
            raise OSError(msg)
        return super().write(text)


class BlockingHandler(logging.Handler):
    """A sink that blocks until released, then keeps every line."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()  # not "release": that is Handler's lock method
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.gate.wait(HANG_GUARD)
        self.lines.append(self.format(record))


@pytest.fixture(name="logger")
def fixture_logger() -> Iterator[logging.Logger]:
    """An isolated logger, emptied afterwards."""
    logger = logging.getLogger(f"redactlog.tests.faults.{random.random()}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


class TestDetectorFaults:
    """A detector that raises fails its records closed; the others are untouched."""

    def test_logging_keeps_every_record(self, logger):
        """Records that make the detector raise become placeholders; every record is written."""
        redactor = Redactor(add=[RaiseOnBoom()])
        handler = ListHandler()
        handler.addFilter(RedactingFilter(redactor))
        logger.addHandler(handler)
        _, secret = make_secret(1)

        for n in range(100):
            logger.info("boom %s %d" if n % 4 == 0 else "fine %s %d", secret, n)

        assert len(handler.lines) == 100
        assert handler.lines.count("[REDACTED:redaction_failed]") == 25
        assert secret not in "\n".join(handler.lines)
        assert redactor.failures >= 25  # each failed text counts; a record may hold several

    def test_structlog_keeps_every_event(self):
        """The processor masks every value of a failing event and still returns it."""
        redactor = Redactor(add=[RaiseOnBoom()])
        processor = RedactingProcessor(redactor)
        _, secret = make_secret(2)

        out = processor(None, "info", {"event": "boom", "detail": secret, "n": 3})

        assert out["event"] == "[REDACTED:redaction_failed]"
        assert secret not in repr(out)

    @pytest.mark.parametrize("call", ["redact", "redact_with_findings", "redact_value"])
    def test_raising_mask_does_not_raise(self, call):
        """A mask that raises never makes the redactor raise (a fixed placeholder is used instead)."""
        redactor = Redactor(mask=RaisingMask())
        text, secret = make_secret(3)

        out = getattr(redactor, call)(text)

        assert secret not in repr(out)

    def test_raising_mask_in_logging(self, logger):
        """Through the logging filter, a mask that raises still gives a placeholder line."""
        handler = ListHandler()
        handler.addFilter(RedactingFilter(Redactor(mask=RaisingMask())))
        logger.addHandler(handler)
        text, secret = make_secret(4)

        logger.info("value %s", text)

        assert handler.lines == ["[REDACTED:redaction_failed]"]
        assert secret not in handler.lines[0]


class TestHandlerFaults:
    """A handler, formatter or stream that raises loses only its own line, and prints no raw data."""

    def test_raising_handler_beside_a_working_one(self, logger, capsys):
        """With install(), the broken handler's error report is redacted and the other handler gets every record."""
        good = ListHandler()
        logger.addHandler(RaisingHandler())
        logger.addHandler(good)
        install(Redactor(), logger)
        secrets = []

        for n in range(50):
            text, secret = make_secret(n)
            secrets.append(secret)
            logger.info("event %d %s", n, text)

        reported = capsys.readouterr().err
        assert len(good.lines) == 50
        assert reported.count("--- Logging error ---") == 50
        for secret in secrets:
            assert secret not in reported
            assert secret not in "\n".join(good.lines)

    def test_raising_formatter(self, logger, capsys):
        """A formatter that raises makes logging report an error that holds no raw data."""

        class BrokenFormatter(logging.Formatter):
            def format(self, record: logging.LogRecord) -> str:
                raise ValueError(record.getMessage())

        handler = logging.StreamHandler(io.StringIO())
        handler.setFormatter(BrokenFormatter())
        logger.addHandler(handler)
        install(Redactor(), logger)
        text, secret = make_secret(5)

        logger.info("payload %s", text)
        logger.info("after the failure")

        assert secret not in capsys.readouterr().err

    def test_flaky_stream_loses_only_failed_writes(self, logger, capsys):
        """A stream failing every other write: the rest arrive, redacted; errors name no secret."""
        stream = FlakyStream()
        handler = logging.StreamHandler(stream)
        logger.addHandler(handler)
        install(Redactor(), logger)
        secrets = []

        for n in range(40):
            text, secret = make_secret(n)
            secrets.append(secret)
            logger.info("rec-%d %s", n, text)

        written = stream.getvalue().splitlines()
        reported = capsys.readouterr().err
        assert len(written) == 20
        assert reported.count("--- Logging error ---") == 20
        for secret in secrets:
            assert secret not in stream.getvalue()
            assert secret not in reported

    def test_raise_exceptions_off_is_silent(self, logger, capsys, monkeypatch):
        """With logging.raiseExceptions off (production), a broken handler is silent and harmless."""
        monkeypatch.setattr(logging, "raiseExceptions", False)
        logger.addHandler(RaisingHandler())
        install(Redactor(), logger)

        logger.info("event %s", make_secret(6)[0])

        assert capsys.readouterr().err == ""


class TestSinkFaults:
    """A sink that blocks behind a QueueHandler never blocks the application or loses records."""

    def test_blocked_listener(self, logger):
        """While the sink blocks, logging returns at once; the queue holds only redacted records; all arrive."""
        records: queue.Queue[logging.LogRecord] = queue.Queue()
        queue_handler = logging.handlers.QueueHandler(records)
        queue_handler.addFilter(RedactingFilter(Redactor()))
        logger.addHandler(queue_handler)
        sink = BlockingHandler()
        listener = logging.handlers.QueueListener(records, sink)
        listener.start()
        secrets = []
        done = threading.Event()

        def application() -> None:
            for n in range(500):
                text, secret = make_secret(n)
                secrets.append(secret)
                logger.info("rec-%d %s", n, text, extra={"detail": {"token": secret}})
            done.set()

        try:
            worker = threading.Thread(target=application)
            worker.start()
            finished = done.wait(HANG_GUARD)
            queued = [records.queue[i] for i in range(len(records.queue))]
        finally:
            sink.gate.set()
            listener.stop()
        worker.join(HANG_GUARD)

        assert finished
        assert len(sink.lines) == 500
        for secret in secrets:
            assert secret not in "\n".join(sink.lines)
            assert all(secret not in repr(vars(r)) for r in queued)


class TestHostileValues:
    """Hostile objects and values beyond every limit are logged as placeholders, never raw."""

    def test_hostile_objects_in_args_and_extras(self, logger):
        """Objects whose __str__/__repr__ raise or return secrets never break logging or leak."""
        text, secret = make_secret(7)

        class Raises:
            def __str__(self) -> str:
                raise RuntimeError(text)

            __repr__ = __str__

        class Leaks:
            def __str__(self) -> str:
                return text

            def __repr__(self) -> str:
                return f"Leaks({text})"

        handler = ListHandler()
        handler.setFormatter(logging.Formatter("%(message)s | %(obj)s | %(other)s", defaults={"obj": "", "other": ""}))
        logger.addHandler(handler)
        install(Redactor(), logger)

        logger.info("a %s b %r", Leaks(), Leaks(), extra={"obj": Raises(), "other": [Leaks(), {"k": Leaks()}]})
        logger.info("next record")

        assert len(handler.lines) == 2
        assert secret not in "\n".join(handler.lines)

    def test_cyclic_and_deep_extras(self, logger):
        """Cyclic and 10,000-deep extras are logged in bounded time with placeholders."""
        text, _ = make_secret(8)
        cyclic: dict[str, object] = {"note": text}
        cyclic["self"] = cyclic
        deep: object = text
        for _ in range(10_000):
            deep = [deep]
        handler = ListHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        install(Redactor(), logger)

        logger.info("values", extra={"cyclic": cyclic, "deep": deep})

        record_values = repr({"cyclic": cyclic})
        assert handler.lines == ["values"]
        assert text in record_values  # the caller's object is not mutated

    def test_cyclic_event_dict_in_structlog(self):
        """The processor handles a self-referencing value."""
        text, secret = make_secret(9)
        loop: list[object] = [text]
        loop.append(loop)

        out = RedactingProcessor(Redactor())(None, "info", {"event": "x", "loop": loop})

        assert secret not in repr(out)

    def test_message_beyond_max_length(self, logger):
        """A 5 MB message keeps its first max_length characters; a secret in the tail is masked."""
        text, secret = make_secret(10)
        handler = ListHandler()
        logger.addHandler(handler)
        install(Redactor(limits=Limits(max_length=1_000_000)), logger)

        words = " ".join(["x" * 99] * 30_000)  # 3 MB of words: the cut at 1 MB falls inside one
        logger.info("%s %s %s", words, text, "y" * 2_000_000)

        (line,) = handler.lines
        assert secret not in line
        assert line.startswith(words[:990_000])
        assert line.endswith("[REDACTED:oversize]")
        assert len(line) < 1_100_000

    def test_huge_bytes_and_containers_in_extras(self, logger):
        """A 5 MB bytes extra and a 100,000-item list are bounded, secrets masked."""
        text, secret = make_secret(11)
        handler = ListHandler()
        handler.setFormatter(logging.Formatter("%(message)s %(blob)s %(items)s"))
        logger.addHandler(handler)
        install(Redactor(), logger)

        logger.info(
            "big",
            extra={"blob": b"z" * 5_000_000 + text.encode(), "items": ["a"] * 100_000 + [text]},
        )

        (line,) = handler.lines
        assert secret not in line


class TestApplicationKeepsWorking:
    """After every fault above, the same redactor, filter and processor keep redacting normally."""

    def test_after_failures(self, logger):
        """A redactor that failed many times still masks and passes clean text through."""
        redactor = Redactor(add=[RaiseOnBoom()])
        handler = ListHandler()
        handler.addFilter(RedactingFilter(redactor))
        logger.addHandler(handler)
        text, secret = make_secret(12)

        with contextlib.suppress(Exception):
            for _ in range(200):
                logger.info("boom")
        logger.info("clean line")
        logger.info("then %s", text)

        assert handler.lines[-2:] == ["clean line", "then token [REDACTED:api_key]"]
        assert redactor.failures >= 200
        assert secret not in "\n".join(handler.lines)

    def test_structlog_after_failures(self):
        """A processor whose detector failed keeps redacting later events."""
        redactor = Redactor(add=[RaiseOnBoom()])
        log = structlog.wrap_logger(
            structlog.ReturnLogger(),
            processors=[RedactingProcessor(redactor), structlog.processors.KeyValueRenderer(key_order=["event"])],
        )
        text, secret = make_secret(13)

        failed = log.info("boom", detail=text)
        ok = log.info("fine", detail=text)

        assert secret not in failed
        assert ok == "event='fine' detail='token [REDACTED:api_key]'"
