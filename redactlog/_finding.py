"""The value object every detector produces."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding"]


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """A sensitive substring ``text[start:end]`` found by a detector.

    A finding never carries the matched value, so it is safe to log, count or
    report.

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
