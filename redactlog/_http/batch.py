"""Redact many short strings with few engine calls.

A request summary holds dozens of short strings (header values, query
values, the strings of a JSON body). Most hold nothing sensitive, and one
scan over their concatenation costs a fraction of one call per string. The
strings are joined with a separator that no detector matches across (a NUL
and a newline); if a finding does reach across it, or a string contains it,
the strings are redacted one by one instead.

Joining must never find *less* than one call per string. Detectors that
look back from an anchor can be thrown off by an earlier, unrelated anchor
in the same text: the e-mail detector misses ``alice@example.com`` after
``bob@corp`` (reported upstream). So strings that hold an ``@`` in any of
its forms are always redacted on their own, never next to another string.

A request logger also remembers the short strings it found clean
(:class:`CleanTexts`): keys, enum values and header values recur on every
request to an endpoint, and a string the redactor once found clean it will
always find clean (it is immutable). Only strings not seen before reach the
engine. It also remembers, by hash only, the strings that held something to
mask: a customer's phone number sent again would otherwise wake the detectors
for the whole batch it joins, every time, and keep its clean neighbours from
ever being remembered; such a string is redacted on its own instead.
"""

from __future__ import annotations

from redactlog._engine import Redactor

__all__ = ["CleanTexts", "redact_many"]

_SEPARATOR = "\x00\n"
_AT_FORMS = ("@", "%40", "\\u0040", "&#64;", "&#x40;")

# Bounds of a CleanTexts memo: a client chooses the strings it sends, so the
# memo must not grow without bound (at most about 1 MiB of text).
_MEMO_SIZE = 4096
_MEMO_MAX_LENGTH = 256


class CleanTexts:
    """Short strings one redactor found clean, so that they are never scanned twice.

    Only strings the redactor returned unchanged are kept, so a hit returns
    exactly what the redactor would. Nothing here is ever logged by itself.
    Thread-safe: set operations are atomic under the GIL, and the set is
    cleared when full rather than evicted in order.
    """

    __slots__ = ("_held", "_texts", "field_names")

    def __init__(self) -> None:
        self._texts: set[str] = set()
        # Hashes (Python's per-process keyed str hash) of strings that held
        # something to mask, never the strings. Bounded.
        self._held: set[int] = set()
        # What a set of JSON field names decides (see jsonvalue.py): an
        # endpoint's bodies share theirs. Only sets of plain words; bounded.
        self.field_names: dict[frozenset[str], tuple[bool, frozenset[str]]] = {}

    def unknown(self, texts: list[str]) -> list[str]:
        """Return the distinct strings of *texts* not known to be clean, sorted.

        Set operations run in C; sorting gives every run the same batch order.
        """
        return sorted(set(texts).difference(self._texts))

    def remember(self, texts: list[str]) -> None:
        """Remember *texts*, which the redactor returned unchanged."""
        known = self._texts
        if len(known) + len(texts) > _MEMO_SIZE:
            known.clear()
        known.update(text for text in texts if len(text) <= _MEMO_MAX_LENGTH)

    def remember_held(self, texts: list[str]) -> None:
        """Remember that *texts* held something to mask (their hashes only)."""
        held = self._held
        if len(held) + len(texts) > _MEMO_SIZE:
            held.clear()
        held.update(map(hash, texts))

    def held(self, texts: list[str]) -> set[int]:
        """Return the indices of *texts* that held something to mask before (or collide with one that did)."""
        held = self._held
        if not held:
            return set()
        return {index for index, text in enumerate(texts) if hash(text) in held}


def redact_many(redactor: Redactor, texts: list[str], clean: CleanTexts | None = None) -> list[str]:
    """Return ``[redactor.redact(t) for t in texts]``, in as few engine calls as is safe.

    Each distinct string is scanned once. Strings in *clean* (found clean by
    the same redactor before) are not scanned again; strings found clean now
    are added to it, and strings that held something to mask are redacted on
    their own from then on. When nothing is found, *texts* itself is returned
    (test with ``is``).
    """
    # Redacting a string does not depend on its neighbours: one scan per distinct string.
    pending = list(dict.fromkeys(texts)) if clean is None else clean.unknown(texts)
    if not pending:
        return texts
    redacted = _redact_many(redactor, pending, set() if clean is None else clean.held(pending))
    if redacted is pending:
        if clean is not None:
            clean.remember(pending)
        return texts
    if clean is not None:
        kept = [text for text, result in zip(pending, redacted, strict=True) if result == text]
        clean.remember(kept)
        if len(kept) < len(pending):
            clean.remember_held([text for text, result in zip(pending, redacted, strict=True) if result != text])
    table = dict(zip(pending, redacted, strict=True))
    return list(map(table.get, texts, texts))  # table.get(text, text) for each, in C


def _redact_many(redactor: Redactor, texts: list[str], alone: set[int]) -> list[str]:
    """Redact *texts*, those at the indices in *alone* (and those holding an "@") one by one."""
    joined = _SEPARATOR.join(texts)
    if _has_at(joined):
        alone = alone | _holding_at(texts, joined)
    if not alone:  # the common case
        return _joined(redactor, texts, joined)
    together = [text for index, text in enumerate(texts) if index not in alone]
    redacted_together = _joined(redactor, together, _SEPARATOR.join(together))
    changed = redacted_together is not together
    pieces = iter(redacted_together)
    result: list[str] = []
    for index, text in enumerate(texts):
        if index in alone:
            redacted = redactor.redact(text)
            changed = changed or redacted != text
            result.append(redacted)
        else:
            result.append(next(pieces))
    return result if changed else texts


def _holding_at(texts: list[str], joined: str) -> set[int]:
    """Return the indices of the texts that hold an "@" in any of its forms.

    Found in *joined* (the texts joined with the separator) and placed by
    counting the separators before each one, rather than by testing every
    text for every form; unless a text holds the separator itself.
    """
    if joined.count("\x00") != len(texts) - 1:
        return {index for index, text in enumerate(texts) if _has_at(text)}
    holding: set[int] = set()
    for form in _AT_FORMS:
        # Separators are counted from the previous hit on, never again from
        # the start: a string of many "@" must not cost quadratic time.
        index = counted = 0
        at = joined.find(form)
        while at >= 0:
            index += joined.count(_SEPARATOR, counted, at)
            counted = at
            holding.add(index)
            at = joined.find(form, at + 1)
    return holding


def _has_at(text: str) -> bool:
    for form in _AT_FORMS:  # noqa: SIM110 - a generator costs more, once per string of a body
        if form in text:
            return True
    return False


def _joined(redactor: Redactor, texts: list[str], joined: str) -> list[str]:
    if len(texts) < 2:  # noqa: PLR2004 - nothing to batch
        redacted = [redactor.redact(text) for text in texts]
        return texts if redacted == texts else redacted
    if len(joined) > redactor.limits.max_length or joined.count("\x00") != len(texts) - 1:
        return [redactor.redact(text) for text in texts]
    redacted_text = redactor.redact(joined)
    if redacted_text == joined:
        return texts
    pieces = redacted_text.split(_SEPARATOR)
    if len(pieces) != len(texts):
        # A finding swallowed a separator: redo it string by string.
        return [redactor.redact(text) for text in texts]
    return pieces
