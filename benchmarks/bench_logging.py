#!/usr/bin/env python3
"""Cost per log call of redaction in stdlib ``logging`` and structlog, against the bare call.

Measured side by side in one run, in many short rounds (every scenario is
timed once per round, in a shuffled order) so that load from other processes
hits all of them alike; overheads are medians of per-round ratios. Rounds
are kept short (500 calls, a few milliseconds) and many, because load on a
shared machine comes in bursts: a short round is more likely to be timed
entirely inside or outside one, alike for a scenario and its bare call.

* stdlib: ``logger.info("user %s from %s", a, b)`` through a real
  ``logging.Formatter`` (with ``asctime``) and ``StreamHandler`` writing to a
  sink that discards the text; bare, with ``RedactingFilter`` on the handler,
  and with ``RedactingFormatter`` wrapping the formatter.
* structlog: ``log.info("user logged in", user=a, ip=b)`` through
  ``add_log_level``, ``TimeStamper(fmt="iso")`` and ``JSONRenderer``; bare,
  with ``RedactingProcessor`` where the docs put it (before ``TimeStamper``),
  and after ``TimeStamper`` (which makes it scan the timestamp).

Each is run with a clean record (``a = "alice"``) and with a secret
(``a`` = an e-mail address). Overhead is relative to the bare call with the
same arguments. Targets: clean at most +10 %, secret at most 2x.

A breakdown of the filter's clean path follows, to show where the time goes.
Figures go to ``benchmarks/results/logging.md`` (``--no-write`` to skip).

Usage: ``python benchmarks/bench_logging.py [--calls 500] [--rounds 150]``
"""

from __future__ import annotations

import argparse
import datetime
import gc
import logging
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from itertools import count
from pathlib import Path
from typing import Any

import structlog
from structlog.processors import JSONRenderer, TimeStamper, add_log_level

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from redactlog import RedactingFilter, RedactingFormatter, RedactingProcessor, Redactor  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "logging.md"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CLEAN = ("alice", "10.0.0.1")
SECRET = ("jane.doe@example.com", "10.0.0.1")
NOTES = [
    "## Reading the table",
    "",
    "* **stdlib, clean.** The filter must look at the merged message (`msg % args`): redacting the",
    "  template and each argument apart would miss secrets that span them (`password=%s`, a phone",
    "  number split over two arguments). A merged message it found clean before (up to 128",
    "  characters) is remembered, so a repeated clean record costs `msg % args` and a set lookup;",
    "  a new one costs one `Redactor.redact()` (the engine's gate, see the breakdown). Clean records",
    "  are not modified, so the formatter still does its own `msg % args`.",
    "* **stdlib, secret.** One detection of the merged message; its findings are mapped back into",
    "  the arguments they fall in, so `args` keep their shape (uvicorn's access formatter unpacks",
    "  them) without detecting each argument again. The rest is the engine's detection of the",
    "  address (breakdown).",
    "* **RedactingFormatter** copies a record only when something in it changes.",
    "* **structlog.** The processor remembers short strings it found clean, so repeated values (event",
    "  names, levels, hosts) cost a set lookup; *new values* rows show a miss on every call. Placed",
    "  after `TimeStamper`, it recognises the clock's own ISO timestamp (date and time of the last",
    "  seconds, six digits of microseconds) and passes it unscanned, as the documented placement",
    "  before `TimeStamper` does; every other value is scanned.",
    "* **IPv4 addresses** with seven digits or more have the digit shape of a phone, SSN or card number",
    "  and wake those detectors in the engine's gate: a cost for every log line that carries one.",
    "* The machine is shared: compare the paired ratios, and rerun before drawing fine conclusions.",
]
CLEAN_TARGET = 1.10
SECRET_TARGET = 2.0


class Sink:
    """A stream that discards what it is given, so only logging's own work is timed."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def stdlib_logger(name: str, *, redact: str | None, redactor: Redactor) -> logging.Logger:
    logger = logging.Logger(name, logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(Sink())  # type: ignore[arg-type]
    formatter = logging.Formatter(FORMAT)
    if redact == "filter":
        handler.addFilter(RedactingFilter(redactor))
    elif redact == "formatter":
        formatter = RedactingFormatter(formatter, redactor=redactor)
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    return logger


def structlog_logger(processors: list[Any]) -> Any:
    return structlog.wrap_logger(structlog.WriteLogger(Sink()), processors=processors)  # type: ignore[arg-type]


def scenarios(redactor: Redactor) -> dict[str, Callable[[], None]]:
    bare = stdlib_logger("bench.bare", redact=None, redactor=redactor)
    filtered = stdlib_logger("bench.filter", redact="filter", redactor=redactor)
    formatted = stdlib_logger("bench.formatter", redact="formatter", redactor=redactor)
    # The documented placement: after what adds user data, before trusted
    # enrichers (level, timestamp) and the renderer.
    s_bare = structlog_logger([add_log_level, TimeStamper(fmt="iso"), JSONRenderer()])
    s_redacted = structlog_logger([RedactingProcessor(redactor), add_log_level, TimeStamper(fmt="iso"), JSONRenderer()])
    s_late = structlog_logger([add_log_level, TimeStamper(fmt="iso"), RedactingProcessor(redactor), JSONRenderer()])
    loggers = {
        "stdlib bare": bare,
        "stdlib RedactingFilter": filtered,
        "stdlib RedactingFormatter": formatted,
    }
    structlogs = {
        "structlog bare": s_bare,
        "structlog RedactingProcessor": s_redacted,
        "structlog processor after TimeStamper": s_late,
    }
    table: dict[str, Callable[[], None]] = {}
    for label, (user, ip) in (("clean", CLEAN), ("secret", SECRET)):
        for name, logger in loggers.items():
            table[f"{name} / {label}"] = partial(logger.info, "user %s from %s", user, ip)
        for name, log in structlogs.items():
            table[f"{name} / {label}"] = partial(log.info, "user logged in", user=user, ip=ip)
    # Values never seen before: the redactor's memo of clean strings cannot help.
    for name, log in structlogs.items():
        table[f"{name} / clean, new values"] = partial(_new_values, log, count())
    return table


def _new_values(log: Any, counter: Iterator[int]) -> None:
    number = next(counter)
    # The address stays short: a dotted quad with seven digits or more wakes
    # the phone, SSN and card detectors (see the breakdown), which would hide
    # what this row measures, the cost of a memo miss.
    log.info("user logged in", user=f"user{number}", ip="10.0.0.1")


def time_once(call: Callable[[], None], calls: int) -> float:
    """Return microseconds per call for one round."""
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(calls):
            call()
        return (time.perf_counter() - start) / calls * 1e6
    finally:
        gc.enable()


def measure(table: dict[str, Callable[[], None]], calls: int, rounds: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in table}
    order = list(table)
    rng = random.Random(0)
    for call in table.values():  # warm caches (key memo, gate selections, regex compile)
        time_once(call, 200)
    for _ in range(rounds):
        rng.shuffle(order)
        for name in order:
            samples[name].append(time_once(table[name], calls))
    return samples


def breakdown(redactor: Redactor, calls: int) -> list[tuple[str, float]]:
    """Time the pieces of the filter's clean path on their own."""
    merged = "user %s from %s" % CLEAN  # noqa: UP031 - what logging does
    secret_merged = "user %s from %s" % SECRET  # noqa: UP031
    record = logging.LogRecord("bench", logging.INFO, __file__, 1, "user %s from %s", CLEAN, None)
    redacting = RedactingFilter(redactor)
    processor = RedactingProcessor(redactor)
    stamper = TimeStamper(fmt="iso")
    # A fresh record each call: the filter edits the one it is given.
    secret_record = partial(logging.LogRecord, "bench", logging.INFO, __file__, 1, "user %s from %s", SECRET, None)
    pieces: list[tuple[str, Callable[[], object]]] = [
        ("msg % args", lambda: "user %s from %s" % CLEAN),  # noqa: UP031
        ("Redactor.redact(merged message)", lambda: redactor.redact(merged)),
        ("RedactingFilter.filter(clean record)", lambda: redacting.filter(record)),
        ("LogRecord(record holding an e-mail address) alone", secret_record),
        (
            "LogRecord(...) + RedactingFilter.filter(it)",
            lambda: redacting.filter(secret_record()),
        ),
        ("Redactor.redact(message holding an e-mail address)", lambda: redactor.redact(secret_merged)),
        ("Redactor.redact(ISO timestamp)", lambda: redactor.redact("2026-11-24T10:00:01.123456Z")),
        ("Redactor.redact(IPv4 address with 12 digits)", lambda: redactor.redact("192.168.100.200")),
        (
            "Redactor.redact_value(clean event dict)",
            lambda: redactor.redact_value({"event": "user logged in", "user": "alice", "ip": "10.0.0.1"}),
        ),
        (
            "RedactingProcessor(clean event dict)",
            partial(processor, None, "info", {"event": "user logged in", "user": "alice", "ip": "10.0.0.1"}),
        ),
        (
            "RedactingProcessor(clean event dict with a fresh ISO timestamp)",
            lambda: processor(None, "info", stamper(None, "info", {"event": "user logged in", "user": "alice"})),
        ),
        ("TimeStamper alone", lambda: stamper(None, "info", {"event": "user logged in", "user": "alice"})),
    ]
    result = []
    for name, call in pieces:
        time_once(call, 200)  # type: ignore[arg-type]
        result.append((name, min(time_once(call, calls) for _ in range(5))))  # type: ignore[arg-type]
    return result


def _ratio(ratio: float, *, clean: bool) -> str:
    return f"{(ratio - 1) * 100:+.1f} %" if clean else f"{ratio:.2f}x"


def report(samples: dict[str, list[float]], pieces: list[tuple[str, float]], calls: int, rounds: int) -> str:
    lines = [
        "# Logging integration overhead",
        "",
        f"Generated by `python benchmarks/bench_logging.py --calls {calls} --rounds {rounds}` on "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs.",
        "Rounds are interleaved (every scenario once per round, shuffled); *best* is the fastest round,",
        "*median* the middle one. *Overhead* is the median over rounds of the ratio to the bare call with",
        "the same arguments in the same round: pairing within a round cancels most of the load that",
        "other processes put on a shared machine. *Best ratio* divides the two best rounds.",
        "",
        "| scenario | best µs/call | median µs/call | overhead (paired median) | best ratio | target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    best = {name: min(values) for name, values in samples.items()}
    for name, values in samples.items():
        family, label = name.split(" / ")
        bare_name = f"{family.split()[0]} bare / {label}"
        if name == bare_name:
            overhead = best_ratio = "—"
            target = ""
        else:
            ratio = statistics.median(mine / bare for mine, bare in zip(values, samples[bare_name], strict=True))
            is_clean = label.startswith("clean")
            limit = CLEAN_TARGET if is_clean else SECRET_TARGET
            verdict = "met" if ratio <= limit else "missed"
            overhead = _ratio(ratio, clean=is_clean)
            best_ratio = _ratio(best[name] / best[bare_name], clean=is_clean)
            target = f"{'≤ +10 %' if is_clean else '≤ 2x'} ({verdict})"
        lines.append(
            f"| {name} | {best[name]:.2f} | {statistics.median(values):.2f} | {overhead} | {best_ratio} | {target} |"
        )
    lines += [
        "",
        "## Where the time goes (each piece alone, best of 5)",
        "",
        "| piece | µs/call |",
        "| --- | ---: |",
    ]
    lines += [f"| {name} | {value:.2f} |" for name, value in pieces]
    lines += ["", *NOTES]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=500, help="log calls per round and scenario")
    parser.add_argument("--rounds", type=int, default=150, help="interleaved rounds")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(REPO)}")
    args = parser.parse_args()
    redactor = Redactor()
    samples = measure(scenarios(redactor), args.calls, args.rounds)
    text = report(samples, breakdown(redactor, args.calls), args.calls, args.rounds)
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
