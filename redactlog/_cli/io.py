"""Bytes in, bytes out: inputs (plain or gzip), bounded lines and atomic outputs."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import stat
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "STDIN",
    "AtomicFile",
    "InputError",
    "Source",
    "check_input",
    "input_size",
    "line_starts",
    "open_range",
    "open_source",
    "read_lines",
    "same_file",
]

STDIN = "-"
"""The name that stands for standard input."""

_GZIP_MAGIC = b"\x1f\x8b"
_BUFFER = 1 << 20


class InputError(Exception):
    """An input cannot be read; the message names the file and the reason."""


@dataclass(slots=True)
class Source:
    """An open input: its lines as bytes, and how far through it we are."""

    name: str
    stream: BinaryIO
    compressed: bool
    size: int
    _raw: BinaryIO

    def position(self) -> int:
        """Return how many bytes of the file (compressed bytes for gzip) were read."""
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        """Close the input (standard input is left open)."""
        if self.name != STDIN:
            self.stream.close()
            self._raw.close()


def check_input(name: str) -> None:
    """Raise :class:`InputError` early when *name* is missing, a directory or unreadable."""
    if name == STDIN:
        return
    try:
        mode = os.stat(name).st_mode
    except OSError as error:
        msg = f"cannot read {name!r}: {error.strerror or error}"
        raise InputError(msg) from None
    if stat.S_ISDIR(mode):
        msg = f"cannot read {name!r}: is a directory"
        raise InputError(msg)
    # Not opened here: opening a named pipe would block or steal its data.
    if not os.access(name, os.R_OK):
        msg = f"cannot read {name!r}: Permission denied"
        raise InputError(msg)


def open_source(name: str) -> Source:
    """Open *name* (``-`` for standard input), decompressing gzip transparently.

    Gzip is recognised by its magic bytes, not by the file name, so a
    compressed stream on standard input works too.
    """
    if name == STDIN:
        raw: BinaryIO = sys.stdin.buffer
        size = 0
    else:
        try:
            raw = Path(name).open("rb", buffering=_BUFFER)  # noqa: SIM115 - closed by Source.close
            size = os.fstat(raw.fileno()).st_size
        except OSError as error:
            msg = f"cannot read {name!r}: {error.strerror or error}"
            raise InputError(msg) from None
    # peek() needs a buffered reader; a file or stdin's buffer already is one.
    buffered: BinaryIO = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
    head = buffered.peek(2)[:2] if isinstance(buffered, io.BufferedReader) else b""
    if head == _GZIP_MAGIC:
        stream: BinaryIO = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]  # GzipFile is binary IO
        return Source(name, stream, compressed=True, size=size, _raw=buffered)
    return Source(name, buffered, compressed=False, size=size, _raw=buffered)


class _RangeReader(io.RawIOBase):
    """A read-only view of bytes ``[start, end)`` of a file, for one ``-j`` worker."""

    def __init__(self, path: str, start: int, end: int) -> None:
        self._file = Path(path).open("rb", buffering=0)  # noqa: SIM115 - closed in close()
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")[: self._left]
        if not view:
            return 0
        count = self._file.readinto(view) or 0
        self._left -= count
        return count

    def tell(self) -> int:
        return self._file.tell()

    def close(self) -> None:
        self._file.close()
        super().close()


def open_range(name: str, start: int, end: int) -> Source:
    """Open bytes ``[start, end)`` of the plain file *name*; both must be line starts."""
    try:
        raw: BinaryIO = io.BufferedReader(_RangeReader(name, start, end), _BUFFER)
    except OSError as error:
        msg = f"cannot read {name!r}: {error.strerror or error}"
        raise InputError(msg) from None
    return Source(name, raw, compressed=False, size=end - start, _raw=raw)


def line_starts(name: str, pieces: int, limit: int, joined: Callable[[bytes], bool]) -> list[int]:
    """Return ``pieces + 1`` offsets that cut plain file *name* at line starts, from 0 to its size.

    A cut is moved forward past lines for which *joined* is true (lines that
    depend on the line before them). Pieces may be empty; offsets never decrease.
    """
    size = input_size(name)
    points = [0]
    with Path(name).open("rb") as file:
        for index in range(1, pieces):
            target = max(size * index // pieces, points[-1])
            if target == 0:
                points.append(0)
                continue
            file.seek(target - 1)
            # Skip to the end of the line holding byte target-1, in bounded reads.
            while (chunk := file.readline(limit)) and not chunk.endswith(b"\n"):
                pass
            start = file.tell()
            while (line := file.readline(limit)) and line.endswith(b"\n") and joined(line):
                start = file.tell()
            points.append(min(start, size))
    points.append(size)
    return points


def read_lines(source: Source, limit: int) -> Iterator[tuple[bytes, bool]]:
    """Yield ``(line, whole)`` pairs in order, each line with its own ending.

    A line longer than *limit* bytes is cut: its first *limit* bytes come with
    ``whole=False`` and the rest is consumed in bounded pieces and dropped (the
    caller masks it), so memory stays flat whatever the input holds.

    Raises:
        InputError: When the input is unreadable or a corrupt gzip stream.
    """
    readline = source.stream.readline
    try:
        while line := readline(limit):
            if line.endswith(b"\n") or len(line) < limit:
                yield line, True
                continue
            rest = readline(limit)
            if rest in {b"", b"\n", b"\r\n"}:
                yield line + rest, True  # exactly *limit* bytes, then the end of the line
                continue
            while rest and not rest.endswith(b"\n"):
                rest = readline(limit)
            ending = b"\r\n" if rest.endswith(b"\r\n") else (b"\n" if rest else b"")
            yield line + ending, False
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        msg = f"cannot read {source.name!r}: {error}"
        raise InputError(msg) from None


def input_size(name: str) -> int:
    """Return the size of input *name* in bytes (0 for standard input or on error)."""
    try:
        return 0 if name == STDIN else os.stat(name).st_size
    except OSError:
        return 0


def same_file(first: str, second: str) -> bool:
    """Return whether two paths name the same file (also through links)."""
    if STDIN in {first, second}:
        return False
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


class AtomicFile:
    """A file written under a temporary name and renamed into place on success.

    On any failure (an exception, or :meth:`discard`) the temporary file is
    removed, so an existing file at the destination is never replaced by a
    half-written one. The rename is atomic on POSIX and Windows
    (:func:`os.replace`) because the temporary file lives in the same directory.
    """

    def __init__(self, path: str, *, compress: bool = False) -> None:
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        fd, self._temp = tempfile.mkstemp(prefix=".redactlog-", suffix=".tmp", dir=directory)
        self._file: BinaryIO = os.fdopen(fd, "wb", buffering=_BUFFER)
        self.stream: BinaryIO = self._file
        if compress:
            # mtime=0 keeps the output byte-for-byte reproducible.
            self.stream = gzip.GzipFile(  # type: ignore[assignment]  # GzipFile is binary IO
                filename="", mode="wb", fileobj=self._file, mtime=0
            )
        self._done = False

    def commit(self) -> None:
        """Flush, sync and move the file into place."""
        if self.stream is not self._file:
            self.stream.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        with contextlib.suppress(OSError):
            # Keep the mode an existing output had; mkstemp made it 0600.
            os.chmod(self._temp, os.stat(self.path).st_mode & 0o7777 if os.path.exists(self.path) else _umask_mode())
        os.replace(self._temp, self.path)
        self._done = True

    def discard(self) -> None:
        """Remove the temporary file; the destination is left as it was."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(OSError):
            os.unlink(self._temp)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
