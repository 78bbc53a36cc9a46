"""Worst-case timings of every built-in detector on adversarial input.

Each case is a text built to make one pattern backtrack: long runs of ``@``,
digits with separators, ``eyJ``, base64 without an end, repeated key
prefixes. Every built-in pattern must either stay well under 100 ms on 1 MB,
or be stopped by its time bound, in which case the redactor fails closed
(masks the whole text). Run::

    python benchmarks/redos_detectors.py [--size BYTES]

and it writes ``benchmarks/results/redos.md``. ``tests/detectors/test_redos.py``
runs the same cases at 100 KB.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from redactlog import Redactor
from redactlog.detectors import default_detectors
from redactlog.typing import Detector

RESULTS = Path(__file__).resolve().parent / "results" / "redos.md"
BUDGET = 0.1
"""Seconds one detector may take on 1 MB before the case counts as slow (it must then fail closed)."""


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


Case = tuple[str, str, Callable[[int], str]]
"""(detector name, case name, builder of a text of about the given size)."""

CASES: tuple[Case, ...] = (
    ("email", "run-of-at-signs", lambda n: _fill("@", n)),
    ("email", "local-part-without-at", lambda n: _fill("a.", n)),
    ("email", "labels-without-tld", lambda n: _fill("a-", n, head="x@")),
    ("email", "many-at-and-dots", lambda n: _fill("a@b.", n)),
    ("email", "percent-encoded-at", lambda n: _fill("%40", n)),
    ("email", "json-escapes", lambda n: _fill("\\u00e9", n, tail="@")),
    ("email", "hex-escapes", lambda n: _fill("\\xc3", n, tail="@b.c")),
    ("email", "percent-encoded-domain-without-dot", lambda n: _fill("%C3", n, head="a%40")),
    ("email", "quoted-local-without-end", lambda n: _fill('"a', n, tail="@b.c")),
    ("email", "quoted-pairs-without-end", lambda n: _fill('"a\\"', n, tail="@b.c")),
    ("email", "escaped-quotes-before-at", lambda n: _fill('\\"', n, tail='"@b.c')),
    ("sensitive_keys", "pair-tuple-without-end", lambda n: _fill("\\x", n, head="('password', '")),
    ("sensitive_keys", "many-pair-openings", lambda n: _fill("('key',", n)),
    ("sensitive_keys", "run-of-options", lambda n: _fill("--password ", n)),
    ("sensitive_keys", "run-of-single-dash-options", lambda n: _fill("-storepass ", n, head="a=1 ")),
    ("sensitive_keys", "run-of-powershell-names", lambda n: _fill("$env:", n, head="a=1 ")),
    ("sensitive_keys", "option-list-without-end", lambda n: _fill("\\x", n, head="'--password', '")),
    ("sensitive_keys", "quoted-option-without-end", lambda n: _fill("a ", n, head='--token "')),
    ("sensitive_keys", "run-of-yaml-block-headers", lambda n: _fill("password: |\n", n)),
    ("sensitive_keys", "yaml-blocks-nested-deeper", lambda n: "".join(" " * i + "token: |\n" for i in range(1400))[:n]),
    ("sensitive_keys", "run-of-encoded-pairs", lambda n: _fill("token%3D", n)),
    ("sensitive_keys", "run-of-sql-passwords", lambda n: _fill("PASSWORD '", n)),
    ("sensitive_keys", "identified-by-without-quote", lambda n: _fill("IDENTIFIED BY ", n)),
    ("sensitive_keys", "redis-auth-arguments", lambda n: _fill('"AUTH" "a" ', n)),
    ("sensitive_keys", "bracketed-keys-without-separator", lambda n: _fill("a[password]", n)),
    ("sensitive_keys", "run-of-record-names", lambda n: _fill('"name": "token", ', n)),
    ("sensitive_keys", "record-value-without-end", lambda n: _fill("\\x", n, head='"name": "token", "value": "')),
    ("sensitive_keys", "yaml-record-long-value", lambda n: _fill("a, ", n, head="name: token\nvalue: ")),
    ("sensitive_keys", "record-fields-between", lambda n: _fill("name=token t=x ", n)),
    ("sensitive_keys", "run-of-open-elements", lambda n: _fill("<password>", n)),
    ("sensitive_keys", "element-without-end", lambda n: _fill("a", n, head="<password>")),
    ("sensitive_keys", "cdata-without-end", lambda n: _fill("]", n, head="<token><![CDATA[")),
    ("url_credentials", "user-options-without-colon", lambda n: _fill("-u a", n)),
    ("url_credentials", "quoted-user-option-without-end", lambda n: _fill("x", n, head="-u 'a:")),
    ("phone", "digits-with-spaces", lambda n: _fill("1 ", n)),
    ("phone", "digits-with-dashes", lambda n: _fill("12-", n)),
    ("phone", "parentheses", lambda n: _fill("(12) ", n)),
    ("phone", "plus-signs", lambda n: _fill("+1 ", n)),
    ("phone", "spaced-slashes", lambda n: _fill("01 / ", n)),
    ("phone", "context-and-digits", lambda n: _fill("call 0", n)),
    ("us_ssn", "ssn-prefixes", lambda n: _fill("123-45-", n)),
    ("us_ssn", "ssn-context", lambda n: _fill("ssn ", n)),
    ("credit_card", "long-digit-run", lambda n: _fill("4", n)),
    ("credit_card", "spaced-digits", lambda n: _fill("4 ", n)),
    ("jwt", "run-of-eyJ", lambda n: _fill("eyJ", n)),
    ("jwt", "segment-without-end", lambda n: _fill("a", n, head="eyJ", tail=".")),
    ("jwt", "many-dots", lambda n: _fill("eyJa.", n)),
    ("jwt", "five-part-runs", lambda n: _fill("eyJhbGciOiJkaXIiLCJlbmMiOiJBIn0..a.b.c ", n)),
    ("authorization", "run-of-bearer", lambda n: _fill("Bearer ", n)),
    ("authorization", "bearer-long-token", lambda n: _fill("a", n, head="Bearer ")),
    ("authorization", "digest-params", lambda n: _fill("a=b,", n, head="Digest ")),
    ("url_credentials", "run-of-schemes", lambda n: _fill("a://", n)),
    ("url_credentials", "authority-without-end", lambda n: _fill("a:", n, head="http://")),
    ("private_key", "run-of-begin", lambda n: _fill("-----BEGIN PRIVATE KEY-----", n)),
    ("github_token", "run-of-prefixes", lambda n: _fill("ghp_", n)),
    ("openai_key", "long-key", lambda n: _fill("a", n, head="sk-")),
    ("slack_token", "run-of-prefixes", lambda n: _fill("xoxb-", n)),
    ("aws_session_token", "base64-without-end", lambda n: _fill("A", n, head="FwoGZXIvYXdz")),
    ("aws_secret_access_key", "context-runs", lambda n: _fill("aws_secret ", n)),
    ("aws_secret_access_key", "blank-separated-runs", lambda n: _fill("aws_secret_access_key ", n)),
    ("sendgrid_key", "run-of-prefixes", lambda n: _fill("SG.", n)),
    ("signatures", "stripe-prefixes", lambda n: _fill("t=1700000000,v1=", n)),
    ("signatures", "webhook-base64-without-end", lambda n: _fill("A", n, head="v1,")),
    ("signatures", "rfc9421-without-end", lambda n: _fill("A", n, head="sig1=:")),
    ("signatures", "signature-words", lambda n: _fill("hub-signature: sha256=", n)),
    ("sensitive_keys", "run-of-keys", lambda n: _fill("password=", n)),
    ("sensitive_keys", "blanks-around-separators", lambda n: _fill("password" + " " * 40 + "=", n)),
    ("sensitive_keys", "json-pairs-without-end", lambda n: _fill('"token": "', n)),
    ("sensitive_keys", "escaped-json-nesting", lambda n: _fill('\\"a\\": \\"', n, head='"password": "')),
    ("sensitive_keys", "brackets-in-a-value", lambda n: _fill("[", n, head="password=")),
    ("sensitive_keys", "nested-sensitive-structures", lambda n: _fill('{"password": ', n)),
    ("sensitive_keys", "sensitive-lists-without-end", lambda n: _fill("password=[", n)),
    ("sensitive_keys", "quoted-values-holding-pairs", lambda n: _fill('a="b=c:d" ', n)),
    ("sensitive_keys", "signature-value-rotations", lambda n: _fill(" v1,a", n, head="webhook-signature: v1,a")),
)


def as_lines(text: str, width: int = 512) -> str:
    """*text* broken into lines of *width* characters (the line-piece path of long texts)."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def detector_named(name: str) -> Detector:
    """The built-in detector called *name*."""
    for detector in default_detectors():
        if detector.name == name:
            return detector
    raise KeyError(name)


def run_detector(detector: Detector, text: str) -> tuple[float, str]:
    """Time ``detect`` on *text*; the outcome is ``"ok"`` or ``"timeout"``."""
    started = time.perf_counter()
    try:
        for _ in detector.detect(text):
            pass
    except TimeoutError:
        return time.perf_counter() - started, "timeout"
    return time.perf_counter() - started, "ok"


def run_redactor(redactor: Redactor, text: str) -> tuple[float, bool]:
    """Time ``redact`` on *text*; also say whether it failed closed."""
    before = redactor.failures
    started = time.perf_counter()
    redactor.redact(text)
    return time.perf_counter() - started, redactor.failures > before


def main(argv: list[str] | None = None) -> int:
    """Run every case at ``--size`` bytes and write the markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    redactor = Redactor()
    rows = [
        "# Detector worst cases",
        "",
        f"Generated by `python benchmarks/redos_detectors.py` on inputs of {args.size:,} characters,",
        f"on {os.cpu_count()} CPUs with a load average of {os.getloadavg()[0]:.1f} when the run started",
        "(timings are wall-clock: on a shared machine they vary by a factor of two or three between runs).",
        f"A detector passes if it finishes within {BUDGET * 1000:.0f} ms, or if its time bound stops it",
        "and the redactor fails closed (the whole text becomes `[REDACTED:redaction_failed]`).",
        "",
        "Detector times are the fastest of two runs (three at 1/10 size). The 1/10 column times the same input",
        "at a tenth of the size: a ratio near 10 shows linear cost.",
        "",
        "| detector | input | detector alone (ms) | outcome | at 1/10 size (ms) | ratio | whole redactor (ms) "
        "| failed closed | verdict |",
        "|---|---|---:|---|---:|---:|---:|---|---|",
    ]
    bad = 0
    for name, case, build in CASES:
        for shape, shaped in (("one line", build), ("512-char lines", lambda n, b=build: as_lines(b(n)))):
            text = shaped(args.size)
            detector = detector_named(name)
            # The fastest of a few runs: wall-clock noise on a shared machine
            # only ever adds time.
            seconds, outcome = min(run_detector(detector, text) for _ in range(2))
            small = shaped(args.size // 10)
            tenth = min(run_detector(detector, small)[0] for _ in range(3))
            whole, failed = run_redactor(redactor, text)
            # A detector passes when it is fast, or when its time bound stops
            # it; the redactor then fails closed unless the gate skipped it.
            # Otherwise it is slow, and linear when the ratio stays near 10.
            passed = seconds <= BUDGET or outcome == "timeout"
            ratio = seconds / tenth if tenth else float("inf")
            verdict = "pass" if passed else ("**slow, linear**" if ratio <= 20 else "**slow, super-linear**")
            bad += not passed
            rows.append(
                f"| {name} | {case}, {shape} | {seconds * 1000:.1f} | {outcome} | {tenth * 1000:.1f} | {ratio:.1f} "
                f"| {whole * 1000:.1f} | {'yes' if failed else 'no'} | {verdict} |"
            )
    page = "\n".join([*rows, ""])
    print(page)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(page, encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
