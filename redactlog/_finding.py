"""The value object every detector produces."""

from __future__ import annotations

from collections.abc import Callable
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

    def __init__(self, start: int, end: int, kind: str, detector: str = "") -> None:
        # Every match of every detector makes one: the __init__ a frozen
        # dataclass generates (object.__setattr__ per field) costs twice this.
        _set_start(self, start)
        _set_end(self, end)
        _set_kind(self, kind)
        _set_detector(self, detector)


def _slot_setter(name: str) -> Callable[[Finding, object], None]:
    # A slot's own setter bypasses the frozen __setattr__, which refuses every write.
    setter: Callable[[Finding, object], None] = vars(Finding)[name].__set__
    return setter


_set_start = _slot_setter("start")
_set_end = _slot_setter("end")
_set_kind = _slot_setter("kind")
_set_detector = _slot_setter("detector")
