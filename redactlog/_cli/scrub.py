"""``redactlog scrub``: redact files or standard input into outputs written atomically."""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from redactlog._cli.config import Settings
from redactlog._cli.io import STDIN, AtomicFile, InputError, input_size, line_starts, same_file
from redactlog._cli.jobs import ordered, scrub_file, scrub_range_to_path, scrub_to_path
from redactlog._cli.lines import Stats, continues_pem
from redactlog._cli.progress import Progress
from redactlog._cli.report import UsageError, print_error, print_stats

__all__ = ["run_scrub"]

_MIN_PIECE = 1 << 20


@dataclass(slots=True)
class _Run:
    """What every step of one ``scrub`` run shares."""

    settings: Settings
    jobs: int
    progress: Progress
    stats: Stats = field(default_factory=Stats)


def run_scrub(args: argparse.Namespace, settings: Settings, progress: Progress) -> int:
    """Run ``scrub`` and return its exit status (0, or 2 after any error)."""
    names: list[str] = args.files or [STDIN]
    run = _Run(settings, args.jobs, progress)
    if args.output_dir is not None:
        status = _to_directory(run, names, Path(args.output_dir))
    else:
        _check_output(names, args.output)
        status = _to_stream(run, names, args.output)
    progress.close()
    if args.stats:
        print_stats(run.stats, "redacted")
    return status


def _check_output(names: list[str], output: str | None) -> None:
    if output is None or output == STDIN:
        return
    for name in names:
        if same_file(name, output):
            msg = f"output {output!r} is also an input: it would be destroyed before it is read"
            raise UsageError(msg)


def _destinations(names: list[str], directory: Path) -> list[tuple[str, str]]:
    if STDIN in names:
        msg = "--output-dir needs input files; standard input has no name to write to"
        raise UsageError(msg)
    if not directory.is_dir():
        msg = f"output directory {str(directory)!r} does not exist"
        raise UsageError(msg)
    pairs: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for name in names:
        dest = str(directory / Path(name).name)
        if dest in seen:
            msg = f"inputs {seen[dest]!r} and {name!r} would both be written to {dest!r}"
            raise UsageError(msg)
        if same_file(name, dest):
            msg = f"output {dest!r} is also an input: it would be destroyed before it is read"
            raise UsageError(msg)
        seen[dest] = name
        pairs.append((name, dest))
    return pairs


def _to_directory(run: _Run, names: list[str], directory: Path) -> int:
    """Write each input to a file of the same name in *directory*; gzip stays gzip."""
    pairs = _destinations(names, directory)
    calls = [(run.settings, name, dest, True) for name, dest in pairs]
    status = 0
    for (name, _), future in zip(pairs, ordered(run.jobs, scrub_to_path, calls), strict=True):
        run.progress.start_file(name)
        try:
            run.stats.add(future.result())
        except (InputError, OSError) as error:
            # Other files are independent outputs: finish them, report this one.
            print_error(str(error) if isinstance(error, InputError) else _os_message(error))
            status = 2
        run.progress.file_done(input_size(name))
    return status


def _to_stream(run: _Run, names: list[str], output: str | None) -> int:
    """Concatenate the redacted inputs to standard output or one atomic file."""
    try:
        with _open_output(output) as out:
            if run.jobs > 1 and STDIN not in names:
                _parallel(run, names, out, output)
            else:
                for name in names:
                    run.progress.start_file(name)
                    run.stats.add(scrub_file(run.settings, name, out, run.progress.update))
                    run.progress.file_done(input_size(name))
    except InputError as error:
        print_error(str(error))
        return 2
    return 0


@contextlib.contextmanager
def _open_output(output: str | None) -> Iterator[BinaryIO]:
    if output is None or output == STDIN:
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    try:
        target = AtomicFile(output)
    except OSError as error:
        msg = f"cannot write {output!r}: {error.strerror or error}"
        raise UsageError(msg) from None
    with target:
        yield target.stream


def _parallel(run: _Run, names: list[str], out: BinaryIO, output: str | None) -> None:
    """Redact the inputs in worker processes into parts, then copy the parts in order.

    Large plain files are cut at line starts into several pieces, so that
    ``-j`` speeds up a single big file too; output is the same either way
    because every line is redacted on its own.
    """
    # Parts go beside the output when there is one, so they share its disk.
    where = os.path.dirname(os.path.abspath(output)) if output not in {None, STDIN} else None
    with tempfile.TemporaryDirectory(prefix=".redactlog-", dir=where) as parts:
        pieces = _pieces(run, names)
        calls = [
            (run.settings, name, start, end, os.path.join(parts, f"{index}.part"))
            for index, (name, start, end) in enumerate(pieces)
        ]
        for (_, name, start, end, part), future in zip(calls, ordered(run.jobs, _piece_job, calls), strict=True):
            run.progress.start_file(name)
            run.stats.add(future.result())
            with open(part, "rb") as piece:
                shutil.copyfileobj(piece, out, 1 << 20)
            os.unlink(part)
            run.progress.file_done(end - start if end >= 0 else input_size(name))


def _pieces(run: _Run, names: list[str]) -> list[tuple[str, int, int]]:
    """Return ``(name, start, end)`` work items; ``end == -1`` means the whole (gzip) file."""
    total = sum(map(input_size, names))
    # Several pieces per worker even out uneven lines; tiny pieces only cost overhead.
    size = max(_MIN_PIECE, total // (run.jobs * 4))
    pieces: list[tuple[str, int, int]] = []
    for name in names:
        length = input_size(name)
        if length <= size or not _is_plain_file(name):
            pieces.append((name, 0, -1))
            continue
        points = line_starts(name, -(-length // size), run.settings.max_line_bytes, continues_pem)
        pieces.extend((name, start, end) for start, end in itertools.pairwise(points) if end > start)
    return pieces


def _piece_job(settings: Settings, name: str, start: int, end: int, dest: str) -> Stats:
    if end < 0:
        return scrub_to_path(settings, name, dest, False)
    return scrub_range_to_path(settings, name, start, end, dest)


def _is_plain_file(name: str) -> bool:
    """Return whether *name* is a regular, uncompressed file, which can be cut and read again."""
    try:
        if not os.path.isfile(name):
            return False  # pipes and devices are read once, whole, by one worker
        with open(name, "rb") as file:
            return file.read(2) != b"\x1f\x8b"
    except OSError:
        return False  # the job reports the error


def _os_message(error: OSError) -> str:
    where = f" {error.filename!r}" if error.filename else ""
    return f"cannot write{where}: {error.strerror or error}"
