"""Building blocks shared by the regex-based detectors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

import regex

from redactlog._finding import Finding

__all__ = ["DIGITS", "RegexDetector", "compile_dual"]

DIGITS: Final = "<digits>"
"""Trigger for detectors of digit runs (phones, SSNs, cards): see :class:`~redactlog.typing.Detector`."""

SHORT_TEXT: Final = 4096
"""Texts up to this length are matched with :mod:`re`, longer ones with :mod:`regex` and a timeout."""

DEFAULT_TIMEOUT: Final = 0.25
"""Seconds one pattern may spend on one long text before the redactor fails closed."""


class DualPattern:
    """A pattern compiled twice: ``re`` for short texts, ``regex`` with a timeout for long ones.

    The ``regex`` module's ``timeout=`` costs about 1.6 microseconds a call, too
    much for the short-record hot path, where bounded patterns run in
    microseconds anyway. Long texts are where a time bound matters.
    """

    __slots__ = ("_long", "_short", "timeout")

    def __init__(self, pattern: str, flags: int = 0, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._long = regex.compile(pattern, flags | regex.V0)
        try:
            self._short: re.Pattern[str] | None = re.compile(pattern, flags)
        except re.error:
            self._short = None
        self.timeout = timeout

    def finditer(self, text: str) -> Iterator[re.Match[str]] | Iterator[regex.Match[str]]:
        """Iterate over matches; raises :class:`TimeoutError` past the time bound."""
        if self._short is not None and len(text) <= SHORT_TEXT:
            return self._short.finditer(text)
        matches: Iterator[regex.Match[str]] = self._long.finditer(text, timeout=self.timeout)
        return matches

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | regex.Match[str] | None:
        """Return the first match in ``text[pos:endpos]``."""
        end = len(text) if endpos is None else endpos
        if self._short is not None and end - pos <= SHORT_TEXT:
            return self._short.search(text, pos, end)
        return self._long.search(text, pos, end, timeout=self.timeout)


def compile_dual(pattern: str, flags: int = 0, *, timeout: float = DEFAULT_TIMEOUT) -> DualPattern:
    """Compile *pattern* for both engines (see :class:`DualPattern`)."""
    return DualPattern(pattern, flags, timeout=timeout)


class RegexDetector:
    r"""A detector made of one regular expression and an optional validator.

    This is the quickest way to add your own detector::

        employee_ids = RegexDetector(
            "employee_id", r"\bEMP-\d{6}\b", kind="employee_id", triggers=("EMP-",)
        )
        redactor = Redactor(add=[employee_ids])

    Args:
        name: Unique detector name.
        pattern: Regular expression (``re`` syntax).
        kind: Kind reported in findings and placeholders; defaults to *name*.
        triggers: Literals one of which every match contains (see
            :class:`~redactlog.typing.Detector`); ``None`` runs the pattern on
            every text.
        flags: ``re`` flags.
        group: Group whose span is the secret (0, the whole match, by default);
            lets a pattern require context that is not itself masked.
        validate: Called with the secret's text; the match is kept only if it
            returns true.
        priority: Wins overlaps against lower priorities.
        timeout: Seconds the pattern may run on one long text.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_pattern", "group", "kind", "name", "priority", "triggers", "validate")

    def __init__(  # noqa: PLR0913 - a declarative constructor; all but two are keywords
        self,
        name: str,
        pattern: str,
        *,
        kind: str | None = None,
        triggers: tuple[str, ...] | None = None,
        flags: int = 0,
        group: int | str = 0,
        validate: Callable[[str], bool] | None = None,
        priority: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.name = name
        self.kind = kind or name
        self.triggers = triggers
        self.group = group
        self.validate = validate
        self.priority = priority
        self._pattern = compile_dual(pattern, flags, timeout=timeout)

    def __repr__(self) -> str:
        return f"RegexDetector({self.name!r}, kind={self.kind!r})"

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield a finding for every validated match in *text*."""
        group, validate, kind, name = self.group, self.validate, self.kind, self.name
        for match in self._pattern.finditer(text):
            start, end = match.span(group)
            if start < 0 or start == end:
                continue
            if validate is not None and not validate(text[start:end]):
                continue
            yield Finding(start, end, kind, name)
