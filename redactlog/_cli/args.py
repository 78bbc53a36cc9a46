"""The argument parser of ``redactlog``: subcommands and their options."""

from __future__ import annotations

import argparse

from redactlog._cli.config import DEFAULT_KEY_ENV, FORMATS, MASKS

__all__ = ["build_parser"]

_EPILOG = """\
exit status: 0 clean or done, 1 findings (scan), 2 usage, config or input error.
options come from, in order of precedence: the command line, --config FILE (or
./redactlog.toml, or [tool.redactlog] in ./pyproject.toml), then the defaults.
"""


def _names(value: str) -> list[str]:
    """Split ``a,b`` into names, so ``--disable a,b`` equals ``--disable a --disable b``."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        msg = "expected one or more names"
        raise argparse.ArgumentTypeError(msg)
    return names


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        msg = f"expected a positive integer, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return number


def _kind_policy(value: str) -> tuple[str, str]:
    kind, sep, policy = value.partition("=")
    if not sep or not kind or policy not in MASKS:
        msg = f"expected KIND=POLICY with POLICY one of {', '.join(MASKS)}, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return kind, policy


def _common(version: str) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("files", nargs="*", metavar="FILE", help="inputs (plain or gzip); none or - for stdin")
    common.add_argument("--format", choices=FORMATS, help="input format (default auto: JSON lines are parsed)")
    group = common.add_argument_group("detectors and masking")
    group.add_argument("--only", type=_names, action="extend", metavar="NAMES", help="use only these detectors")
    group.add_argument("--disable", type=_names, action="extend", metavar="NAMES", help="turn detectors off")
    group.add_argument("--sensitive-key", type=_names, action="extend", metavar="NAMES", dest="sensitive_keys")
    group.add_argument("--mask", choices=MASKS, help="masking policy for every kind (default label)")
    group.add_argument("--mask-kind", type=_kind_policy, action="append", metavar="KIND=POLICY", dest="masks")
    group.add_argument("--mask-text", metavar="TEXT", help="replacement text of the fixed policy")
    group.add_argument("--keep", type=_positive, metavar="N", help="trailing characters kept by the partial policy")
    group.add_argument(
        "--key-env", metavar="VAR", help=f"variable holding the pseudonym key (default {DEFAULT_KEY_ENV})"
    )
    group.add_argument("--key-id", metavar="ID", help="public label of the pseudonym key (default k1)")
    run = common.add_argument_group("running")
    run.add_argument("--config", metavar="FILE", help="read options from this TOML file")
    run.add_argument("--no-config", action="store_true", help="ignore ./redactlog.toml and ./pyproject.toml")
    run.add_argument("-j", "--jobs", type=_positive, default=1, metavar="N", help="files processed in parallel")
    run.add_argument("--max-line-bytes", type=_positive, metavar="N", help="longer lines are cut and masked")
    run.add_argument("--progress", action=argparse.BooleanOptionalAction, help="progress bar (default: on a tty)")
    run.add_argument("--stats", action="store_true", help="print counts per kind on stderr at the end")
    common.add_argument("--version", action="version", version=f"redactlog {version}")
    return common


def build_parser(version: str) -> argparse.ArgumentParser:
    """Return the parser of ``redactlog scrub|scan|bench``."""
    parser = argparse.ArgumentParser(
        prog="redactlog",
        description="Keep personal data and credentials out of logs.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"redactlog {version}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common(version)
    scrub = commands.add_parser(
        "scrub",
        parents=[common],
        help="redact files or stdin to stdout, a file or a directory",
        description="Redact files (or stdin) line by line; unmasked bytes pass through unchanged.",
        epilog=_EPILOG,
    )
    where = scrub.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="FILE", help="write all output to FILE (atomically)")
    where.add_argument("--output-dir", metavar="DIR", help="write each input to DIR under its own name")
    scan = commands.add_parser(
        "scan",
        parents=[common],
        help="report findings (file, line, column, kind) without values",
        description="Report where secrets are, never what they are; exit 1 when any is found.",
        epilog=_EPILOG,
    )
    scan.add_argument("--report", choices=("text", "json", "sarif"), default="text", help="report format")
    scan.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (atomically)")
    bench = commands.add_parser(
        "bench",
        help="measure redaction throughput on the bundled sample log",
        description="Redact the bundled sample many times in memory and print lines/s and MB/s.",
    )
    bench.add_argument("--lines", type=_positive, default=200_000, metavar="N", help="lines to redact")
    return parser
