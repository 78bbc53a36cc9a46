"""Protocols for the pluggable parts of redactlog.

Anything with the right shape works: there is no base class to inherit from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from redactlog._finding import Finding

__all__ = ["Detector", "Mask"]


@runtime_checkable
class Detector(Protocol):
    """Finds sensitive substrings in a text.

    A detector must be pure and thread-safe: one instance serves every thread
    and task. It may raise; the :class:`~redactlog.Redactor` then fails closed
    (masks the whole text) instead of letting the text through.

    Attributes:
        name: Unique name; ``Redactor(disable=[name])`` removes the detector and
            a detector given in ``Redactor(add=[...])`` with the same name
            replaces it.
        triggers: Literal substrings, one of which occurs in every text the
            detector can match, or ``None`` to be called on every text. The
            redactor skips the detector (and, when no detector is triggered,
            the whole text) without calling it: this is what makes clean log
            records nearly free. The special trigger ``"<digits>"`` stands for
            "a run of digits that could be a phone, SSN or card number": at
            least seven digits joined by separators, not a date, a time or
            an IPv4 address. Bare numbers of seven to eleven digits, two bare
            groups of seven or eight, and digits glued to a word count only
            with a phone or SSN context word in the text, as the built-in
            detectors need one there; digits that run into a lower-case hex
            word ("4 066937dd") may not count, as no built-in pattern ends a
            number before a letter.
        priority: When findings of different detectors overlap, the merged
            placeholder takes the kind of the highest priority finding.

    A detector may also have a ``keywords`` attribute: lower-case words one of
    which must occur (in any case) *as well as* a trigger, e.g. ``"bearer"`` for
    a detector triggered by ``":"``. The redactor lowers each text at most once
    for all detectors' keywords. Instead of keywords, a detector may have a
    ``might_match(text) -> bool`` method, called once a trigger occurred: it
    must return ``True`` for every text in which the detector can find
    something, and should be much cheaper than ``detect``. A detector whose
    ``might_match`` gives one answer for all texts that differ only in their
    digits 1 to 9 may say so with ``might_match_ignores_digits = True``: the
    redactor then asks it about the text with its digits written as ``0``
    and remembers the answer for such texts. If its answer is also the same
    for texts that differ only in their hex words (ids and hashes such as
    ``3fa2b9c1``, written as ``f``), it may say so with
    ``might_match_ignores_hex_words = True``; without that, the redactor
    keeps hex words in the texts it asks about (and remembers less).
    """

    @property
    def name(self) -> str:
        """Unique name of the detector."""
        ...

    @property
    def triggers(self) -> tuple[str, ...] | None:
        """Literals one of which every match contains, or ``None``."""
        ...

    @property
    def priority(self) -> int:
        """Rank of this detector's kind when findings overlap."""
        ...

    def detect(self, text: str, /) -> Iterable[Finding]:
        """Return the findings in *text*, in any order, possibly overlapping."""
        ...


@runtime_checkable
class Mask(Protocol):
    """Turns a detected secret into its placeholder.

    A mask must also recognise its own placeholders, so that redacting twice
    changes nothing and placeholders are never mistaken for secrets.
    """

    def __call__(self, secret: str, kind: str, /) -> str:
        """Return the placeholder that replaces *secret* of the given *kind*."""
        ...

    def placeholders(self, text: str, /) -> Iterator[tuple[int, int]]:
        """Yield the ``(start, end)`` ranges of this mask's placeholders in *text*."""
        ...
