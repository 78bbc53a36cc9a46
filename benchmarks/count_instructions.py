"""Instructions per line of the engine and of each of its parts, counted by Valgrind.

Wall-clock figures on a shared two-core machine move by a factor of two
from one minute to the next. Instruction counts do not: Valgrind's
cachegrind counts every instruction the interpreter executes, the same on
every run. They are the measure to compare two versions of the engine with,
while ``bench_engine.py`` gives the lines per second that the targets are
stated in (on this machine about seven instructions take a nanosecond).

Each workload runs in its own process under ``valgrind --tool=cachegrind``
on the mixed log of ``bench_engine.py``; a run that only builds the log and
the redactor is subtracted, so the figures are per line of the mixed log.
Detector rows count each detector on the lines the gate selects it for
(its cost spread over all lines). Needs ``valgrind`` (``apt-get install
valgrind``).

A second table counts the logging calls of ``bench_logging.py`` (bare,
with ``RedactingFilter``, ``RedactingFormatter`` and ``RedactingProcessor``)
per call, beside the bare call's count: the ratios its targets are stated
in, free of the machine's load.

Run::

    .venv/bin/python benchmarks/count_instructions.py           # writes benchmarks/results/instructions.md
    .venv/bin/python benchmarks/count_instructions.py --lines 2000 --out -
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

from _valgrind import MISSING, available, instructions  # a sibling module: benchmarks run as scripts

RESULTS = Path(__file__).parent / "results" / "instructions.md"
HERE = Path(__file__).parent


# Logging scenarios of bench_logging.py counted per call, and the bare call each is compared with.
LOG_CALLS = 3000
LOG_SCENARIOS = {
    "stdlib RedactingFilter / clean": "stdlib bare / clean",
    "stdlib RedactingFormatter / clean": "stdlib bare / clean",
    "structlog RedactingProcessor / clean": "structlog bare / clean",
    "stdlib RedactingFilter / secret": "stdlib bare / secret",
    "stdlib RedactingFormatter / secret": "stdlib bare / secret",
    "structlog RedactingProcessor / secret": "structlog bare / secret",
}


def _log_workload(scenario: str) -> None:
    """Run one logging scenario LOG_CALLS times, after a warm-up (the child side)."""
    sys.path.insert(0, str(HERE))
    from bench_logging import scenarios

    from redactlog import Redactor

    table = scenarios(Redactor())
    call = table[scenario] if scenario else (lambda: None)
    for _ in range(200):
        call()
    for _ in range(LOG_CALLS):
        call()


def _workload(mode: str, count: int) -> None:
    """Run one workload in this process (the child side)."""
    if mode.startswith("log:"):
        _log_workload(mode.removeprefix("log:"))
        return
    sys.path.insert(0, str(HERE))
    from bench_engine import make_lines

    from redactlog import Redactor

    lines = make_lines(count)
    redactor = Redactor()
    gate = redactor._gate  # private: diagnostics for the gate's owner
    if mode == "redact":
        for line in lines:
            redactor.redact(line)
    elif mode == "select":
        for line in lines:
            gate.select(line)
    elif mode.startswith("detector:"):
        name = mode.removeprefix("detector:")
        selected = [(line, [d for d in gate.select(line) if d.name == name]) for line in lines]
        for line, detectors in selected:
            for detector in detectors:
                list(detector.detect(line))


def _count(mode: str, count: int) -> int:
    return instructions([__file__, "--worker", mode, "--lines", str(count)])


def main() -> int:
    """Count, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5000, help="lines of the mixed log (default 5,000)")
    parser.add_argument("--out", default=str(RESULTS), help="results path, or - for stdout only")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _workload(args.worker, args.lines)
        return 0
    if not available():
        print(MISSING, file=sys.stderr)
        return 2

    sys.path.insert(0, str(HERE.parent))
    from redactlog import Redactor

    count = args.lines
    base = _count("none", count)
    per_line = {mode: (_count(mode, count) - base) / count for mode in ("redact", "select")}
    # The baseline of the detector rows: the same selection, no detector named.
    selected = _count("detector:", count)
    sys.path.insert(0, str(HERE))
    from bench_engine import make_lines

    redactor = Redactor()
    woken = {d.name for line in make_lines(count) for d in redactor._gate.select(line)}  # private: diagnostics
    detectors = {}
    for detector in redactor.detectors:
        if detector.name in woken:
            detectors[detector.name] = (_count(f"detector:{detector.name}", count) - selected) / count

    rows = [
        "| workload | instructions per line |",
        "|---|---:|",
        f"| `Redactor().redact`, all of it | {per_line['redact']:,.0f} |",
        f"| the gate alone (`Gate.select`) | {per_line['select']:,.0f} |",
    ]
    rows += [
        f"| detector `{name}` on the lines selected for it | {value:,.0f} |"
        for name, value in sorted(detectors.items(), key=lambda item: -item[1])
    ]
    log_base = _count("log:", count)
    per_call = {
        scenario: (_count(f"log:{scenario}", count) - log_base) / LOG_CALLS
        for scenario in sorted({*LOG_SCENARIOS, *LOG_SCENARIOS.values()})
    }
    log_rows = [
        "| logging call (`bench_logging.py`) | instructions per call | bare call | ratio |",
        "|---|---:|---:|---:|",
    ]
    for scenario, bare in LOG_SCENARIOS.items():
        ratio = per_call[scenario] / per_call[bare]
        log_rows.append(f"| {scenario} | {per_call[scenario]:,.0f} | {per_call[bare]:,.0f} | {ratio:.2f}x |")
    report = "\n".join(
        [
            "# Instructions per line",
            "",
            f"Generated by `benchmarks/count_instructions.py --lines {count}` on "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: Python {platform.python_version()}, "
            f"{platform.machine()}, Valgrind cachegrind. Mixed log of `bench_engine.py` (about 150 characters "
            "a line, 20 % of lines holding a secret); each figure is per line of that log, so a detector's "
            "row is its cost spread over all lines. The same code gives the same counts; a change that does "
            "no work of its own (an unused name) moved the total by 0.2 % and a detector's row by up to 400, "
            "through memory layout, so smaller differences mean nothing. Compare versions with these, not "
            "with wall-clock times on a shared machine. About seven instructions take a nanosecond here.",
            "",
            *rows,
            "",
            "## Logging calls",
            "",
            f"Each scenario of `bench_logging.py` called {LOG_CALLS:,} times after a warm-up, per call, beside the "
            "bare call with the same arguments (targets: a clean record at most 1.10x, one holding a secret at "
            "most 2x). The wall-clock ratio runs a little above the instruction ratio: the redacted path "
            "allocates more.",
            "",
            *log_rows,
            "",
        ]
    )
    print(report)
    if args.out != "-":
        Path(args.out).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
