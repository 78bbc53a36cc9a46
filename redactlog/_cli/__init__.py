"""The ``redactlog`` command line: ``scrub``, ``scan`` and ``bench``.

Every path builds one :class:`~redactlog.Redactor` from the settings (defaults,
then a config file, then options) and runs it over lines of bytes. Nothing
here prints a matched value or the pseudonym key, also not in errors.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from redactlog._cli.args import build_parser
from redactlog._cli.config import ConfigError, Settings, build_redactor, find_config, load_config, resolve_key
from redactlog._cli.io import InputError, check_input, input_size
from redactlog._cli.progress import Progress, wants_progress
from redactlog._cli.report import UsageError, print_error

__all__ = ["main"]


def _version() -> str:
    from redactlog import __version__

    return __version__


def _settings(args: argparse.Namespace) -> Settings:
    """Merge defaults, the config file and the command line, in that order."""
    settings = Settings()
    if args.config is not None:
        settings = load_config(Path(args.config))
    elif not args.no_config:
        found = find_config(Path.cwd())
        if found is not None:
            settings = load_config(found)
    options: dict[str, object] = {
        "format": args.format,
        "mask": args.mask,
        "mask_text": args.mask_text,
        "keep": args.keep,
        "key_env": args.key_env,
        "key_id": args.key_id,
        "max_line_bytes": args.max_line_bytes,
        "only": tuple(args.only) if args.only else None,
        # Lists from the command line extend the config file's lists.
        "disable": (*settings.disable, *args.disable) if args.disable else None,
        "sensitive_keys": (*settings.sensitive_keys, *args.sensitive_keys) if args.sensitive_keys else None,
        "masks": tuple({**dict(settings.masks), **dict(args.masks)}.items()) if args.masks else None,
    }
    try:
        settings = settings.with_options(options)
    except ConfigError as error:
        msg = f"command line: {error}"
        raise ConfigError(msg) from None
    settings = resolve_key(settings)
    build_redactor(settings)  # fail now, in the parent, rather than in every worker
    return settings


def _run(args: argparse.Namespace) -> int:
    if args.command == "bench":
        from redactlog._cli.bench import run_bench

        return run_bench(args.lines)
    settings = _settings(args)
    for name in args.files:
        check_input(name)
    progress = Progress(
        sum(map(input_size, args.files)),
        enabled=wants_progress(args.progress),
    )
    if args.command == "scan":
        from redactlog._cli.scan import run_scan

        return run_scan(args, settings, progress, _version())
    from redactlog._cli.scrub import run_scrub

    return run_scrub(args, settings, progress)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``redactlog`` with *argv* (default ``sys.argv[1:]``) and return its exit status.

    Exit status: 0 when done (``scan``: nothing found), 1 when ``scan``
    found something, 2 on usage, configuration or input errors, 130 on
    Ctrl-C.

    .. versionadded:: 0.1.0
    """
    parser = build_parser(_version())
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    try:
        return _run(args)
    except (ConfigError, UsageError, InputError) as error:
        print_error(str(error))
        return 2
    except BrokenPipeError:
        # A reader such as `head` went away: stop quietly, as cat does, and
        # keep Python from complaining again while it flushes at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0 if os.name == "nt" else 128 + signal.SIGPIPE
    except OSError as error:
        where = f" {error.filename!r}" if error.filename else ""
        print_error(f"I/O error{where}: {error.strerror or error}")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
