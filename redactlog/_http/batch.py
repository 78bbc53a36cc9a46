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
"""

from __future__ import annotations

from redactlog._engine import Redactor

__all__ = ["redact_many"]

_SEPARATOR = "\x00\n"
_AT_FORMS = ("@", "%40", "\\u0040", "&#64;", "&#x40;")


def redact_many(redactor: Redactor, texts: list[str]) -> list[str]:
    """Return ``[redactor.redact(t) for t in texts]``, in as few engine calls as is safe.

    When nothing is found, *texts* itself is returned (test with ``is``).
    """
    joined = _SEPARATOR.join(texts)
    if not _has_at(joined):  # the common case, decided on the joined text at C speed
        return _joined(redactor, texts, joined)
    together = [text for text in texts if not _has_at(text)]
    redacted_together = _joined(redactor, together, _SEPARATOR.join(together))
    changed = redacted_together is not together
    pieces = iter(redacted_together)
    result: list[str] = []
    for text in texts:
        if _has_at(text):
            redacted = redactor.redact(text)
            changed = changed or redacted != text
            result.append(redacted)
        else:
            result.append(next(pieces))
    return result if changed else texts


def _has_at(text: str) -> bool:
    return any(form in text for form in _AT_FORMS)


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
