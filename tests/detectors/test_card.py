"""Table-driven tests for redactlog.detectors.card."""

from __future__ import annotations

import random

import pytest

from redactlog import Redactor
from redactlog.detectors import CreditCardDetector
from redactlog.detectors.card import luhn_valid

REDACTOR = Redactor()
DETECTOR = CreditCardDetector()
_RNG = random.Random(4)


def with_luhn(prefix: str, length: int) -> str:
    """A Luhn-valid number of *length* digits starting with *prefix*, random in between."""
    body = prefix + "".join(_RNG.choice("0123456789") for _ in range(length - len(prefix) - 1))
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError(body)


def grouped(number: str, sizes: tuple[int, ...], sep: str) -> str:
    """*number* split into groups of *sizes* joined by *sep*."""
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start : start + size])
        start += size
    return sep.join(parts)


VISA = with_luhn("4", 16)
MASTERCARD = with_luhn("52", 16)
AMEX = with_luhn("37", 15)
DISCOVER = with_luhn("6011", 16)
JCB = with_luhn("3530", 16)
DINERS = with_luhn("36", 14)
VISA13 = with_luhn("4", 13)

POSITIVE = [
    pytest.param(f"card {VISA}", VISA, id="a-bare-visa-number"),
    pytest.param(
        f"pan={grouped(MASTERCARD, (4, 4, 4, 4), ' ')}", grouped(MASTERCARD, (4, 4, 4, 4), " "), id="spaced-mc"
    ),
    pytest.param(
        f"pan {grouped(DISCOVER, (4, 4, 4, 4), '-')}", grouped(DISCOVER, (4, 4, 4, 4), "-"), id="dashed-discover"
    ),
    pytest.param(f"amex {grouped(AMEX, (4, 6, 5), ' ')}", grouped(AMEX, (4, 6, 5), " "), id="amex-in-4-6-5"),
    pytest.param(f'{{"pan": "{JCB}"}}', JCB, id="a-jcb-number-in-json"),
    pytest.param(f"diners {DINERS} ok", DINERS, id="a-diners-number"),
    pytest.param(f"old visa {VISA13}", VISA13, id="a-13-digit-visa"),
    pytest.param(f"card {VISA}.0 charged", VISA, id="a-number-written-as-a-float"),
    pytest.param(f"amount {VISA}.00,", VISA, id="a-number-written-with-zero-cents"),
    pytest.param(
        f"paid with {grouped(VISA, (4, 4, 4, 4), ' ')} 100.00 EUR",
        grouped(VISA, (4, 4, 4, 4), " "),
        id="a-grouped-card-before-an-amount",
    ),
    pytest.param(
        f"paid with {grouped(MASTERCARD, (4, 4, 4, 4), ' ')} 250.0",
        grouped(MASTERCARD, (4, 4, 4, 4), " "),
        id="a-grouped-card-before-a-whole-amount",
    ),
]

NEGATIVE = [
    pytest.param(f"id {VISA[:-1]}{(int(VISA[-1]) + 1) % 10}", id="a-luhn-failure"),
    pytest.param(f"id {with_luhn('99', 16)}", id="an-unknown-issuer-prefix"),
    pytest.param(f"id {with_luhn('4', 17)}", id="a-visa-prefix-at-a-length-visa-never-uses"),
    pytest.param(f"bytes={VISA13[:6]}-{VISA13[6:]}", id="a-range-is-not-a-card-layout"),
    pytest.param(f"ts {VISA[:8]}.{VISA[8:]}", id="a-decimal-is-not-a-card"),
    pytest.param(f"x {VISA}.05", id="a-decimal-with-a-fraction-is-not-a-card"),
    pytest.param(f"x {VISA}.0e5", id="a-float-with-an-exponent-is-not-a-card"),
    pytest.param(f"v{VISA}", id="glued-to-a-letter"),
    pytest.param(f"{VISA[:4]} {VISA[4:8]}-{VISA[8:12]} {VISA[12:]}", id="mixed-separators"),
]


class TestCreditCardDetector:
    """The card detector, through the Redactor and on its own."""

    @pytest.mark.parametrize(("text", "number"), POSITIVE)
    def test_card_numbers_are_masked(self, text: str, number: str) -> None:
        """A Luhn-valid number with a known issuer prefix is masked and reported whole."""
        out = REDACTOR.redact(text)

        assert number not in out
        assert [number] == [text[f.start : f.end] for f in DETECTOR.detect(text)]

    @pytest.mark.parametrize("text", NEGATIVE)
    def test_other_digit_runs_are_kept(self, text: str) -> None:
        """Luhn failures, unknown issuers, odd layouts and glued digits are not cards."""
        assert "credit_card" not in {f.kind for f in REDACTOR.scan(text)}
        assert list(DETECTOR.detect(text)) == []


class TestLuhn:
    """The Luhn checksum."""

    @pytest.mark.parametrize(
        ("digits", "expected"),
        [
            pytest.param("79927398713", True, id="the-textbook-example"),
            pytest.param("79927398710", False, id="a-wrong-check-digit"),
            pytest.param("0", True, id="zero"),
        ],
    )
    def test_checksum(self, digits: str, expected: bool) -> None:
        """luhn_valid follows the standard algorithm."""
        assert expected == luhn_valid(digits)
