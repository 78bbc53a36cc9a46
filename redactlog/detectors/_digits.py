"""Find, once per text, where a phone, SSN or card number can be."""

from __future__ import annotations

import re
from typing import Final

from redactlog._keys import normalize_key

__all__ = ["PHONE_CONTEXT", "DigitRuns", "has_phone_context", "holds_context_stem", "names_a_phone"]

# A maximal run of at least seven digits, joined by up to three separator
# characters at a time ("(415) 555-2671", "+44 20 7946 0958", "%2B1%20415").
# It starts with a digit and rejects a start inside a longer run by a
# look-behind after that digit, so that ``re`` can skip to digits quickly.
_RUN: Final = re.compile(r"[0-9](?<![0-9][0-9])(?:[ .()/+\-]{0,3}+[0-9]|%2[0Bb][0-9]){6,}")
# The same for texts without a "%", with its first six steps unrolled: re
# repeats a group through its slow general machinery, and the pattern is tried
# at every digit run of a line, most of which are far shorter than seven digits.
_RUN_PLAIN: Final = re.compile(r"[0-9](?<![0-9][0-9])" + r"[ .()/+\-]{0,3}+[0-9]" * 6 + r"(?:[ .()/+\-]{0,3}+[0-9])*")
# A dotted IPv4 address is the most common seven-digit run in logs; a "+"
# right before it makes it a dotted international number ("+61.412.345.678").
# (Not "+ " or "%2B": lists such as "a + b" and query strings put addresses there.)
_IPV4: Final = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
# A plus as the phone detector reads one before a number ("+", "+ ", "%2B", "+(").
_PLUS_BEFORE: Final = re.compile(r"(?:\+|%2[Bb])[ ]?\(?\Z")
_DIGITS: Final = b"0123456789"
# The date of an ISO timestamp, alone or with its hour ("2026-11-24T", "2026-11-24 10:"),
# as a whole run: the "T" or ":" after it ends the run, so none of its digits can
# belong to a number (the phone detector rejects dates, and neither an SSN's nor a card's
# layout fits one), and the detectors need not look at it.
_TIMESTAMP_DATE: Final = re.compile(r"[0-9]{4}-[01][0-9]-[0-3][0-9](?:T|[ ][0-2][0-9]:)")
# What may stand right before such a date: a "+", "(" or "%" could make it an
# international number (and so could a "+" before a blank, see _PLUS_BEFORE).
_BEFORE_A_DATE: Final = frozenset(" \t\"'[=")

# Words that make a bare digit run a phone number. Whole words only: "iPhone"
# in a user agent, "hotel", "excellent" and "callback" are not context.
# Matched on the lower-cased window, case-sensitively and stem first, so that
# ``re`` can skip to the stems' first letters; word boundaries are checked on
# the match (a look-behind first would make ``re`` try every position).
# A context word that names something else in a field name ("call_id",
# "contact_id", "phone_verified", "call_duration", Twilio's "call_sid") is not
# context: the number after it is that thing, not a phone number. (camelCase
# names, "callId", are already no word here: the text is lower-cased.)
PHONE_CONTEXT: Final = re.compile(
    r"(?:tele?phone|phone|tel|mobile|cell|sms|call|fax|whats ?app|contact|msisdn|dial)"
    r"(?:s|ed|ing|led|ling|no|_?num(?:ber)?|phone)?(?![a-z])"
    r"(?![_.-](?:ids?|uuid|key|sid|seq|count|type|status|state|verified|confirmed|enabled|handler|duration"
    r"|time|ms|index|idx)(?![a-z]))",
)
# Every match of PHONE_CONTEXT holds one of these. The pattern stops at every
# t, p, m, c, s, f, w and d of a line; a few substring tests reject most lines
# in a fraction of that.
_CONTEXT_STEMS: Final = ("phone", "tel", "mobile", "cell", "sms", "call", "fax", "whats", "contact", "msisdn", "dial")


def holds_context_stem(lowered: str) -> bool:
    """Return whether the lower-cased text *lowered* holds a stem of a phone context word (see PHONE_CONTEXT)."""
    for stem in _CONTEXT_STEMS:  # noqa: SIM110 - a generator costs more
        if stem in lowered:
            return True
    return False


# What may follow the context word at the end of a field name about a phone number.
_PHONE_NAME_END: Final = re.compile(r"(?:_(?:to|from|e164|intl|national|primary|secondary|work|home|alt|[0-9]))?")


def names_a_phone(key: str) -> bool:
    """Return whether a field name says its value is a phone number ("phone", "mobile_number", "smsTo", "phone_2").

    A bare digit run is a phone number only after a context word; in a
    structure, the field name is that context.
    """
    if len(key) > 64:  # noqa: PLR2004 - no field name is longer
        return False
    # Most names hold no stem: a look at the lower-cased name first. Then the
    # camelCase split: "smsTo" is "sms_to", "callerId" is "caller_id".
    if not holds_context_stem(key.lower()):
        return False
    lowered = normalize_key(key)
    for match in PHONE_CONTEXT.finditer(lowered):
        start = match.start()
        # The word must end the name, or be followed by a word that says which
        # number: "sms_timestamp", "call_started", "mobile_users" hold no phone.
        if (start == 0 or not lowered[start - 1].isalpha()) and _PHONE_NAME_END.fullmatch(lowered, match.end()):
            return True
    return False


def has_phone_context(lowered: str) -> bool:
    """Return whether the lower-cased text *lowered* holds a phone context word."""
    return holds_context_stem(lowered) and PHONE_CONTEXT.search(lowered) is not None


Window = tuple[int, int, int]
"""``(start, end, digits)``: a region of the text around one digit run, and the run's digit count."""


class DigitRuns:
    """The digit runs of a text, computed once and shared by the digit detectors.

    Phone, SSN and card detectors used to scan every line in full with their
    own patterns; in logs full of timestamps, ports and sizes that was most
    of the redaction time. They now match only in small windows around the
    runs this object finds. One instance is shared by the detectors of one
    redactor; it remembers the runs of the last text it saw, so the three
    detectors pay for one scan. It keeps the text's hash and length, never
    the text, which may hold the very number it found: like every memo of a
    redactor, it holds no secret. A collision would make a text reuse the
    runs of the text scanned just before it, of the same length: a 1 in
    2**64 accident. The hash is keyed per process unless ``PYTHONHASHSEED``
    fixes it; even then, forcing one takes about 2**32 hash evaluations and
    control of both texts, so an attacker could only hide a number of their
    own making from the log. Reading and replacing that one
    attribute is atomic, so sharing across threads is safe (a miss only
    costs a rescan).
    """

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: tuple[int, int, tuple[Window, ...]] = (hash(""), 0, ())

    def windows(self, text: str, *, before: int = 8, after: int = 8, min_digits: int = 7) -> list[tuple[int, int]]:
        """Return the regions of *text* to search, merged where they overlap."""
        last = self._last
        length = len(text)
        # A str caches its hash: the detector that scans first pays for it, if the engine has not.
        key = str.__hash__(text)  # never a subclass's own __hash__
        if last[0] != key or last[1] != length:
            runs = tuple(
                (match.start(), match.end(), _digit_count(match.group()))
                for match in (_RUN if "%" in text else _RUN_PLAIN).finditer(text)
                if not (_IPV4.fullmatch(match.group()) and text[match.start() - 1 : match.start()] != "+")
                and not _is_timestamp_date(text, match.start(), match.end())
            )
            last = (key, length, runs)
            self._last = last
        regions: list[tuple[int, int]] = []
        for start, end, digits in last[2]:
            if digits < min_digits:
                continue
            low, high = max(0, start - before), min(length, end + after)
            if regions and low <= regions[-1][1]:
                regions[-1] = (regions[-1][0], high)
            else:
                regions.append((low, high))
        return regions


def _is_timestamp_date(text: str, start: int, end: int) -> bool:
    """Whether the digit run ``text[start:end]`` is the date (and hour) of an ISO timestamp, as a whole."""
    # Most runs are not 10 or 13 characters long: decided before any pattern.
    if end - start not in (10, 13) or (start and text[start - 1] not in _BEFORE_A_DATE):
        return False
    match = _TIMESTAMP_DATE.match(text, start)
    return (
        match is not None
        and match.end() == end + 1  # the "T" or ":" right after the run
        and _PLUS_BEFORE.search(text, max(0, start - 5), start) is None  # "+ 2026-..." may be a number
    )


def _digit_count(run: str) -> int:
    """Return how many digits a run holds (a run is ASCII: digits, separators, "%2B" and "%20")."""
    # Deleting the digits in C is cheaper than counting each of the ten in turn.
    return len(run) - len(run.encode("ascii", "replace").translate(None, _DIGITS))
