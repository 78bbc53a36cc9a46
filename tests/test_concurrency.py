"""One Redactor, one filter and one processor shared by many threads and asyncio tasks at once.

Every record carries a unique id and a generated secret. We count: every id
arrives exactly once (nothing lost, nothing duplicated) and no secret arrives.
"""

from __future__ import annotations

import asyncio
import logging
import random
import string
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import structlog

from redactlog import Finding, RedactingFilter, RedactingProcessor, Redactor

THREADS = 16
PER_THREAD = 250
TASKS = 200
PER_TASK = 10
HANG_GUARD = 60  # seconds; a generous bound so a deadlock fails instead of hanging the suite


def secret_for(rng: random.Random, n: int) -> tuple[str, str]:
    """Return ``(text, secret)``: a log line fragment and the secret in it, built at run time."""
    token = "ghp_" + "".join(rng.choices(string.ascii_letters + string.digits, k=36))
    user = "".join(rng.choices(string.ascii_lowercase, k=8))
    choices = [
        (f"mail {user}{n}@example.com", f"{user}{n}@example.com"),
        (f"token {token}", token),
        (f"password={user}{n}x", f"{user}{n}x"),
        (f"ssn 536-22-{1000 + n % 9000:04d}", f"536-22-{1000 + n % 9000:04d}"),
    ]
    return choices[n % len(choices)]


class RaiseOnBoom:
    """A detector that raises on texts containing 'boom' (the fail-closed path under contention)."""

    name = "raise_on_boom"
    triggers = ("boom",)
    priority = 0

    def detect(self, text: str, /) -> Iterator[Finding]:
        raise RuntimeError(text)


class ListHandler(logging.Handler):
    """Keeps every formatted line (Handler.handle serialises emit with the handler lock)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(name="fast_switching")
def fixture_fast_switching() -> Iterator[None]:
    """Switch threads as often as possible, to provoke interleavings."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def run_threads(work: Callable[[int], None], count: int = THREADS) -> None:
    """Run *work(i)* on *count* threads that start together; fail instead of hanging."""
    barrier = threading.Barrier(count)

    def start(i: int) -> None:
        barrier.wait(timeout=HANG_GUARD)
        work(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(start, i) for i in range(count)]
        for future in futures:
            future.result(timeout=HANG_GUARD)


def ids_in(lines: list[str]) -> list[str]:
    """Return the record ids (``rec-<a>-<b>``) found in *lines*."""
    return [word for line in lines for word in line.split() if word.startswith("rec-")]


class TestSharedRedactor:
    """One Redactor from many threads and tasks."""

    def test_threads(self, fast_switching):
        """16 threads x 250 texts: every output is the redacted text of its own input."""
        redactor = Redactor()
        outputs: dict[str, str] = {}
        secrets: dict[str, str] = {}
        lock = threading.Lock()

        def work(thread: int) -> None:
            rng = random.Random(thread)
            for n in range(PER_THREAD):
                text, secret = secret_for(rng, thread * PER_THREAD + n)
                record_id = f"rec-{thread}-{n}"
                out = redactor.redact(f"{record_id} {text} end")
                with lock:
                    outputs[record_id] = out
                    secrets[record_id] = secret

        run_threads(work)

        assert len(outputs) == THREADS * PER_THREAD
        for record_id, out in outputs.items():
            assert out.startswith(record_id + " ")
            assert secrets[record_id] not in out

    def test_failure_counter_is_exact_under_contention(self, fast_switching):
        """Failures counted from 16 threads at once add up exactly."""
        redactor = Redactor(add=[RaiseOnBoom()])

        def work(thread: int) -> None:
            for n in range(PER_THREAD):
                out = redactor.redact(f"boom {thread} {n}" if n % 5 == 0 else f"fine {thread} {n}")
                assert ("boom" in out) is False

        run_threads(work)

        assert redactor.failures == THREADS * PER_THREAD // 5

    def test_asyncio_tasks(self):
        """200 tasks interleaving redact() and redact_value() on one loop lose nothing."""
        redactor = Redactor()
        results: list[tuple[str, str, object]] = []

        async def task(index: int) -> None:
            rng = random.Random(index)
            for n in range(PER_TASK):
                text, secret = secret_for(rng, index * PER_TASK + n)
                record_id = f"rec-{index}-{n}"
                value = redactor.redact_value({"id": record_id, "detail": [text], "password": secret})
                await asyncio.sleep(0)
                results.append((record_id, secret, value))

        async def main() -> None:
            await asyncio.wait_for(asyncio.gather(*(task(i) for i in range(TASKS))), HANG_GUARD)

        asyncio.run(main())

        assert sorted(r[0] for r in results) == sorted(f"rec-{i}-{n}" for i in range(TASKS) for n in range(PER_TASK))
        for record_id, secret, value in results:
            assert isinstance(value, dict)
            assert value["id"] == record_id
            assert secret not in repr(value)


class TestSharedFilter:
    """One RedactingFilter on one handler, fed by many threads and tasks."""

    @pytest.fixture(name="logger")
    def fixture_logger(self) -> Iterator[tuple[logging.Logger, ListHandler, RedactingFilter]]:
        """An isolated logger with one collecting handler and a shared filter."""
        logger = logging.getLogger(f"redactlog.tests.concurrency.{random.random()}")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        handler = ListHandler()
        handler.setFormatter(logging.Formatter("%(message)s %(detail)s"))
        redacting = RedactingFilter(Redactor())
        handler.addFilter(redacting)
        logger.addHandler(handler)
        yield logger, handler, redacting
        logger.removeHandler(handler)

    def test_threads(self, logger, fast_switching):
        """16 threads x 250 records through one filter: all arrive, none leaks."""
        log, handler, _ = logger
        secrets: list[str] = []
        lock = threading.Lock()

        def work(thread: int) -> None:
            rng = random.Random(thread)
            for n in range(PER_THREAD):
                text, secret = secret_for(rng, thread * PER_THREAD + n)
                with lock:
                    secrets.append(secret)
                log.info("rec-%d-%d %s", thread, n, text, extra={"detail": {"note": text, "token": secret}})

        run_threads(work)

        assert len(handler.lines) == THREADS * PER_THREAD
        assert len(set(ids_in(handler.lines))) == THREADS * PER_THREAD
        output = "\n".join(handler.lines)
        for secret in secrets:
            assert secret not in output

    def test_asyncio_tasks_and_threads_at_once(self, logger, fast_switching):
        """Four event loops in four threads, 50 tasks each, plus 8 plain threads, share the filter."""
        log, handler, _ = logger
        loops, tasks_per_loop, plain_threads = 4, 50, 8
        secrets: list[str] = []
        lock = threading.Lock()

        def emit(tag: str, n: int, rng: random.Random) -> None:
            text, secret = secret_for(rng, n)
            with lock:
                secrets.append(secret)
            log.info("rec-%s-%d %s", tag, n, text, extra={"detail": [text]})

        async def task(tag: str) -> None:
            rng = random.Random(tag)
            for n in range(PER_TASK):
                emit(tag, n, rng)
                await asyncio.sleep(0)

        def work(index: int) -> None:
            if index < loops:

                async def main() -> None:
                    await asyncio.gather(*(task(f"{index}.{t}") for t in range(tasks_per_loop)))

                asyncio.run(main())
            else:
                rng = random.Random(index)
                for n in range(PER_THREAD):
                    emit(f"t{index}", n, rng)

        run_threads(work, loops + plain_threads)

        expected = loops * tasks_per_loop * PER_TASK + plain_threads * PER_THREAD
        assert len(handler.lines) == expected
        assert len(set(ids_in(handler.lines))) == expected
        output = "\n".join(handler.lines)
        for secret in secrets:
            assert secret not in output


class TestSharedProcessor:
    """One RedactingProcessor in a structlog chain, called from many threads."""

    def test_threads(self, fast_switching):
        """16 threads x 250 events through one processor: all rendered, none leaks."""
        lines: list[str] = []
        lock = threading.Lock()

        def sink(_logger: object, _name: str, event_dict: dict[str, object]) -> str:
            rendered = structlog.processors.KeyValueRenderer(key_order=["event"])(None, "", event_dict)
            with lock:
                lines.append(rendered)
            return rendered

        processor = RedactingProcessor(Redactor())
        log = structlog.wrap_logger(
            structlog.ReturnLogger(),
            processors=[processor, sink],
            wrapper_class=structlog.BoundLogger,
        )
        secrets: list[str] = []

        def work(thread: int) -> None:
            rng = random.Random(thread)
            bound = log.bind(thread=thread)
            for n in range(PER_THREAD):
                text, secret = secret_for(rng, thread * PER_THREAD + n)
                with lock:
                    secrets.append(secret)
                bound.info(f"rec-{thread}-{n} {text}", detail={"text": text}, api_key=secret)

        run_threads(work)

        assert len(lines) == THREADS * PER_THREAD
        assert len({line.split()[0] for line in lines}) == THREADS * PER_THREAD
        output = "\n".join(lines)
        for secret in secrets:
            assert secret not in output
