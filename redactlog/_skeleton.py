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

import re
import string
from typing import Final

__all__ = ["MAX_KEY", "decode", "hex_words_collapsed", "may_overlap_hex_word", "skeleton", "zero_digits"]

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


# Hex words: asset hashes ("app.3fa2b9c1.js"), request and trace ids, UUIDs.
# They make every line's skeleton new, so a memo keyed by skeletons alone never
# hits on such lines. A hex word here is a whole ASCII word (not glued to a
# letter, digit, "_" or "%", which would make it part of "%3d...") of four or
# more lower-case hex characters, with fewer than seven digits before its
# first letter, found where a digit touches a letter a to f; words joined to it
# by single dashes go with it (a UUID). Written as "f"s, its digits are gone,
# which is safe for every digit detector: a digit after a letter of the word,
# or after a dash, is glued to it, and the phone, card and dashed SSN patterns
# never start there; a digit run ending in a letter (or in a dash and a word
# character) ends no number, as they all require; and the only pattern taking
# digits with a letter right after them, a bare SSN after its context word,
# needs nine digits in a row, which such a word does not begin with. Trigger
# literals, keywords and sensitive-key probes are unaffected as long as none
# could reach into such a word (see may_overlap_hex_word), which the gate
# checks before it collapses anything.
#
_MIN_HEX_WORD: Final = 4
# What a hex word is never next to: a character that joins a word, or a "%"
# ("%3d..." is a percent-encoding, not a word).
_JOINS_A_WORD: Final = frozenset(string.ascii_letters + string.digits + "_%")
# Each byte of a skeleton as the class that decides hex words: "d" for a
# digit ("0"), "h" for a to f, "w" for any other byte in _JOINS_A_WORD, "-"
# for itself and "." for the rest.
_CLASSES: Final = bytes(
    ord("d")
    if byte == ord("0")
    else ord("h")
    if byte in b"abcdef"
    else ord("-")
    if byte == ord("-")
    else ord("w")
    if chr(byte) in _JOINS_A_WORD
    else ord(".")
    for byte in range(256)
)
_TO_F: Final = bytes(byte if byte == ord("-") else ord("f") for byte in range(256))
# A hex word in the classes of a skeleton, from its first character (which
# opens the skeleton or follows a "." or "-"): four hex characters or more, a
# letter among its first seven, more such words joined by single dashes (a
# UUID), and no word character after it.
_HEX_WORD: Final = re.compile(rb"(?=d{0,6}h)[dh]{%d,}+(?:-[dh]{%d,}+)*+(?![dhw])" % (_MIN_HEX_WORD, _MIN_HEX_WORD))
_W: Final = ord("w")
_WORD_REST: Final = re.compile(rb"[dhw]*+")


def hex_words_collapsed(key: bytes) -> bytes:
    """Return the skeleton *key* with its hex words written as ``f``s; *key* itself if it has none.

    Same length: positions in the result are positions in the text. A hex
    word without a digit next to a letter ("deadbeef") is left as it is.
    Linear in the length of *key*: every search resumes where the last one
    stopped.
    """
    classes = key.translate(_CLASSES)
    find = classes.find
    digit_first = find(b"dh")
    letter_first = find(b"hd")
    if digit_first < 0 and letter_first < 0:
        # Most lines: no digit next to a letter a to f, found in C.
        return key
    pieces: list[bytes] = []
    done = searched = 0
    while True:
        # The next digit next to a letter, each kind searched again only once passed.
        if 0 <= digit_first < searched:
            digit_first = find(b"dh", searched)
        if 0 <= letter_first < searched:
            letter_first = find(b"hd", searched)
        if digit_first < 0:
            if letter_first < 0:
                break
            at = letter_first
        elif letter_first < 0 or digit_first < letter_first:
            at = digit_first
        else:
            at = letter_first
        # The start of the run of hex characters holding that pair: it is
        # never before the last word's end, which is a "." or a "-".
        start = len(classes[:at].rstrip(b"dh"))
        word = None if start and classes[start - 1] == _W else _HEX_WORD.match(classes, start)
        if word is None:
            # Glued to a word character, or not a hex word: on to the end of the word holding the pair.
            searched = _WORD_REST.match(classes, at).end()  # type: ignore[union-attr]  # "*" always matches
            continue
        searched = word.end()
        pieces.append(key[done:start])
        pieces.append(key[start:searched].translate(_TO_F))
        done = searched
    if not pieces:
        return key
    pieces.append(key[done:])
    return b"".join(pieces)


_HEX_RUN: Final = re.compile(r"[0-9a-f]+")


def may_overlap_hex_word(literal: str) -> bool:
    """Return whether an occurrence of *literal* could overlap a hex word that :func:`hex_words_collapsed` rewrites.

    Only through a run of hex characters of its own that can be a hex word's
    edge: at its start or after a character that can precede a hex word, and
    at its end or before one that can follow it; a run inside the literal
    must be a whole hex word, four characters or more.
    """
    for run in _HEX_RUN.finditer(literal):
        start, end = run.span()
        opens = start == 0 or literal[start - 1] not in _JOINS_A_WORD
        closes = end == len(literal) or literal[end] not in _JOINS_A_WORD
        if opens and closes and (start == 0 or end == len(literal) or end - start >= _MIN_HEX_WORD):
            return True
    return False
