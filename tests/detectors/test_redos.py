"""Every built-in pattern on adversarial input: it finishes, or its time bound makes the redactor fail closed.

The cases are those of benchmarks/redos_detectors.py, at 100 KB instead of 1 MB.
The only timing here is a generous hang guard; timings are reported by the benchmark.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from redactlog import Redactor

SIZE = 100_000
HANG_GUARD = 20.0


def load_benchmark() -> ModuleType:
    """Import benchmarks/redos_detectors.py by path (benchmarks is not a package)."""
    name = "redos_detectors"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "redos_detectors.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


BENCHMARK = load_benchmark()
CASES = [pytest.param(name, build, id=f"{name}-{case}") for name, case, build in BENCHMARK.CASES]
REDACTOR = Redactor()


class TestWorstCases:
    """Adversarial inputs against each built-in detector."""

    @pytest.mark.parametrize(("name", "build"), CASES)
    def test_detector_finishes_or_times_out(self, name: str, build: object) -> None:
        """The detector alone returns, or raises TimeoutError (its time bound), on one long line and on many lines."""
        detector = BENCHMARK.detector_named(name)
        text = build(SIZE)  # type: ignore[operator]
        for variant in (text, BENCHMARK.as_lines(text)):
            started = time.perf_counter()
            outcome = BENCHMARK.run_detector(detector, variant)[1]

            assert outcome in {"ok", "timeout"}
            assert time.perf_counter() - started < HANG_GUARD

    @pytest.mark.parametrize(("name", "build"), CASES)
    def test_redactor_returns_or_fails_closed(self, name: str, build: object) -> None:
        """Through the Redactor the text comes back redacted, or masked whole when a time bound was hit."""
        text = build(SIZE)  # type: ignore[operator]
        before = REDACTOR.failures
        started = time.perf_counter()
        out = REDACTOR.redact(text)
        failed = REDACTOR.failures > before

        assert time.perf_counter() - started < HANG_GUARD
        assert isinstance(out, str)
        if failed:
            assert out == "[REDACTED:redaction_failed]"
