"""Tests for redactlog._fold: numbers written with look-alike separators and digits."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactlog import Redactor
from redactlog._fold import _ZEROS, fold

REDACTOR = Redactor()

EN_DASH, EM_DASH, MINUS = "\u2013", "\u2014", "\u2212"
NO_BREAK, NARROW_NO_BREAK, THIN = "\u00a0", "\u202f", "\u2009"


def full_width(text: str) -> str:
    """*text* with its ASCII digits, "+" and "-" written in their full-width forms."""
    return text.translate(str.maketrans("0123456789+-", "０１２３４５６７８９＋－"))


LEAKS = [
    pytest.param(f"applicant 234{EN_DASH}56{EN_DASH}7891 on file", "234", "7891", id="ssn-with-en-dashes"),
    pytest.param(f"ssn 234{EM_DASH}56{EM_DASH}7891", "234", "7891", id="ssn-with-em-dashes"),
    pytest.param(f"ssn 234{MINUS}56{MINUS}7891", "234", "7891", id="ssn-with-minus-signs"),
    pytest.param(f"ssn: 234{NO_BREAK}56{NO_BREAK}7891", "234", "7891", id="ssn-with-no-break-spaces"),
    pytest.param(
        f"rappeler le 06{NARROW_NO_BREAK}12{NARROW_NO_BREAK}34{NARROW_NO_BREAK}56{NARROW_NO_BREAK}78",
        "06",
        "78",
        id="french-phone-with-narrow-no-break-spaces",
    ),
    pytest.param(f"call +44{NO_BREAK}20{NO_BREAK}7946{NO_BREAK}0958", "7946", "0958", id="e164-with-no-break-spaces"),
    pytest.param(f"phone (415){THIN}555{EN_DASH}2671", "415", "2671", id="us-phone-with-thin-space-and-en-dash"),
    pytest.param(f"tel {full_width('090-1234-5678')}", full_width("1234"), full_width("5678"), id="full-width-jp"),
    pytest.param(
        f"電話 {full_width('+81-90-1234-5678')}", full_width("1234"), full_width("5678"), id="full-width-e164"
    ),
]


class TestLookAlikes:
    @pytest.mark.parametrize(("text", "head", "tail"), LEAKS)
    def test_number_is_masked_whole(self, text: str, head: str, tail: str) -> None:
        redacted = REDACTOR.redact(text)

        assert head not in redacted
        assert tail not in redacted
        assert "[REDACTED:" in redacted

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param(f"pages 12{EN_DASH}19, 2019{EN_DASH}2024", id="ranges-with-en-dashes"),
            pytest.param(f"10{NO_BREAK}000{NO_BREAK}€ reçus le 24/11/2026", id="amount-with-no-break-spaces"),
            pytest.param("日本語のログ、エラーなし", id="non-ascii-without-digits"),
            pytest.param(f"{full_width('2026')}年11月24日", id="full-width-year"),
        ],
    )
    def test_clean_non_ascii_text_is_unchanged(self, text: str) -> None:
        assert REDACTOR.redact(text) == text

    def test_findings_are_positions_in_the_original_text(self) -> None:
        text = f"x {EN_DASH} ssn 234{EN_DASH}56{EN_DASH}7891 {EM_DASH} done"

        (finding,) = REDACTOR.scan(text)

        assert text[finding.start : finding.end] == f"234{EN_DASH}56{EN_DASH}7891"


class TestFold:
    def test_ascii_text_is_returned_as_it_is(self) -> None:
        text = "user 42 logged in"

        assert fold(text) is text

    @given(st.text())
    def test_length_and_ascii_characters_are_kept(self, text: str) -> None:
        folded = fold(text)

        assert len(folded) == len(text)
        assert all(a == b for a, b in zip(text, folded, strict=True) if a.isascii())

    def test_every_listed_zero_starts_a_script_s_ten_digits(self) -> None:
        for zero in _ZEROS:
            assert [unicodedata.decimal(chr(zero + value)) for value in range(10)] == list(range(10))

    @pytest.mark.skipif(unicodedata.unidata_version != "14.0.0", reason="the list is of Unicode 14 (Python 3.11)")
    def test_every_decimal_digit_is_folded(self) -> None:
        digits = "".join(chr(c) for c in range(0x80, 0x20000) if unicodedata.decimal(chr(c), -1) >= 0)

        assert fold(digits).isdigit()
        assert fold(digits).isascii()

    @pytest.mark.parametrize(
        ("text", "masked"),
        [
            pytest.param(
                "phone +\u0661 \u0664\u0661\u0665 \u0665\u0665\u0665 \u0662\u0666\u0667\u0661", True, id="arabic-indic"
            ),
            pytest.param("ssn 234-56-789\u0661", True, id="last-digit-arabic-indic"),
        ],
    )
    def test_digits_of_other_scripts(self, text: str, masked: bool) -> None:
        assert ("[REDACTED:" in REDACTOR.redact(text)) is masked
