"""Per-file work, the same in the main process and in ``-j N`` worker processes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import BinaryIO, TypeVar

from redactlog._cli.config import Settings, build_redactor
from redactlog._cli.io import AtomicFile, Source, open_range, open_source, read_lines
from redactlog._cli.lines import LineFinding, LineRedactor, Stats

__all__ = ["line_redactor", "ordered", "scan_file", "scrub_file", "scrub_range_to_path", "scrub_to_path"]

T = TypeVar("T")

# How many lines pass between two progress callbacks: often enough for a
# smooth bar, rare enough that the clock is never read per line.
_TICK = 2048

# One LineRedactor per settings and process: a worker builds its redactor
# (compiling every pattern) once, not once per file. Settings are frozen and
# hashable, and each process has its own copy of this dict.
_CACHE: dict[Settings, LineRedactor] = {}


def line_redactor(settings: Settings) -> LineRedactor:
    """Return the (cached) line redactor for *settings*."""
    cached = _CACHE.get(settings)
    if cached is None:
        cached = _CACHE[settings] = LineRedactor(build_redactor(settings), parse_json=settings.format != "text")
    return cached


def scrub_file(
    settings: Settings,
    name: str,
    out: BinaryIO,
    tick: Callable[[int], None] | None = None,
) -> Stats:
    """Redact input *name* into *out*, line by line, and return the counts.

    Raises:
        InputError: When the input cannot be read.
    """
    return _scrub_source(settings, open_source(name), out, tick)


def _scrub_source(
    settings: Settings,
    source: Source,
    out: BinaryIO,
    tick: Callable[[int], None] | None,
) -> Stats:
    lines = line_redactor(settings)
    lines.start_file()
    stats = Stats()
    write = out.write
    try:
        for count, (line, whole) in enumerate(read_lines(source, settings.max_line_bytes), 1):
            redacted = lines.redact(line, stats, whole=whole)
            write(redacted)
            stats.bytes_in += len(line)
            stats.bytes_out += len(redacted)
            if tick is not None and count % _TICK == 0:
                tick(source.position())
            stats.lines = count
    finally:
        source.close()
    return stats


def scrub_to_path(settings: Settings, name: str, dest: str, keep_gzip: bool) -> Stats:
    """Redact input *name* into the file *dest*, atomically (a worker job).

    With *keep_gzip*, a gzip input gives a gzip output. The input is opened
    (and its kind sniffed) only here, so a pipe is read once.
    """
    source = open_source(name)
    try:
        target = AtomicFile(dest, compress=keep_gzip and source.compressed)
    except BaseException:
        source.close()
        raise
    with target:
        return _scrub_source(settings, source, target.stream, None)


def scrub_range_to_path(settings: Settings, name: str, start: int, end: int, dest: str) -> Stats:
    """Redact bytes ``[start, end)`` of plain file *name* into the file *dest* (a worker job).

    *start* and *end* are line starts, so the pieces of a file, redacted in
    any order and joined, give exactly what redacting it whole gives.
    """
    with AtomicFile(dest) as target:
        return _scrub_source(settings, open_range(name, start, end), target.stream, None)


def scan_file(
    settings: Settings,
    name: str,
    tick: Callable[[int], None] | None = None,
) -> tuple[list[LineFinding], int]:
    """Return the findings of input *name* and its number of lines.

    Raises:
        InputError: When the input cannot be read.
    """
    lines = line_redactor(settings)
    lines.start_file()
    found: list[LineFinding] = []
    source = open_source(name)
    count = 0
    try:
        for count, (line, whole) in enumerate(read_lines(source, settings.max_line_bytes), 1):
            found.extend(lines.scan(line, count, whole=whole))
            if tick is not None and count % _TICK == 0:
                tick(source.position())
    finally:
        source.close()
    return found, count


def ordered(
    jobs: int,
    function: Callable[..., T],
    calls: Iterable[tuple[object, ...]],
) -> Iterator[Future[T]]:
    """Yield futures of ``function(*args)`` for each call, in the order given.

    With ``jobs > 1`` the calls run in that many processes, but the futures
    are still yielded in input order, so output is identical to a serial run.
    """
    calls = list(calls)
    if jobs <= 1 or len(calls) <= 1:
        for args in calls:
            future: Future[T] = Future()
            try:
                future.set_result(function(*args))
            except Exception as error:  # noqa: BLE001 - delivered through the future like a worker's
                future.set_exception(error)
            yield future
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(calls))) as pool:
        futures = [pool.submit(function, *args) for args in calls]
        try:
            yield from futures
        finally:
            for future in futures:
                future.cancel()
