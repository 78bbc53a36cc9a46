"""``redactlog scan``: report findings as text, JSON or SARIF; exit 1 when any."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from redactlog._cli.config import Settings
from redactlog._cli.io import STDIN, AtomicFile, InputError, input_size, same_file
from redactlog._cli.jobs import ordered, scan_file
from redactlog._cli.lines import LineFinding, Stats
from redactlog._cli.progress import Progress
from redactlog._cli.report import UsageError, print_error, print_stats
from redactlog._cli.sarif import build_sarif

__all__ = ["REPORTS", "run_scan"]

REPORTS = ("text", "json", "sarif")
"""Report formats of ``scan``."""

Results = list[tuple[str, list[LineFinding]]]


def run_scan(args: argparse.Namespace, settings: Settings, progress: Progress, version: str) -> int:
    """Run ``scan`` and return 0 (clean), 1 (findings) or 2 (an input failed)."""
    names: list[str] = args.files or [STDIN]
    if args.output is not None and args.output != STDIN and any(same_file(n, args.output) for n in names):
        msg = f"output {args.output!r} is also an input: it would be destroyed before it is read"
        raise UsageError(msg)
    results: Results = []
    errors: list[str] = []
    stats = Stats()
    jobs = 1 if STDIN in names else args.jobs
    calls = [(settings, name) for name in names]
    for name, future in zip(names, ordered(jobs, scan_file, calls), strict=True):
        progress.start_file(name)
        try:
            found, lines = future.result()
        except InputError as error:
            errors.append(str(error))
            print_error(str(error))
            continue
        results.append((name, found))
        stats.lines += lines
        stats.kinds.update(f.kind for f in found)
        progress.file_done(input_size(name))
    progress.close()
    _write(_render(args.report, results, errors, version), args.output)
    if args.stats:
        print_stats(stats, "found")
    if errors:
        return 2
    return 1 if any(found for _, found in results) else 0


def _render(report: str, results: Results, errors: Sequence[str], version: str) -> str:
    if report == "sarif":
        return json.dumps(build_sarif(results, errors, version), indent=2) + "\n"
    if report == "json":
        document = {
            "version": 1,
            "findings": [
                {
                    "file": name,
                    "line": f.line,
                    "column": f.column,
                    "end_column": f.end_column,
                    "kind": f.kind,
                    "detector": f.detector,
                }
                for name, found in results
                for f in found
            ],
            "errors": list(errors),
        }
        return json.dumps(document, indent=2) + "\n"
    return "".join(
        f"{name}:{f.line}:{f.column}: {f.kind} (detector {f.detector})\n" for name, found in results for f in found
    )


def _write(text: str, output: str | None) -> None:
    if output is None or output == STDIN:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with AtomicFile(output) as target:
        target.stream.write(text.encode("utf-8"))
