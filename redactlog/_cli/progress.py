"""A one-line progress bar on standard error, only when a person is watching."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "wants_progress"]

_WIDTH = 30
_INTERVAL = 0.2


def wants_progress(option: bool | None, stream: TextIO | None = None) -> bool:
    """Return whether to draw a bar: as asked, or when *stream* is a terminal."""
    if option is not None:
        return option
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Draws ``[#####.....]  45%  12.3 MB/s  name`` over itself, at most five times a second.

    Args:
        total: Bytes expected in all (0 when unknown, e.g. standard input).
        enabled: Draw nothing when false, so callers need no conditions.
        stream: Where to draw; standard error by default.
    """

    __slots__ = ("_base", "_drawn", "_enabled", "_last", "_name", "_start", "_stream", "_total")

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self._total = total
        self._enabled = enabled
        self._stream = stream or sys.stderr
        self._start = self._last = time.monotonic()
        self._base = 0
        self._name = ""
        self._drawn = False

    def start_file(self, name: str) -> None:
        """Note that *name* is now being read."""
        self._name = name

    def file_done(self, size: int) -> None:
        """Add a finished file of *size* bytes to the total done."""
        self._base += size
        self.update(0, force=True)

    def update(self, position: int, *, force: bool = False) -> None:
        """Redraw with *position* bytes read of the current file, if it is time."""
        if not self._enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < _INTERVAL:
            return
        self._last = now
        done = self._base + position
        rate = done / max(now - self._start, 1e-6) / 1e6
        if self._total > 0:
            fraction = min(done / self._total, 1.0)
            filled = int(fraction * _WIDTH)
            bar = f"[{'#' * filled}{'.' * (_WIDTH - filled)}] {fraction:4.0%}"
        else:
            bar = f"{done / 1e6:8.1f} MB"
        name = self._name if len(self._name) <= 40 else "..." + self._name[-37:]  # noqa: PLR2004 - column budget
        self._stream.write(f"\r{bar}  {rate:6.1f} MB/s  {name}\x1b[K")
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Erase the bar, leaving the terminal as it was."""
        if self._drawn:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._drawn = False
