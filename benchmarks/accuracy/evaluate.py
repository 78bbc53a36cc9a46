"""Measure the built-in detectors on the labelled corpus of ``generate.py``.

For every labelled kind this reports the recall: the share of secrets that
did not leak. A secret leaks when its whole text, its first half or its
second half survives in the redacted output more often than in the text with
only the labelled secrets removed (so a half such as ``"415"`` that also
occurs elsewhere in the line is not counted against the redactor). For the
clean samples (tricky negatives) it reports the share that the redactor
altered at all, and for the samples with secrets the share of the labelled
context (key names, labels, timestamps) that was kept.

Writes a markdown table to ``benchmarks/results/accuracy.md`` and exits with
status 1 when a target is missed, so it can run in CI::

    python benchmarks/accuracy/evaluate.py [--per-kind N] [--negatives N] [--show-misses]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generate import KINDS, Sample, build_corpus

from redactlog import Redactor

RECALL_TARGET = 0.99
"""Minimum share of secrets of every kind that must not leak."""

ALTERED_TARGET = 0.005
"""Maximum share of clean samples the redactor may change."""

KEPT_TARGET = 0.97
"""Minimum share of labelled context (keys, labels, timestamps) that must survive."""

RESULTS = Path(__file__).resolve().parents[1] / "results" / "accuracy.md"


@dataclass
class Report:
    """Counts gathered over one corpus."""

    total: Counter[str] = field(default_factory=Counter)
    leaked: Counter[str] = field(default_factory=Counter)
    clean: int = 0
    altered: int = 0
    altered_by_shape: Counter[str] = field(default_factory=Counter)
    keep_total: int = 0
    keep_lost: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        """Share of secrets of *kind* that did not leak."""
        total = self.total[kind]
        return 1.0 if not total else 1 - self.leaked[kind] / total

    @property
    def altered_share(self) -> float:
        """Share of clean samples that were changed."""
        return self.altered / self.clean if self.clean else 0.0

    @property
    def kept_share(self) -> float:
        """Share of labelled context that survived."""
        return 1 - self.keep_lost / self.keep_total if self.keep_total else 1.0

    def failures(self) -> list[str]:
        """Describe every missed target; empty when all are met."""
        failed = [
            f"recall {kind} {self.recall(kind):.2%} < {RECALL_TARGET:.0%}"
            for kind in KINDS
            if self.recall(kind) < RECALL_TARGET
        ]
        if self.altered_share > ALTERED_TARGET:
            failed.append(f"clean altered {self.altered_share:.2%} > {ALTERED_TARGET:.1%}")
        if self.kept_share < KEPT_TARGET:
            failed.append(f"context kept {self.kept_share:.2%} < {KEPT_TARGET:.0%}")
        return failed


def _leaks(sample: Sample, output: str, value: str) -> bool:
    # The ideal output removes exactly the labelled secrets; anything of the
    # secret found beyond what that ideal still holds has leaked.
    ideal = sample.text
    for secret in sample.secrets:
        ideal = _without(ideal, secret.value)
    middle = len(value) // 2
    pieces = {value, value[:middle], value[middle:]} - {""}
    return any(output.count(piece) > ideal.count(piece) for piece in pieces)


def _without(text: str, value: str) -> str:
    """Return *text* with the occurrences of the secret *value* removed.

    Only whole occurrences, not glued to a letter or digit: a CVV of "202"
    is not removed from the "2026" of the line's timestamp, which the ideal
    output keeps too. A secret glued to its context ("ssn123456789") has no
    such occurrence: then every occurrence is removed.
    """
    whole = re.sub(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", "\x00", text)
    return whole if whole != text else text.replace(value, "\x00")


def evaluate(samples: list[Sample], redactor: Redactor | None = None) -> Report:
    """Redact every sample and count leaks, altered clean samples and lost context."""
    redactor = redactor or Redactor()
    report = Report()
    started = time.perf_counter()
    for sample in samples:
        output = redactor.redact(sample.text)
        if sample.clean:
            report.clean += 1
            if output != sample.text:
                report.altered += 1
                report.altered_by_shape[sample.shape] += 1
                report.misses.append(f"ALTERED {sample.text!r}\n     -> {output!r}")
            continue
        for secret in sample.secrets:
            report.total[secret.kind] += 1
            if _leaks(sample, output, secret.value):
                report.leaked[secret.kind] += 1
                report.misses.append(f"LEAK {secret.kind}: {secret.value!r}\n     in {output!r}")
        for keep in sample.keep:
            report.keep_total += 1
            if keep in sample.text and keep not in output:
                report.keep_lost += 1
                report.misses.append(f"LOST {keep!r}\n     in {output!r}")
    report.seconds = time.perf_counter() - started
    return report


def to_markdown(report: Report, *, samples: int) -> str:
    """Render *report* as the markdown page written to ``benchmarks/results``."""
    lines = [
        "# Detector accuracy",
        "",
        "Generated by `python benchmarks/accuracy/evaluate.py` on the corpus built by",
        "`benchmarks/accuracy/generate.py` (Faker in en_US, en_GB, de_DE, fr_FR, pt_BR, ja_JP, en_AU and en_IN,",
        "fixed seed). A secret counts as leaked if its whole text, its first half or its second half survives.",
        "",
        f"Samples: {samples}; redaction time for the whole corpus: {report.seconds:.2f} s.",
        "",
        "| kind | secrets | leaked | recall | target |",
        "|---|---:|---:|---:|---|",
    ]
    for kind in KINDS:
        mark = "met" if report.recall(kind) >= RECALL_TARGET else "**missed**"
        lines.append(
            f"| {kind} | {report.total[kind]} | {report.leaked[kind]} | {report.recall(kind):.2%} "
            f"| >= {RECALL_TARGET:.0%} {mark} |"
        )
    altered_mark = "met" if report.altered_share <= ALTERED_TARGET else "**missed**"
    kept_mark = "met" if report.kept_share >= KEPT_TARGET else "**missed**"
    lines += [
        "",
        "| clean samples (tricky negatives) | altered | share | target |",
        "|---:|---:|---:|---|",
        f"| {report.clean} | {report.altered} | {report.altered_share:.2%} | <= {ALTERED_TARGET:.1%} {altered_mark} |",
        "",
        "| labelled context (keys, labels, timestamps) | lost | kept | target |",
        "|---:|---:|---:|---|",
        f"| {report.keep_total} | {report.keep_lost} | {report.kept_share:.2%} | >= {KEPT_TARGET:.0%} {kept_mark} |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; return 0 when every target is met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-kind", type=int, default=300)
    parser.add_argument("--negatives", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write benchmarks/results/accuracy.md")
    args = parser.parse_args(argv)
    samples = build_corpus(seed=args.seed, per_kind=args.per_kind, negatives=args.negatives)
    report = evaluate(samples)
    page = to_markdown(report, samples=len(samples))
    print(page)
    if args.show_misses:
        print("\n".join(report.misses))
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(page, encoding="utf-8")
    failed = report.failures()
    for failure in failed:
        print(f"TARGET MISSED: {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
