"""Payment card numbers."""

from __future__ import annotations

from collections.abc import Iterator

from redactlog._finding import Finding, new_finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, DIGITS, Deadline, compile_dual, detect_by_lines
from redactlog.detectors._digits import DigitRuns

__all__ = ["CreditCardDetector", "luhn_valid"]

_MAX_MATCH = 40
"""The longest match: 19 digits and 18 separators."""

# Starts with a digit (no look-behind first) so that ``re`` can skip to digits.
# Only the layouts cards are printed in: bare, 4-4-4-4(-3) and shorter last
# groups, 4-6-5 and 4-6-4, one kind of separator throughout. Checking the
# layout in the pattern keeps runs like "4 4 4 4 ..." from ever matching.
_PATTERN = (
    r"\d(?<![\w.-]\d)"
    # Bare digits: not the integer part of a decimal ("4111...1111.25"), but a
    # number written as a whole float ("4111...1111.0", a card id that went
    # through a JSON parser) is one.
    r"(?:\d{12,18}(?![\w-]|\.(?!0+(?![\deE]))\d)"
    # Grouped digits: a float is never printed so; a group must not run on into
    # a decimal ("4111 1111 1111 1111 100.00" is a card and an amount).
    r"|\d{3}(?P<sep>[ -])(?:\d{4}(?P=sep)\d{4}(?P=sep)\d{4}(?P=sep)\d{3}"
    r"|\d{4}(?P=sep)\d{4}(?P=sep)\d{1,7}|\d{6}(?P=sep)\d{4,5})(?![\w-]|\.\d))"
)


def luhn_valid(digits: str) -> bool:
    """Return whether *digits* pass the Luhn checksum.

    .. versionadded:: 0.1.0
    """
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2  # noqa: PLR2004
        total += value
    return total % 10 == 0


def _known_issuer(digits: str) -> bool:
    length = len(digits)
    two, four = int(digits[:2]), int(digits[:4])
    six = int(digits[:6])
    if digits[0] == "4":
        return length in {13, 16, 19}
    if 51 <= two <= 55 or 2221 <= four <= 2720:  # noqa: PLR2004 - Mastercard IIN ranges
        return length == 16  # noqa: PLR2004
    if two in {34, 37}:  # American Express
        return length == 15  # noqa: PLR2004
    if four == 6011 or two == 65 or 644 <= int(digits[:3]) <= 649 or 622126 <= six <= 622925:  # noqa: PLR2004
        return 16 <= length <= 19  # noqa: PLR2004 - Discover
    if two == 35:  # noqa: PLR2004 - JCB (3528-3589, and test ranges that use all of 35)
        return 16 <= length <= 19  # noqa: PLR2004
    if 300 <= int(digits[:3]) <= 305 or two in {36, 38, 39}:  # noqa: PLR2004 - Diners Club
        return 14 <= length <= 19  # noqa: PLR2004
    if two in {62, 81}:
        return 16 <= length <= 19  # noqa: PLR2004
    if two in {50, 56, 57, 58, 63, 67}:  # Maestro
        return 12 <= length <= 19  # noqa: PLR2004
    return False


def _card_layout(groups: list[str]) -> bool:
    """Whether separated digit groups are laid out as cards print them.

    Cards are grouped in fours (the last group may be shorter or longer), or
    4-6-5 / 4-6-4 (American Express, Diners). Other layouts are ranges and
    ids ("422526-5429430").
    """
    lengths = [len(group) for group in groups]
    if lengths in ([4, 6, 5], [4, 6, 4]):
        return True
    return all(length == 4 for length in lengths[:-1]) and 1 <= lengths[-1] <= 7  # noqa: PLR2004


class CreditCardDetector:
    """Detect payment card numbers (PANs).

    A run of 13 to 19 digits, optionally grouped by spaces or dashes in the
    layouts cards use (``4111 1111 1111 1111``, ``3782 822463 10005``),
    counts only if it passes the Luhn check and starts with a known issuer prefix
    (Visa, Mastercard, American Express, Discover, JCB, Diners, UnionPay,
    Maestro) at a length that issuer uses.

    .. versionadded:: 0.1.0
    """

    name = "credit_card"
    kind = "credit_card"
    triggers = (DIGITS,)
    priority = 45

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, runs: DigitRuns | None = None) -> None:
        self._pattern = compile_dual(_PATTERN, timeout=timeout)
        self._runs = runs if runs is not None else DigitRuns()

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the card numbers in *text*."""
        return detect_by_lines(text, self._detect, self._pattern.timeout, max_match=_MAX_MATCH)

    def _detect(self, text: str) -> Iterator[Finding]:
        deadline = Deadline(text, self._pattern.timeout)
        for low, high in self._runs.windows(text, before=2, after=8, min_digits=12):
            yield from self._detect_in(text, low, high, deadline)

    def _detect_in(self, text: str, low: int, high: int, deadline: Deadline) -> Iterator[Finding]:
        for match in self._pattern.finditer_in(text, low, high):
            deadline.tick()
            raw = match.group()
            separators = {c for c in raw if not c.isdigit()}
            if len(separators) > 1:
                continue
            if separators and not _card_layout(raw.split(separators.pop())):
                continue
            digits = raw.replace(" ", "").replace("-", "")
            if _known_issuer(digits) and luhn_valid(digits):
                yield new_finding(match.start(), match.end(), self.kind, self.name)
