"""The value object every detector produces."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Finding", "new_finding"]


class Finding(NamedTuple):
    """A sensitive substring ``text[start:end]`` found by a detector.

    A finding never carries the matched value, so it is safe to log, count or
    report. It is an immutable named tuple: findings compare, sort and hash
    as ``(start, end, kind, detector)``.

    Args:
        start: Index of the first character of the match.
        end: Index one past the last character of the match.
        kind: Stable, public category such as ``"email"`` or ``"api_key"``;
            it appears in placeholders such as ``[REDACTED:email]``.
        detector: Name of the detector that produced the finding.
    """

    start: int
    end: int
    kind: str
    detector: str = ""


def new_finding(start: int, end: int, kind: str, detector: str) -> Finding:
    """Return ``Finding(start, end, kind, detector)`` without the named tuple's ``__new__``.

    Every match of every detector makes a finding. The generated
    ``__new__`` is a Python function around ``tuple.__new__``; hot loops
    call ``tuple.__new__(Finding, fields)`` themselves, others use this.
    """
    return tuple.__new__(Finding, (start, end, kind, detector))
