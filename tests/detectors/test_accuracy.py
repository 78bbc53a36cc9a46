"""The accuracy evaluation (benchmarks/accuracy) on a reduced corpus, as a regression test."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ACCURACY = Path(__file__).resolve().parents[2] / "benchmarks" / "accuracy"


def load(name: str) -> ModuleType:
    """Import a module of benchmarks/accuracy by path (it is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ACCURACY / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(name="report", scope="module")
def fixture_report() -> object:
    """The evaluation of the default Redactor on a small corpus with another seed."""
    generate = load("generate")
    evaluate = load("evaluate")
    samples = generate.build_corpus(seed=7, per_kind=60, negatives=500)
    return evaluate.evaluate(samples)


class TestAccuracy:
    """Recall, clean-line and context targets on a reduced corpus."""

    def test_every_target_is_met(self, report: object) -> None:
        """No kind falls below 99% recall, at most 0.5% of clean lines change, context is kept."""
        failures = report.failures()  # type: ignore[attr-defined]

        assert failures == [], "\n".join(report.misses[:20])  # type: ignore[attr-defined]

    def test_every_kind_is_in_the_corpus(self, report: object) -> None:
        """The corpus labels secrets of every public kind."""
        evaluate = load("evaluate")

        assert [k for k in evaluate.KINDS if report.total[k] == 0] == []  # type: ignore[attr-defined]
