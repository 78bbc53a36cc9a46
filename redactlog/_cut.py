"""Cut a text without leaving a fragment of a secret at the cut.

A secret that straddles a cut is split into a fragment that no detector
recognises any more (``alice@exa``, ``4111 1111 1111 1``). The redactor cuts
texts longer than ``Limits.max_length`` and the request loggers cut bodies,
paths and query strings at their caps; both drop what the cut ran into.
"""

from __future__ import annotations

import re

__all__ = ["cut_cleanly", "trim_partial_token"]

# The trailing run of token characters after the last delimiter, then any run
# of digits and number punctuation before it (phones, SSNs and card numbers
# contain spaces and dashes, so their earlier groups are fragments too).
# Matched from the start of the *reversed* text: a search for "[...]*\Z" is
# tried at every position and each try runs to the end of its run, quadratic
# time in a long run that does not reach the end (a cut body of one long word).
_PARTIAL_TOKEN_REVERSED = re.compile(r"[^\s\"',;&<>(){}\[\]=:|]*")
_NUMBER_TAIL_REVERSED = re.compile(r"[\d\s+().\-/]*")
_TOKEN_CHARACTER = re.compile(r"[^\s\"',;&<>(){}\[\]=:|]")
_NUMBER_CHARACTER = re.compile(r"[\d\s+().\-/]")


def trim_partial_token(text: str) -> str:
    """Drop the token the cut ran into, and any digit groups before it."""
    reversed_text = text[::-1]
    token_end = _PARTIAL_TOKEN_REVERSED.match(reversed_text).end()  # type: ignore[union-attr]  # "*" always matches
    tail = _NUMBER_TAIL_REVERSED.match(reversed_text, token_end).end()  # type: ignore[union-attr]  # as above
    return text[: len(text) - tail]


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
    if _TOKEN_CHARACTER.match(after):
        return trim_partial_token(head)
    if _NUMBER_CHARACTER.match(after) and _NUMBER_CHARACTER.match(head[-1]):
        tail = _NUMBER_TAIL_REVERSED.match(head[::-1]).end()  # type: ignore[union-attr]  # "*" always matches
        return head[: len(head) - tail]
    return head
