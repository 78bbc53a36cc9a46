"""US Social Security numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactlog._finding import Finding, new_finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, DIGITS, Deadline, compile_dual, detect_by_lines
from redactlog.detectors._digits import DigitRuns

__all__ = ["USSocialSecurityNumberDetector", "is_valid_ssn"]

_MAX_MATCH = 96
"""The longest match: a context phrase, up to 25 characters of filler and nine digits."""

# Numbers printed in advertising and specimen cards, never issued to anyone.
_SAMPLES = frozenset({"078051120", "219099999", "457555462", "123456789", "111111111", "333333333"})

# A bare SSN needs nine digits in a row; texts without them skip the context search.
_NINE_DIGITS = re.compile(r"\d{9}")
_SEPARATED = r"(?P<a>\d(?<![\w.-]\d)\d\d)(?P<sep>[- ])(?P<g>\d{2})(?P=sep)(?P<s>\d{4})(?![\w-]|\.\d)"
_CONTEXT = (
    r"(?i:\b(?:ssn|ss\#|soc(?:ial)?[ ._-]{0,2}sec(?:urity)?(?:[ ._-]{0,2}(?:number|num|no))?))"
    r"[^\w\n]{0,20}(?:is|was|number|num|no)?[^\w\n]{0,5}(?P<bare>\d{9})(?!\d)"
)


def is_valid_ssn(digits: str) -> bool:
    """Return whether nine *digits* follow the SSA's assignment rules.

    Area 000, 666 and 900-999, group 00 and serial 0000 were never issued,
    nor were the well-known sample numbers.

    .. versionadded:: 0.1.0
    """
    if len(digits) != 9 or not digits.isdigit():  # noqa: PLR2004
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return not (area in {"000", "666"} or area[0] == "9" or group == "00" or serial == "0000" or digits in _SAMPLES)


class USSocialSecurityNumberDetector:
    """Detect US Social Security numbers.

    Dashed (``123-45-6789``) and spaced forms are found anywhere; a bare run
    of nine digits only after SSN context ("SSN", "social security number",
    "SS#"), since order numbers and ids look just the same. Numbers that
    were never issued are rejected (see :func:`is_valid_ssn`).

    .. versionadded:: 0.1.0
    """

    name = "us_ssn"
    kind = "us_ssn"
    triggers = (DIGITS,)
    priority = 40

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, runs: DigitRuns | None = None) -> None:
        self._separated = compile_dual(_SEPARATED, timeout=timeout)
        self._runs = runs if runs is not None else DigitRuns()
        self._context = compile_dual(_CONTEXT, timeout=timeout)

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the SSNs in *text*."""
        return detect_by_lines(text, self._detect, self._separated.timeout, max_match=_MAX_MATCH)

    def _detect(self, text: str) -> Iterator[Finding]:
        deadline = Deadline(text, self._separated.timeout)
        for low, high in self._runs.windows(text, before=2, after=8, min_digits=9):
            for match in self._separated.finditer_in(text, low, high):
                deadline.tick()
                if is_valid_ssn(match["a"] + match["g"] + match["s"]):
                    yield new_finding(match.start(), match.end(), self.kind, self.name)
        # Every context word holds "ss" ("SSN", "SS#") or "soc" ("social security").
        lowered = text.lower()
        if ("ss" in lowered or "soc" in lowered) and _NINE_DIGITS.search(text) is not None:
            for match in self._context.finditer(text):
                deadline.tick()
                if is_valid_ssn(match["bare"]):
                    yield new_finding(match.start("bare"), match.end("bare"), self.kind, self.name)
