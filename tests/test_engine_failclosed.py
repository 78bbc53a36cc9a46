"""Fail-closed behaviour of the engine: a detector that raises or runs out of time never lets text through."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from redactlog import Finding, Limits, Redactor, RegexDetector
from redactlog.detectors import EmailDetector
from tests.strategies import MASKS

FAILED = "[REDACTED:redaction_failed]"

# More than 4096 characters, so the detectors use the ``regex`` module and its time bound.
LONG = "a" * 5_000 + "b"


def catastrophic(timeout: float = 0.01) -> RegexDetector:
    """Return a detector whose pattern backtracks exponentially on runs of 'a' not followed by the end."""
    return RegexDetector("catastrophic", r"(a|aa)+$", triggers=("a",), timeout=timeout)


def marker(n: int) -> str:
    """Return a recognisable stand-in for raw user data."""
    return f"rawdata{n:04d}x"


class RaisingDetector:
    """A detector that raises on every text containing 'boom'."""

    name = "raising"
    triggers = ("boom",)
    priority = 0

    def detect(self, text: str, /) -> Iterator[Finding]:
        raise ValueError(text)


class HalfwayDetector:
    """A detector that yields one good finding, then raises."""

    name = "halfway"
    triggers = None
    priority = 0

    def detect(self, text: str, /) -> Iterator[Finding]:
        yield Finding(0, 1, "secret", self.name)
        raise RuntimeError("detector crashed mid-iteration")


class GarbageDetector:
    """A detector that returns objects that are not findings."""

    name = "garbage"
    triggers = None
    priority = 0

    def detect(self, text: str, /) -> list[object]:
        return [object()]


class OutOfBoundsDetector:
    """A detector that reports spans outside the text and reversed spans."""

    name = "out_of_bounds"
    triggers = None
    priority = 0

    def detect(self, text: str, /) -> list[Finding]:
        return [Finding(-5, 3, "secret", self.name), Finding(len(text) - 2, len(text) + 50, "secret", self.name)]


class TestTimeBound:
    """The regex time bound fires on long texts and the redactor fails closed."""

    def test_catastrophic_pattern_masks_the_whole_text(self):
        """A pattern that exceeds its time bound returns the failure placeholder and counts it."""
        redactor = Redactor(detectors=[catastrophic()])
        text = marker(1) + " " + LONG

        out = redactor.redact(text)

        assert out == FAILED
        assert redactor.failures == 1
        assert marker(1) not in out

    @pytest.mark.parametrize("mask_name", sorted(MASKS))
    def test_every_mask_hides_the_text_on_timeout(self, mask_name):
        """Whatever the mask, a timed-out text leaves no raw character run in the output."""
        redactor = Redactor(add=[catastrophic()], mask=MASKS[mask_name])
        text = marker(2) + " " + LONG

        out = redactor.redact(text)

        assert marker(2) not in out
        assert "aaaa" not in out
        assert redactor.failures == 1

    @pytest.mark.parametrize("kind", ["redaction_failed", "oversize"])
    def test_partial_mask_hides_failed_and_oversize_text_whole(self, kind):
        """PartialMask masks a failed or oversize text whole: its tail is arbitrary raw text."""
        value = "hunter" + "2" * 2
        if kind == "redaction_failed":
            redactor = Redactor(add=[catastrophic()], mask=MASKS["partial"])
            text = LONG + " password=" + value
        else:
            redactor = Redactor(mask=MASKS["partial"], limits=Limits(max_length=20))
            text = "x" * 30 + " password=" + value

        out = redactor.redact(text)

        assert value[-4:] not in out

    def test_timeout_with_default_detectors_beside_it(self):
        """Built-in detectors that matched before the timeout do not leak what they did not mask."""
        redactor = Redactor(add=[catastrophic()])
        text = "mail bob" + "@" + "example.org " + marker(3) + " " + LONG

        out = redactor.redact(text)

        assert out == FAILED
        assert redactor.failures == 1

    def test_scan_reports_the_whole_text(self):
        """scan() reports one redaction_failed finding over the whole text."""
        redactor = Redactor(detectors=[catastrophic()])

        assert redactor.scan(LONG) == [Finding(0, len(LONG), "redaction_failed", "")]
        assert redactor.failures == 1

    def test_redact_with_findings_reports_the_failure(self):
        """redact_with_findings() returns the failure placeholder and one failure finding."""
        redactor = Redactor(detectors=[catastrophic()])

        out, findings = redactor.redact_with_findings(LONG)

        assert out == FAILED
        assert findings == [Finding(0, len(LONG), "redaction_failed", "")]

    def test_redact_value_masks_only_the_failing_string(self):
        """In a structure, the timed-out string is masked; the other values are redacted normally."""
        redactor = Redactor(add=[catastrophic()])
        value = {"big": LONG, "small": "ok", "items": [marker(4) + " " + LONG]}

        out = redactor.redact_value(value)

        assert out == {"big": FAILED, "small": "ok", "items": [FAILED]}
        assert redactor.failures == 2

    def test_failures_count_every_failed_text(self):
        """The counter counts each failed text once and the redactor keeps working afterwards."""
        redactor = Redactor(add=[catastrophic()])

        outs = [redactor.redact(LONG) for _ in range(5)]

        assert outs == [FAILED] * 5
        assert redactor.failures == 5
        assert redactor.redact("user 42 logged in") == "user 42 logged in"

    def test_short_text_is_matched_without_timeout_cost(self):
        """Below 4096 characters the same pattern matches normally (no false failure)."""
        redactor = Redactor(detectors=[catastrophic()])

        assert redactor.redact("x aaaa") == "x [REDACTED:catastrophic]"
        assert redactor.failures == 0

    def test_short_catastrophic_input_does_not_hang(self):
        """A catastrophic custom pattern on a short text ends in bounded time (checked in a subprocess)."""
        script = textwrap.dedent(
            """
            from redactlog import Redactor, RegexDetector
            slow = RegexDetector("slow", r"(a|aa)+$", triggers=("a",), timeout=0.01)
            print(Redactor(detectors=[slow]).redact("a" * 60 + "b"))
            """,
        )
        try:
            result = subprocess.run(
                [sys.executable, "-c", script], capture_output=True, text=True, timeout=3, check=False
            )
        except subprocess.TimeoutExpired:
            pytest.fail("redact() did not return within 3 s")

        assert result.stdout.strip() == FAILED


class TestRaisingDetectors:
    """A detector that raises fails the text closed, never the caller."""

    def test_raising_detector_masks_only_triggering_texts(self):
        """Texts that trigger the raising detector are masked; others pass through untouched."""
        redactor = Redactor(add=[RaisingDetector()])

        assert redactor.redact("boom " + marker(5)) == FAILED
        assert redactor.redact("clean " + marker(6)) == "clean " + marker(6)
        assert redactor.failures == 1

    def test_detector_raising_mid_iteration_masks_everything(self):
        """A detector that yields findings before raising does not cause partial masking."""
        redactor = Redactor(detectors=[HalfwayDetector()])

        assert redactor.redact("x" + marker(7)) == FAILED

    def test_non_finding_results_fail_closed(self):
        """A detector returning objects that are not findings fails the text closed."""
        redactor = Redactor(detectors=[GarbageDetector()])

        assert redactor.redact(marker(8)) == FAILED
        assert redactor.failures == 1

    def test_out_of_bounds_spans_are_clipped(self):
        """Spans outside the text are clipped to it; nothing raises."""
        redactor = Redactor(detectors=[OutOfBoundsDetector()])
        text = marker(9)

        assert redactor.redact(text) == "[REDACTED:secret]" + text[3:-2] + "[REDACTED:secret]"

    def test_hostile_str_inside_values(self):
        """Objects whose __str__ or __repr__ raise become placeholders inside structures."""

        class Hostile:
            def __str__(self) -> str:
                raise RuntimeError(marker(10))

            __repr__ = __str__

        out = Redactor().redact_value({"obj": Hostile(), "list": [Hostile()]})

        assert out == {"obj": "[REDACTED:unrepresentable]", "list": ["[REDACTED:unrepresentable]"]}

    def test_mapping_whose_items_raise(self):
        """A mapping whose iteration raises fails closed with a placeholder."""

        class BadMapping(dict):
            def items(self):
                raise RuntimeError(marker(11))

        redactor = Redactor()

        out = redactor.redact_value(BadMapping(a=1))

        assert marker(11) not in repr(out)
        assert redactor.failures == 1


class TestLimits:
    """Oversize input is bounded and its tail masked."""

    def test_secret_beyond_max_length_is_masked(self):
        """A secret past max_length is hidden in the oversize tail."""
        redactor = Redactor(limits=Limits(max_length=100))
        address = "carol" + "@" + "example.net"
        text = "x" * 100 + " " + "x" * 49 + " " + address

        out = redactor.redact(text)

        assert address not in out
        assert out == "x" * 100 + "[REDACTED:oversize]"

    def test_email_detector_on_one_megabyte_line(self):
        """A 1 MB line of near-misses for the e-mail pattern is answered (or failed closed), never hung."""
        redactor = Redactor(detectors=[EmailDetector()])
        text = ("a." * 50 + "@") * (1_000_000 // 101)

        out = redactor.redact(text)

        assert out == FAILED or "a.a." in out


class TestReDoSAudit:
    """benchmarks/redos_audit.py keeps working and notices a catastrophic pattern."""

    def test_audit_flags_a_catastrophic_detector(self, capsys, monkeypatch):
        """A small audit run reports the time bound firing for (a|aa)+$ and not for a linear pattern."""
        path = Path(__file__).parent.parent / "benchmarks" / "redos_audit.py"
        spec = importlib.util.spec_from_file_location("redos_audit", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
        spec.loader.exec_module(module)
        linear = RegexDetector("linear", r"\bEMP-\d{6}\b", triggers=("EMP-",))

        results = module.audit((catastrophic(), linear), 5_000, short=False)
        report = module.report(results, (module.Worst(), 0), 5_000, 0.0)

        assert results["catastrophic"][0].fired > 0
        assert results["linear"][0].fired == 0
        assert "| `catastrophic` |" in report
        assert capsys.readouterr().err.count("\n") == 2
