"""``redactlog bench``: a quick throughput self-test, in memory, on realistic lines."""

from __future__ import annotations

import random
import string
import sys
import time
from pathlib import Path

from redactlog._cli.config import Settings
from redactlog._cli.jobs import line_redactor
from redactlog._cli.lines import Stats

__all__ = ["run_bench"]

# The repository's sample log, present in a checkout and an sdist.
_SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample.log"


def _synthetic() -> list[bytes]:
    """Return a few typical lines with fake values, for installs without the sample."""
    rng = random.Random(7)  # noqa: S311 - fake data, not a secret
    token = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))
    return [
        b"2026-03-14 09:12:01,114 INFO [app] request done status=200 duration=12ms\n",
        b'10.1.4.23 - - [14/Mar/2026:09:12:06 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"\n',
        f"2026-03-14 09:12:07,000 INFO [app.auth] login user=jo.doe@example.org session={token}\n".encode(),
        b'{"level":"info","msg":"request finished","status":200,"duration_ms":41.7}\n',
    ]


def run_bench(lines: int) -> int:
    """Redact *lines* lines (the sample, repeated) and print the rate; return 0."""
    sample = _SAMPLE.read_bytes().splitlines(keepends=True) if _SAMPLE.is_file() else _synthetic()
    redactor = line_redactor(Settings())
    stats = Stats()
    data = [sample[i % len(sample)] for i in range(lines)]
    size = sum(map(len, data))
    start = time.perf_counter()
    for line in data:
        redactor.redact(line, stats)
    elapsed = max(time.perf_counter() - start, 1e-9)
    source = "examples/sample.log" if _SAMPLE.is_file() else "built-in lines"
    sys.stdout.write(
        f"redactlog bench: {lines} lines of {source} ({size / 1e6:.1f} MB) in {elapsed:.2f} s: "
        f"{lines / elapsed:,.0f} lines/s, {size / elapsed / 1e6:.1f} MB/s, "
        f"{stats.changed} lines changed\n",
    )
    return 0
