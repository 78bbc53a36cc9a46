"""A text's skeleton: the text with every digit written as ``0``, as a memo key.

Log lines written by one statement differ mostly in their numbers (ids,
durations, timestamps). Decisions that do not depend on the value of any
digit, such as "which trigger literals occur" when every literal has its own
digits written as ``0`` too, can be computed once per skeleton and
remembered. The skeleton is built in bytes, where translating is several
times cheaper than ``str.translate``; UTF-8 leaves every other character's
bytes untouched, and ``surrogatepass`` lets lone surrogates through.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_KEY", "decode", "skeleton", "zero_digits"]

_ZEROS: Final = bytes.maketrans(b"123456789", b"000000000")
_ZEROS_STR: Final = str.maketrans("123456789", "000000000")

MAX_KEY: Final = 1024
"""Longest skeleton kept as a memo key: longer texts rarely repeat and cost more to hash."""


def skeleton(text: str) -> bytes:
    """Return *text* in UTF-8 with the digits 1 to 9 written as ``0``."""
    return text.encode("utf-8", "surrogatepass").translate(_ZEROS)


def zero_digits(text: str) -> str:
    """Return *text* with the digits 1 to 9 written as ``0`` (for literals, once)."""
    return text.translate(_ZEROS_STR)


def decode(key: bytes) -> str:
    """Return the text of a skeleton."""
    return key.decode("utf-8", "surrogatepass")
