"""Fold look-alike separators and digits to ASCII before detection.

Numbers are written with more than ASCII: an en dash in an SSN typed into a
word processor, a narrow no-break space in a French phone number, full-width
digits and hyphens in Japanese text, the digits of Arabic, Devanagari or
Thai. The gate and the detectors read ASCII separators and digits, so such a
number would pass whole. The engine scans a folded copy of a non-ASCII text
instead: each character maps to exactly one character, so every position,
and so every finding, is the same in the original text, which is what gets
masked. A folded text is read exactly as its ASCII spelling would be.
"""

from __future__ import annotations

from typing import Final

__all__ = ["fold"]

_DASHES: Final = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES: Final = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_FULL_WIDTH: Final = "\uff0b\uff08\uff09\uff0e\uff0f"  # plus, parentheses, full stop, solidus
# The digit zero of every script with decimal digits in Unicode 14 (Python
# 3.11), each followed by its one to nine: Arabic-Indic, Devanagari, Thai,
# full-width and the others. Listed, because finding them in the Unicode
# database at import costs about 12 ms.
_ZEROS: Final = (
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0,
    0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50,
    0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0,
    0x1E950, 0x1FBF0,
)  # fmt: skip

_TABLE: Final = {
    **str.maketrans(_DASHES + _SPACES + _FULL_WIDTH, "-" * len(_DASHES) + " " * len(_SPACES) + "+()./"),
    **{zero + value: ord("0") + value for zero in _ZEROS for value in range(10)},
}


def fold(text: str) -> str:
    """Return *text* with look-alike dashes and spaces and every script's digits written in ASCII.

    The result has the same length as *text*, character for character. An
    ASCII text is returned as it is, at the cost of one check.
    """
    return text if text.isascii() else text.translate(_TABLE)
