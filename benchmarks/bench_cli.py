#!/usr/bin/env python3
"""Throughput and peak memory of ``redactlog scrub`` on a large, realistic log.

Generates a log of ``--size-mb`` megabytes (split over two files, so ``-j 2``
has something to share) in a temporary directory, then times, in one run:

* ``cat`` (the floor: reading and writing the bytes),
* ``sed -E`` with one e-mail regex (what a hand-rolled filter costs),
* ``redactlog scrub`` in one process, and with ``-j 2``,
* ``redactlog scrub`` on a tenth of the data, to show memory stays flat.

Max RSS comes from ``/usr/bin/time -v`` when it exists (for ``-j 2`` it is the
largest single process), else from ``getrusage`` of a fresh wrapper process.
Figures go to ``benchmarks/results/cli.md`` (``--no-write`` to skip).

Usage: ``python benchmarks/bench_cli.py [--size-mb 100]``
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "examples" / "sample.log"
RESULTS = REPO / "benchmarks" / "results" / "cli.md"
REDACTLOG = [sys.executable, "-m", "redactlog"]
SED_EMAIL = r"s/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/[REDACTED:email]/g"
TIME = "/usr/bin/time"


def clean_lines(rng: random.Random, count: int) -> list[str]:
    """Ordinary log lines with nothing to mask: the bulk of any real log."""
    paths = ["/api/v1/invoices", "/healthz", "/api/v1/customers/8841", "/static/app.js", "/api/v1/payments"]
    lines = []
    for _ in range(count):
        choice = rng.random()
        if choice < 0.4:
            lines.append(
                f"10.1.{rng.randrange(256)}.{rng.randrange(256)} - - [14/Mar/2026:09:{rng.randrange(60):02d}:"
                f'{rng.randrange(60):02d} +0000] "GET {rng.choice(paths)}?page={rng.randrange(50)} HTTP/1.1" '
                f'{rng.choice([200, 200, 304, 404])} {rng.randrange(20000)} "-" "billing-sdk/1.4.0"\n',
            )
        elif choice < 0.8:
            rid = "".join(rng.choice("0123456789abcdef") for _ in range(32))
            lines.append(
                f"2026-03-14 09:{rng.randrange(60):02d}:{rng.randrange(60):02d},{rng.randrange(1000):03d} INFO "
                f"[app.http] request_id={rid} user_id={rng.randrange(10000)} status=200 "
                f"duration={rng.randrange(500)}ms\n",
            )
        else:
            lines.append(
                f'{{"ts":"2026-03-14T09:12:{rng.randrange(60):02d}Z","level":"info","logger":"app.jobs",'
                f'"msg":"job done","job":"reminders","sent":{rng.randrange(100)},'
                f'"elapsed_ms":{rng.random() * 900:.1f}}}\n',
            )
    return lines


def generate(directory: Path, size_mb: float, parts: int = 2) -> list[Path]:
    """Write *parts* files totalling about *size_mb* MB: the sample's secrets among many clean lines."""
    rng = random.Random(42)
    secret_lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    # One block: the whole sample (about a third of its lines hold secrets)
    # followed by clean lines, so that about 5 % of all lines need masking.
    block = "".join(secret_lines + clean_lines(rng, 300)).encode()
    target = int(size_mb * 1e6 / parts)
    files = []
    for index in range(parts):
        path = directory / f"app-{index}.log"
        with path.open("wb") as out:
            written = 0
            while written < target:
                out.write(block)
                written += len(block)
        files.append(path)
    return files


Row = tuple[str, int, float, float, int, float]
"""label, bytes, wall seconds, CPU seconds (all processes), max RSS KiB, load average before."""


def measure(label: str, command: list[str], output: Path, size: int) -> Row:
    """Run *command* with stdout to *output* and return its row."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with output.open("wb") as out:
        prefix = [TIME, "-v"] if Path(TIME).exists() else []
        start = time.perf_counter()
        result = subprocess.run([*prefix, *command], stdout=out, stderr=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {result.stderr.decode(errors='replace')[-500:]}")
    # Children's CPU time includes every worker process that was waited for.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    match = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    # Without /usr/bin/time, fall back to the largest child so far (run order: small to large).
    rss = int(match.group(1)) if match else after.ru_maxrss
    row = (label, size, elapsed, cpu, rss, load)
    print(
        f"{label:<28} {size / 1e6:7.1f} MB {elapsed:8.2f} s {size / 1e6 / elapsed:8.1f} MB/s "
        f"cpu {cpu:7.2f} s {rss / 1024:7.1f} MiB load {load:.1f}"
    )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=100.0, help="total size of the generated log")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update results/cli.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        directory = Path(tmp)
        files = generate(directory, args.size_mb)
        (directory / "small").mkdir()
        small = generate(directory / "small", args.size_mb / 10)
        size = sum(f.stat().st_size for f in files)
        lines = sum(1 for f in files for _ in f.open("rb"))
        names = [str(f) for f in files]
        out = directory / "out"
        cases = [
            ("cat", ["cat", *names]),
            ("sed -E (one e-mail regex)", ["sed", "-E", SED_EMAIL, *names]),
            ("redactlog scrub", [*REDACTLOG, "scrub", *names]),
            ("redactlog scrub -j 2", [*REDACTLOG, "scrub", "-j", "2", *names]),
        ]
        small_size = sum(f.stat().st_size for f in small)
        rows = [measure(label, command, out, size) for label, command in cases]
        rows.append(measure("redactlog scrub (1/10 size)", [*REDACTLOG, "scrub", *map(str, small)], out, small_size))
        shutil.rmtree(directory / "small")

    if not args.no_write:
        write_results(rows, size, lines)
    return 0


def write_results(rows: list[Row], size: int, lines: int) -> None:
    """Write the table to benchmarks/results/cli.md."""
    table = "\n".join(
        f"| {label} | {nbytes / 1e6:.1f} | {elapsed:.2f} | {nbytes / 1e6 / elapsed:.1f} | {cpu:.2f} | "
        f"{nbytes / 1e6 / max(cpu, 1e-3):.1f} | {rss / 1024:.0f} | {load:.1f} |"
        for label, nbytes, elapsed, cpu, rss, load in rows
    )
    text = f"""# `redactlog scrub` throughput

Generated by `python benchmarks/bench_cli.py --size-mb {size / 1e6:.0f}` on {datetime.date.today().isoformat()}
({platform.python_implementation()} {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs,
shared with other jobs, so treat the figures as rough).

Input: {size / 1e6:.1f} MB in two files, {lines:,} lines: the sample log's lines (a third of which hold
secrets) repeated among ordinary access-log, application and JSON lines, so about 5 % of lines need masking.
Output goes to a file on the same disk. Max RSS is of the largest single process. CPU is user + system
time of all processes (workers included); MB per CPU second shows the cost independent of other jobs on the
machine, and the load average before each command shows how many cores were free.

| command | MB | wall s | MB/s | CPU s | MB per CPU s | max RSS (MiB) | load before |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{table}

The last row shows memory does not grow with input size: scrub streams line by line.
"""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    sys.exit(main())
