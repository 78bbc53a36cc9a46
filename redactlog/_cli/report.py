"""Messages on standard error: errors and ``--stats`` summaries."""

from __future__ import annotations

import sys

from redactlog._cli.lines import Stats

__all__ = ["UsageError", "print_error", "print_stats"]


class UsageError(Exception):
    """The command line asks for something impossible (exit status 2)."""


def print_error(message: str) -> None:
    """Write ``redactlog: error: <message>`` to standard error."""
    sys.stderr.write(f"redactlog: error: {message}\n")


def print_stats(stats: Stats, verb: str) -> None:
    """Write the counts of a run, one kind per line, to standard error."""
    total = sum(stats.kinds.values())
    lines = [
        f"redactlog: {stats.lines} lines, {stats.bytes_in} bytes read, {stats.changed} lines changed, "
        f"{total} findings {verb}",
    ]
    lines.extend(f"  {kind:<20} {count}" for kind, count in sorted(stats.kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    sys.stderr.write("\n".join(lines) + "\n")
