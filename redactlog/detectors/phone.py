"""Phone numbers, validated with ``phonenumbers``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import phonenumbers

from redactlog._finding import Finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, DIGITS, compile_dual

__all__ = ["DEFAULT_REGIONS", "PhoneDetector"]

DEFAULT_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "IN", "BR", "JP", "AU")
"""Regions whose national formats are recognised without a ``+`` country code."""

# A run of digit groups joined by single separators. It starts with a digit
# (no look-behind first) so that ``re`` can skip to digits; a leading "+",
# "%2B" (URL-encoded plus) or "(" is added back in Python. In query strings
# "+" and "%20" also stand for a space.
_CANDIDATE = (
    r"\d(?:(?<![\w.,/:#@$-]\d)|(?<=%2[Bb]\d)|(?<=%20\d))"
    r"\d{0,4}\)?"
    r"(?:(?:[ .\-/]|%20|\+|\)[ ]?|[ ]?\()?\d{1,6}){1,7}"
    r"(?![\w]|[.,:/-]\d)"
)
_PREFIX = re.compile(r"(?:(?:\+|%2[Bb]|\b00)[ ]?)?\(?$")
_CONTEXT = re.compile(
    r"(?i:phone|tel\b|telephone|mobile|cell|sms|call(?:ed|ing)?\b|fax|whats ?app|contact|msisdn|dial)",
)
_GROUP = re.compile(r"\d+")
# Shapes that are never phone numbers: dates, times, IPv4 addresses, versions.
_NOT_PHONE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\d{1,3}(?:\.\d{1,3}){3}|\d+(?:\.\d+){3,})(?:\D|$)",
)
_SEPARATOR = re.compile(r"[ .()\-/]|%20|\+")
_MEMO_SIZE = 4096


def _national_lengths(region: str) -> tuple[str, frozenset[int]]:
    """Return the trunk prefix and the possible national number lengths of *region*."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return "", frozenset(range(4, 18))
    description = metadata.general_desc
    possible = description.possible_length if description is not None else None
    lengths = frozenset(possible or range(4, 18))
    return metadata.national_prefix or "", lengths


def _plausible(digits: str, rules: tuple[str, frozenset[int]]) -> bool:
    """Cheap pre-check before ``phonenumbers.parse``, which costs ~25 microseconds."""
    prefix, lengths = rules
    if len(digits) in lengths:
        return True
    return bool(prefix) and digits.startswith(prefix) and len(digits) - len(prefix) in lengths


class PhoneDetector:
    """Detect phone numbers.

    Candidates are runs of 7 to 15 digits in phone-like groups; each is
    confirmed with :func:`phonenumbers.is_valid_number`, in international
    (``+44 20 7946 0958``) or national format for one of *regions*. A bare
    digit run without separators or ``+`` (``4155552671``) counts only after
    a context word such as "phone", "tel", "mobile", "sms" or "call", since
    order numbers and ids look just the same. Dates, times, IPv4 addresses
    and version numbers are never phone numbers.

    Args:
        regions: ISO 3166 region codes tried for national formats, in order.
        context_window: Characters before a candidate searched for context.

    .. versionadded:: 0.1.0
    """

    name = "phone"
    kind = "phone"
    triggers = (DIGITS,)
    priority = 30

    def __init__(
        self,
        *,
        regions: Iterable[str] = DEFAULT_REGIONS,
        context_window: int = 32,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.regions = tuple(r.upper() for r in regions)
        self.context_window = context_window
        self._pattern = compile_dual(_CANDIDATE, timeout=timeout)
        self._lengths = {region: _national_lengths(region) for region in self.regions}
        # Per-instance memo of validation results: the same numbers recur in
        # logs and phonenumbers costs tens of microseconds a call.
        self._memo: dict[str, bool] = {}

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the phone numbers in *text*."""
        for match in self._pattern.finditer(text):
            start = match.start()
            prefix = _PREFIX.search(text, max(0, start - 5), start)
            if prefix is not None:
                start = prefix.start()
            candidate = text[start : match.end()]
            if _NOT_PHONE.match(candidate.lstrip("+( ")):
                continue
            digits = sum(len(g) for g in _GROUP.findall(candidate))
            if digits < 7:  # noqa: PLR2004 - shortest valid national number here
                continue
            window = text[max(0, start - self.context_window) : start]
            context = _CONTEXT.search(window) is not None
            found = self._best_window(candidate, context=context)
            if found is not None:
                yield Finding(start + found[0], start + found[1], self.kind, self.name)

    def _best_window(self, candidate: str, *, context: bool) -> tuple[int, int] | None:
        """Return the span of a valid number inside *candidate*, or ``None``.

        A greedy candidate can glue a number to its neighbours ("id 7 call
        415-555-2671"), so the candidate is also tried without its first
        and/or last digit group; no more, to keep validation calls bounded.
        """
        groups = [m.span() for m in _GROUP.finditer(candidate)]
        count = len(groups)
        windows = [(0, count - 1), (0, count - 2), (1, count - 1), (1, count - 2)]
        for first, last in windows:
            if last < first:
                continue
            start = 0 if first == 0 else groups[first][0]
            end = groups[last][1]
            digit_count = sum(e - s for s, e in groups[first : last + 1])
            if not 7 <= digit_count <= 15:  # noqa: PLR2004 - E.164 bounds
                continue
            number = candidate[start:end]
            bare = first == last and not number.startswith(("+", "%2", "00"))
            if bare and not context:
                continue
            if self._valid(number):
                return start, end
        return None

    def _valid(self, number: str) -> bool:
        memo = self._memo
        cached = memo.get(number)
        if cached is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            cached = memo[number] = self._validate(number)
        return cached

    def _validate(self, number: str) -> bool:
        cleaned = number.replace("%2B", "+").replace("%2b", "+").replace("%20", " ")
        if cleaned.startswith("00"):
            cleaned = "+" + cleaned[2:]
        international = cleaned.startswith("+")
        if international:
            cleaned = "+" + _SEPARATOR.sub(" ", cleaned[1:])
        if international:
            regions: Iterable[str | None] = (None,)
        else:
            digits = "".join(_GROUP.findall(cleaned))
            regions = [r for r in self.regions if _plausible(digits, self._lengths[r])]
        for region in regions:
            try:
                parsed = phonenumbers.parse(cleaned, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed):
                return True
        return False
