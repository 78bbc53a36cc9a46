"""Tests for redactlog.detectors._base: RegexDetector, long-text pieces and time bounds."""

from __future__ import annotations

import pytest

from redactlog import Redactor
from redactlog.detectors import (
    CreditCardDetector,
    EmailDetector,
    PhoneDetector,
    RegexDetector,
    USSocialSecurityNumberDetector,
)
from redactlog.detectors._base import SHORT_TEXT, Deadline, compile_dual, detect_by_lines


class TestRegexDetector:
    """The quickest way to add a detector."""

    def test_custom_detector_through_the_redactor(self) -> None:
        """A RegexDetector given in add= is gated by its triggers and masks its kind."""
        employee = RegexDetector("employee_id", r"\bEMP-\d{6}\b", triggers=("EMP-",))

        assert Redactor(add=[employee]).redact("badge EMP-123456 ok") == "badge [REDACTED:employee_id] ok"

    def test_group_and_validate(self) -> None:
        """Only the named group is masked, and only when validate() agrees."""
        detector = RegexDetector(
            "order_pin", r"pin (?P<v>\d{4})", triggers=("pin",), group="v", validate=lambda v: v != "0000"
        )

        assert [(f.start, f.end) for f in detector.detect("pin 1234 pin 0000")] == [(4, 8)]


class TestLongTexts:
    """Texts longer than SHORT_TEXT are matched in pieces of whole lines."""

    def test_offsets_are_kept_across_pieces(self) -> None:
        """A finding deep in a long multi-line text points at the right characters."""
        filler = "\n".join(f"line {i} nothing here" for i in range(2000))
        text = f"{filler}\nmail jane@example.com\n{filler}"
        findings = list(EmailDetector().detect(text))

        assert len(text) > SHORT_TEXT
        assert [text[f.start : f.end] for f in findings] == ["jane@example.com"]

    def test_a_long_single_line_uses_the_bounded_engine(self) -> None:
        """A line longer than a piece is still searched, whole."""
        text = "x " * SHORT_TEXT + "jane@example.com"

        assert [text[f.start : f.end] for f in EmailDetector().detect(text)] == ["jane@example.com"]

    def test_short_and_long_engines_agree(self) -> None:
        """compile_dual finds the same matches with re and with regex."""
        pattern = compile_dual(r"\b\d{3}\b")
        short = "a 123 b 4567 c 890"
        long = short + " " * SHORT_TEXT

        assert [m.span() for m in pattern.finditer(short)] == [m.span() for m in pattern.finditer(long)]

    def test_walk_past_its_time_bound_raises(self) -> None:
        """detect_by_lines raises TimeoutError once its bound has passed, so the redactor fails closed."""
        text = "\n".join(["a" * 100] * 200)

        with pytest.raises(TimeoutError):
            list(detect_by_lines(text, lambda piece: iter(()), timeout=-1.0))

    def test_deadline_is_free_for_short_texts(self) -> None:
        """Deadline never raises on short texts, whatever the bound."""
        deadline = Deadline("short", timeout=-1.0)
        for _ in range(1000):
            deadline.tick()

    def test_deadline_raises_on_long_texts(self) -> None:
        """Deadline raises TimeoutError on a long text past its bound."""
        deadline = Deadline("x" * (SHORT_TEXT + 1), timeout=-1.0)

        def tick_many() -> None:
            for _ in range(128):
                deadline.tick()

        with pytest.raises(TimeoutError):
            tick_many()


class TestWindows:
    """Long single lines are scanned in overlapping windows."""

    @pytest.mark.parametrize(
        "make",
        [
            pytest.param(PhoneDetector, id="phone"),
            pytest.param(CreditCardDetector, id="credit-card"),
            pytest.param(USSocialSecurityNumberDetector, id="ssn"),
        ],
    )
    def test_windows_find_what_one_pass_finds(self, make: type) -> None:
        """Every number on a 50 KB line is found once, wherever the window edges fall."""
        pieces = ["call +44 20 7946 0958", "card 4111 1111 1111 1111", "ssn 234-56-7891", "SSN: 234567891"]
        words = []
        for index in range(4000):
            words.append(pieces[index % len(pieces)] if index % 3 == 0 else f"filler{index}x")
        line = " ".join(words)
        detector = make(timeout=60.0)

        windowed = sorted((f.start, f.end) for f in detector.detect(line))
        whole = sorted((f.start, f.end) for f in detector._detect(line))

        assert len(line) > 10 * SHORT_TEXT
        assert whole
        assert windowed == whole
