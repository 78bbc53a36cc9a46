"""Building blocks shared by the regex-based detectors."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Final

import regex

from redactlog._finding import Finding, new_finding

__all__ = ["DIGITS", "Deadline", "RegexDetector", "compile_dual", "detect_by_lines"]

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

    def __init__(
        self, pattern: str, flags: int = 0, *, timeout: float = DEFAULT_TIMEOUT, bound_short: bool = False
    ) -> None:
        self._long = regex.compile(pattern, flags | regex.V0)
        self._short: re.Pattern[str] | None = None
        if not bound_short:
            try:
                self._short = re.compile(pattern, flags)
            except re.error:
                self._short = None
        self.timeout = timeout

    def finditer(self, text: str) -> Iterator[re.Match[str]] | Iterator[regex.Match[str]]:
        """Iterate over matches; raises :class:`TimeoutError` past the time bound."""
        if self._short is not None and len(text) <= SHORT_TEXT:
            return self._short.finditer(text)
        matches: Iterator[regex.Match[str]] = self._long.finditer(text, timeout=self.timeout)
        return matches

    def finditer_in(self, text: str, pos: int, endpos: int) -> Iterator[re.Match[str]] | Iterator[regex.Match[str]]:
        """Iterate over the matches in ``text[pos:endpos]`` (look-arounds see the whole text)."""
        if self._short is not None and endpos - pos <= SHORT_TEXT:
            return self._short.finditer(text, pos, endpos)
        matches: Iterator[regex.Match[str]] = self._long.finditer(text, pos, endpos, timeout=self.timeout)
        return matches

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | regex.Match[str] | None:
        """Return the match starting exactly at *pos* in ``text[:endpos]``."""
        end = len(text) if endpos is None else endpos
        if self._short is not None and end - pos <= SHORT_TEXT:
            return self._short.match(text, pos, end)
        return self._long.match(text, pos, end, timeout=self.timeout)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | regex.Match[str] | None:
        """Return the first match in ``text[pos:endpos]``."""
        end = len(text) if endpos is None else endpos
        if self._short is not None and end - pos <= SHORT_TEXT:
            return self._short.search(text, pos, end)
        return self._long.search(text, pos, end, timeout=self.timeout)


class Deadline:
    """A time bound on the Python-level work a detector does for one long text.

    The ``regex`` timeout bounds each pattern, not the validation a detector
    runs per match (Luhn, ``phonenumbers``, JSON decoding). A text built to
    produce a huge number of matches could still take seconds; :meth:`tick`
    raises :class:`TimeoutError` once the bound is exceeded, so the redactor
    fails closed. Short texts are never bounded (and cost one comparison).
    """

    __slots__ = ("_at", "_count")

    def __init__(self, text: str, timeout: float = DEFAULT_TIMEOUT, *, always: bool = False) -> None:
        self._at = time.monotonic() + timeout if always or len(text) > SHORT_TEXT else 0.0
        self._count = 0

    @property
    def bounded(self) -> bool:
        """Whether :meth:`tick` checks the clock at all (``False`` for a short text)."""
        return bool(self._at)

    def tick(self) -> None:
        """Count one unit of work; raise :class:`TimeoutError` past the bound."""
        if self._at:
            self._count += 1
            # Reading the clock costs more than the check; do it every 64 units.
            if not self._count & 63 and time.monotonic() > self._at:
                msg = "detector exceeded its time bound"
                raise TimeoutError(msg)


_LEAD: Final = 64
"""Characters of context a windowed detector may look at before a match (phone context words)."""


def detect_by_lines(
    text: str,
    detect: Callable[[str], Iterator[Finding]],
    timeout: float = DEFAULT_TIMEOUT,
    *,
    max_match: int | None = None,
) -> Iterator[Finding]:
    """Run *detect* on a long *text* in pieces of whole lines, each at most :data:`SHORT_TEXT` long.

    For detectors whose matches never span a line break. Pieces that short
    run on :mod:`re`, several times faster than :mod:`regex` on long texts
    of ordinary log lines. A single line longer than that runs on
    :mod:`regex` with its timeout, unless *max_match* bounds the length of a
    match: then the line is cut into overlapping windows that each run on
    :mod:`re` (see :func:`_windows`). The whole walk is bounded by *timeout*:
    past it, :class:`TimeoutError` makes the redactor fail closed.

    Short texts are passed to *detect* directly.
    """
    if len(text) <= SHORT_TEXT:
        # No generator layer on the hot path: most log records are short.
        return detect(text)
    return _by_lines(text, detect, timeout, max_match)


def _by_lines(
    text: str,
    detect: Callable[[str], Iterator[Finding]],
    timeout: float,
    max_match: int | None,
) -> Iterator[Finding]:
    length = len(text)
    until = time.monotonic() + timeout
    start = 0
    while start < length:
        end = start + SHORT_TEXT
        if end >= length:
            end = length
        else:
            cut = text.rfind("\n", start, end)
            end = cut if cut > start else text.find("\n", end)
            if end < 0:
                end = length
        if max_match is not None and end - start > SHORT_TEXT:
            yield from _windows(text, start, end, detect=detect, max_match=max_match, until=until)
        else:
            for finding in detect(text[start:end]):
                yield new_finding(finding.start + start, finding.end + start, finding.kind, finding.detector)
        _check(until)
        start = end + 1


def _windows(  # noqa: PLR0913 - keyword-only internals of detect_by_lines
    text: str,
    start: int,
    end: int,
    *,
    detect: Callable[[str], Iterator[Finding]],
    max_match: int,
    until: float,
) -> Iterator[Finding]:
    """Run *detect* over ``text[start:end]`` in overlapping windows of :data:`SHORT_TEXT` characters.

    Each window is responsible for the matches that start in its middle part
    and sees :data:`_LEAD` characters before it (context) and *max_match*
    after it, so every such match lies wholly inside the window and is
    found exactly once. Matches that start in the margins belong to the
    neighbouring windows; a margin can hold a cut token that looks like a
    match start, which is why they are discarded rather than kept.
    """
    step = SHORT_TEXT - _LEAD - max_match
    owned = start
    while owned < end:
        low = max(start, owned - _LEAD)
        high = min(end, owned + step + max_match)
        limit = min(end, owned + step)
        for finding in detect(text[low:high]):
            found = finding.start + low
            if owned <= found < limit:
                yield new_finding(found, finding.end + low, finding.kind, finding.detector)
        _check(until)
        owned += step


def _check(until: float) -> None:
    if time.monotonic() > until:
        msg = "detector exceeded its time bound"
        raise TimeoutError(msg)


def compile_dual(
    pattern: str, flags: int = 0, *, timeout: float = DEFAULT_TIMEOUT, bound_short: bool = False
) -> DualPattern:
    """Compile *pattern* for both engines (see :class:`DualPattern`).

    With *bound_short*, short texts run under the time bound too: for
    patterns nobody has audited for linear running time.
    """
    return DualPattern(pattern, flags, timeout=timeout, bound_short=bound_short)


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
        keywords: Lower-case words one of which must also occur, in any case
            (see :class:`~redactlog.typing.Detector`).
        audited: ``True`` only for patterns proven to run in linear time: they
            skip the time bound (about 1.6 microseconds a call) on texts of up
            to 4,096 characters. By default every text is bounded.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_pattern", "group", "keywords", "kind", "name", "priority", "triggers", "validate")

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
        keywords: tuple[str, ...] | None = None,
        audited: bool = False,
    ) -> None:
        self.name = name
        self.kind = kind or name
        self.triggers = triggers
        self.keywords = keywords
        self.group = group
        self.validate = validate
        self.priority = priority
        # A pattern of yours may backtrack catastrophically on a short text as
        # well, so it runs under the time bound on every text; the built-in
        # patterns are audited for linear running time and skip the bound on
        # short texts, where its cost would dominate.
        self._pattern = compile_dual(pattern, flags, timeout=timeout, bound_short=not audited)

    def __repr__(self) -> str:
        return f"RegexDetector({self.name!r}, kind={self.kind!r})"

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield a finding for every validated match in *text*."""
        group, validate, kind, name = self.group, self.validate, self.kind, self.name
        deadline = Deadline(text, self._pattern.timeout)
        for match in self._pattern.finditer(text):
            deadline.tick()
            start, end = match.span(group)
            if start < 0 or start == end:
                continue
            if validate is not None and not validate(text[start:end]):
                continue
            yield new_finding(start, end, kind, name)
