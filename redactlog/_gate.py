"""Decide cheaply which detectors can possibly match a text.

Most log records hold nothing sensitive. For them the whole cost of redaction
is this gate: one small character-class search, a few substring tests and one
digit-shape search, with no detector called. Python has no fast multi-literal
search and large ``re`` alternations cost several microseconds per line, so
every trigger literal is represented in the first stage by its rarest
character where it has a rare one (``"ghp_"`` by ``_``), and only literals
made of common characters are tested whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from redactlog.detectors._base import DIGITS
from redactlog.typing import Detector

__all__ = ["Gate"]

# Characters ranked from rarest to commonest in ordinary log prose; a literal
# is keyed by the first of these it contains. Lower-case letters other than
# z, q and x never key a literal: they are in nearly every line.
_RANKING: Final = "@\\%#=:_|^~`$&<>{}[]*+;!?QZXKJVWzqxYUGHFBPMDCLNROTSEIA-/,"

# What every phone, SSN and card number contains: seven digits joined by
# single separators, not starting inside a longer run. Shapes that fill log
# lines but are never such numbers are skipped: ISO dates and timestamps
# ("2026-11-24 10:00:01"), fractions of seconds after a colon (":01.123456"),
# and dotted IPv4 addresses ("192.168.100.200").
_DIGIT_HINT: Final = re.compile(r"[0-9][0-9](?:[0-9]|[ .-][0-9][0-9][ .-][0-9]|%20[0-9])")
_DIGIT_SHAPE: Final = re.compile(
    r"[0-9](?<![0-9][0-9])(?<!(?<!\))\.[0-9])"
    r"(?![0-9]{3}-[01][0-9]-[0-3][0-9](?:[T ][0-2][0-9]:|[^0-9]|$))"
    r"(?!(?<=:[0-9])[0-9][.,][0-9])"
    r"(?!(?<!\+[0-9])[0-9]{0,2}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9.]))"
    r"(?:(?:[ .()/+-]|%20|%2[Bb]){0,2}[0-9]){6}",
)


_MAX_SELECTIONS: Final = 4096


def _has_digit_shape(text: str) -> bool:
    # The cheap hint rejects most texts in a fraction of the precise search.
    return _DIGIT_HINT.search(text) is not None and _DIGIT_SHAPE.search(text) is not None


def _key(literal: str) -> str:
    for char in _RANKING:
        if char in literal:
            return char
    return literal


class Gate:
    """Maps a text to the detectors whose triggers occur in it."""

    __slots__ = (
        "_always",
        "_chars",
        "_detectors",
        "_digit_bits",
        "_groups",
        "_keyword_bits",
        "_keywords",
        "_selections",
        "_words",
    )

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self._detectors = tuple(detectors)
        always = 0
        digit_bits = 0
        groups: dict[str, dict[str, int]] = {}
        for index, detector in enumerate(self._detectors):
            bit = 1 << index
            triggers = detector.triggers
            if triggers is None:
                always |= bit
                continue
            for trigger in triggers:
                if trigger == DIGITS:
                    digit_bits |= bit
                elif trigger:
                    group = groups.setdefault(_key(trigger), {})
                    group[trigger] = group.get(trigger, 0) | bit
        keyword_bits = 0
        keywords: dict[str, int] = {}
        for index, detector in enumerate(self._detectors):
            words = getattr(detector, "keywords", None)
            if words:
                keyword_bits |= 1 << index
                for word in words:
                    keywords[word.lower()] = keywords.get(word.lower(), 0) | 1 << index
        self._keyword_bits = keyword_bits
        self._keywords = tuple(keywords.items())
        # Few combinations of detectors ever occur; building the tuple for each
        # text costs more than the rest of the gate. The memo is bounded by the
        # number of combinations seen, a few dozen in practice.
        self._selections: dict[int, tuple[Detector, ...]] = {0: ()}
        self._always = always
        self._digit_bits = digit_bits
        self._groups = tuple((key, tuple(group.items())) for key, group in groups.items())
        chars = "".join(sorted(k for k in groups if len(k) == 1))
        self._chars = re.compile(f"[{re.escape(chars)}]") if chars else None
        self._words = tuple(k for k in groups if len(k) > 1)

    def might_match(self, text: str) -> bool:
        """Return ``False`` when no detector can match *text* (the fast path)."""
        if self._always or (self._chars is not None and self._chars.search(text) is not None):
            return True
        for word in self._words:
            if word in text:
                return True
        return bool(self._digit_bits) and _has_digit_shape(text)

    def select(self, text: str) -> tuple[Detector, ...]:
        """Return the detectors to run on *text*, in configuration order."""
        bits = self._always
        for key, group in self._groups:
            if key in text:
                for literal, literal_bits in group:
                    if literal in text:
                        bits |= literal_bits
        if self._digit_bits and _has_digit_shape(text):
            bits |= self._digit_bits
        if bits & self._keyword_bits:
            # Detectors with keywords need one of them too (case-insensitively),
            # e.g. "sig" or "hmac" for signatures on a line that has "=".
            lowered = text.lower()
            found = 0
            for word, word_bits in self._keywords:
                if word in lowered:
                    found |= word_bits
            bits &= ~self._keyword_bits | found
        selection = self._selections.get(bits)
        if selection is None:
            selection = tuple(d for i, d in enumerate(self._detectors) if bits >> i & 1)
            if len(self._selections) < _MAX_SELECTIONS:
                self._selections[bits] = selection
        return selection
