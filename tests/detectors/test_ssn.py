"""Table-driven tests for redactlog.detectors.ssn."""

from __future__ import annotations

import pytest

from redactlog import Redactor
from redactlog.detectors import USSocialSecurityNumberDetector
from redactlog.detectors.ssn import is_valid_ssn

REDACTOR = Redactor()
DETECTOR = USSocialSecurityNumberDetector()


def found(text: str) -> list[str]:
    """The substrings of *text* that the SSN detector reports."""
    return [text[f.start : f.end] for f in DETECTOR.detect(text)]


POSITIVE = [
    pytest.param("applicant ssn 234-56-7891 ok", "234-56-7891", id="a-dashed-number-anywhere"),
    pytest.param("on file: 234 56 7891", "234 56 7891", id="a-spaced-number-anywhere"),
    pytest.param("Alice,078-05-1121,Springfield", "078-05-1121", id="a-number-in-a-csv-row"),
    pytest.param("SSN: 234567891", "234567891", id="bare-digits-after-ssn"),
    pytest.param("social security number 234567891 did not match", "234567891", id="bare-after-the-spelled-out-words"),
    pytest.param("SS# 234567891", "234567891", id="bare-after-ss-hash"),
    pytest.param("soc. sec. no. 234567891", "234567891", id="bare-after-an-abbreviation"),
    pytest.param("my ssn is .234567891", "234567891", id="bare-after-context-and-a-dot"),
    pytest.param('{"ssn": "234567891"}', "234567891", id="a-value-under-an-ssn-key"),
]

NEGATIVE = [
    pytest.param("ref 000-12-3456", id="area-000-was-never-issued"),
    pytest.param("ref 666-12-3456", id="area-666-was-never-issued"),
    pytest.param("ref 912-12-3456", id="areas-900-to-999-are-not-ssns"),
    pytest.param("ref 123-00-4567", id="group-00-was-never-issued"),
    pytest.param("ref 123-45-0000", id="serial-0000-was-never-issued"),
    pytest.param("card 078-05-1120", id="the-woolworth-wallet-number"),
    pytest.param("ex 219-09-9999", id="the-ssa-advertising-number"),
    pytest.param("ex 457-55-5462", id="the-lifelock-number"),
    pytest.param("order 234567891 shipped", id="bare-digits-without-context"),
    pytest.param("ref 234-56 7891", id="mixed-separators"),
    pytest.param("zip 12345-6789", id="a-zip-plus-four"),
    pytest.param("v1.234-56-7891", id="glued-to-a-version"),
]


class TestUSSocialSecurityNumberDetector:
    """The SSN detector, through the Redactor and on its own."""

    @pytest.mark.parametrize(("text", "ssn"), POSITIVE)
    def test_valid_numbers_are_masked(self, text: str, ssn: str) -> None:
        """A valid SSN is masked by the Redactor."""
        out = REDACTOR.redact(text)

        assert ssn not in out

    @pytest.mark.parametrize(("text", "ssn"), POSITIVE[:-1])
    def test_detector_reports_the_number(self, text: str, ssn: str) -> None:
        """The detector reports the number itself, not its context."""
        assert [ssn] == found(text)

    @pytest.mark.parametrize("text", NEGATIVE)
    def test_invalid_or_context_free_numbers_are_kept(self, text: str) -> None:
        """Never-issued numbers, samples and bare digits without context are kept whole."""
        assert text == REDACTOR.redact(text)
        assert found(text) == []


class TestIsValidSsn:
    """The SSA assignment rules."""

    @pytest.mark.parametrize(
        ("digits", "expected"),
        [
            pytest.param("234567891", True, id="an-ordinary-number"),
            pytest.param("899999999", True, id="area-899-is-the-last-valid-area"),
            pytest.param("900123456", False, id="area-900-is-an-itin"),
            pytest.param("12345678", False, id="eight-digits"),
            pytest.param("12345678a", False, id="a-letter"),
            pytest.param("123456789", False, id="the-sequential-sample"),
        ],
    )
    def test_rules(self, digits: str, expected: bool) -> None:
        """is_valid_ssn applies the area, group, serial and sample rules."""
        assert expected == is_valid_ssn(digits)
