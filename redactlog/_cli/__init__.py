"""The ``redactlog`` command line (placeholder; filled in by the CLI work)."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    sys.stderr.write("redactlog: the command line is not built yet\n")
    return 2
