"""Cut a text without leaving a fragment of a secret at the cut.

A secret that straddles a cut is split into a fragment that no detector
recognises any more (``alice@exa``, ``4111 1111 1111 1``). The redactor cuts
texts longer than ``Limits.max_length`` and the request loggers cut bodies,
paths and query strings at their caps; both drop what the cut ran into.
"""

from __future__ import annotations

import re

__all__ = ["cut_cleanly", "trim_partial_token"]

# A word (token) character is anything but a blank or a delimiter; digits and number
# punctuation make up phones, SSNs and card numbers, whose groups are split by
# spaces and dashes, so the groups before a cut token are fragments too.
_WORD_CHARACTER = r"""[^\s"',;&<>(){}\[\]=:|]"""
_NUMBER_CHARACTER = r"[\d\s+().\-/]"
# Matched from the start of the *reversed* text: a search for "[...]*\Z" is
# tried at every position and each try runs to the end of its run, quadratic
# time in a long run that does not reach the end (a cut body of one long word).
_PARTIAL_TOKEN_REVERSED = re.compile(_WORD_CHARACTER + "*")
_NUMBER_TAIL_REVERSED = re.compile(_NUMBER_CHARACTER + "*")
_IS_WORD_CHARACTER = re.compile(_WORD_CHARACTER).match
_IS_NUMBER_CHARACTER = re.compile(_NUMBER_CHARACTER).match


def trim_partial_token(text: str) -> str:
    """Drop the token the cut ran into, and any digit groups before it."""
    return _trimmed(text, token=True)


def cut_cleanly(text: str, length: int) -> str:
    """Return at most *length* characters from the start of *text*, without what the cut ran into.

    A cut inside a token drops the token (and digit groups before it); a cut
    between the groups of a number ("+44 20 7946" of "+44 20 7946 0958") drops
    the groups. A cut at a delimiter keeps everything before it.
    """
    head = text[:length]
    if length >= len(text) or not head:
        return head
    after = text[length]
    if _IS_WORD_CHARACTER(after):
        return _trimmed(head, token=True)
    if _IS_NUMBER_CHARACTER(after) and _IS_NUMBER_CHARACTER(head[-1]):
        return _trimmed(head, token=False)
    return head


def _trimmed(text: str, *, token: bool) -> str:
    """*text* without its trailing token (when *token*), then without the number groups before it."""
    reversed_text = text[::-1]
    token_end = _PARTIAL_TOKEN_REVERSED.match(reversed_text).end() if token else 0  # type: ignore[union-attr]  # "*" always matches
    tail = _NUMBER_TAIL_REVERSED.match(reversed_text, token_end).end()  # type: ignore[union-attr]  # as above
    return text[: len(text) - tail]
