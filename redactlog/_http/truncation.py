"""Make a body prefix cut at the cap safe to scrub: no partial token, no open string.

A secret that straddles the cap is cut into a fragment that no detector
recognises any more (``alice@exa``, ``+44 20 79``). Everything here removes such
fragments, or closes what the cut left open, so that the detectors and the
key-aware rules see complete values.
"""

from __future__ import annotations

import json
import re

from redactlog._cut import trim_partial_token

__all__ = ["close_open_string", "repair_json", "trim_partial_token"]

# Double-quoted strings with backslash escapes, and (outside them) brackets;
# backslashes escape only inside strings. A string runs to its closing quote
# or to the end of the text, so every attempt at a quote succeeds and re never
# rescans a string: linear time, in C, instead of a Python loop per character.
_STRING = r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)'
_STRINGS = re.compile(_STRING, re.DOTALL)
_STRINGS_AND_BRACKETS = re.compile(rf"{_STRING}|[\[\]{{}}]", re.DOTALL)
# How a string found by _STRING ends: its closing quote, a lone backslash, or nothing.
_STRING_END = re.compile(r'"(?:[^"\\]++|\\.)*+(?P<end>["\\]?)', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_OPENERS = frozenset("[{")
_CLOSERS = frozenset("]}")


def close_open_string(text: str) -> str:
    """Append ``"`` if *text* ends inside a double-quoted string (JSON-style escapes).

    ``"password": "correct horse`` then reads ``"password": "correct horse"``,
    which the key-aware rules mask; without the quote they would not.
    """
    return text + '"' if _in_string(text) else text


def repair_json(text: str) -> object | None:
    """Parse a JSON prefix by closing what the cut left open; ``None`` if that fails.

    The prefix should already be trimmed (:func:`trim_partial_token`). An
    unfinished string is closed, a dangling ``,`` dropped, a key without a
    value given ``null``, and open arrays and objects closed, so the prefix
    can take the structural, key-aware path like a complete body.
    """
    stack: list[str] = []
    if "\\" in text:
        pieces = _STRINGS_AND_BRACKETS.findall(text)
        in_string, escaped = _open_string(pieces[-1] if pieces else "")
    else:
        # Without a backslash every quote delimits a string: the brackets are
        # those between the quotes, found in C.
        between_quotes = text.split('"')
        pieces = _BRACKETS.findall("".join(between_quotes[0::2]))
        in_string, escaped = len(between_quotes) % 2 == 0, False
    for piece in pieces:
        if piece in _OPENERS:
            stack.append("]" if piece == "[" else "}")
        elif piece in _CLOSERS:
            if not stack:
                return None
            stack.pop()
    if not stack:
        return None
    if in_string:
        text = text[:-1] if escaped else text
        text += '"'
    text = text.rstrip()
    if text.endswith(","):
        text = text[:-1].rstrip()
    if text.endswith(":"):
        text += "null"
    elif stack[-1] == "}" and text.endswith('"') and _awaits_colon(text):
        text += ":null"
    try:
        value: object = json.loads(text + "".join(reversed(stack)))
    except (ValueError, RecursionError):
        return None
    return value


def _awaits_colon(text: str) -> bool:
    """Whether the string that ends *text* is an object key (it follows ``{`` or ``,``)."""
    start = _string_start(text)
    before = text[:start].rstrip()
    return before.endswith(("{", ","))


def _string_start(text: str) -> int:
    """Index of the opening quote of the complete string that ends *text*."""
    index = len(text) - 2
    while index >= 0:
        if text[index] == '"':
            backslashes = 0
            probe = index - 1
            while probe >= 0 and text[probe] == "\\":
                backslashes += 1
                probe -= 1
            if backslashes % 2 == 0:
                return index
        index -= 1
    return 0


def _in_string(text: str) -> bool:
    if "\\" not in text:  # every quote delimits a string
        return text.count('"') % 2 == 1
    strings = _STRINGS.findall(text)
    return bool(strings) and _open_string(strings[-1])[0]


def _open_string(piece: str) -> tuple[bool, bool]:
    """Whether the last string or bracket of a text is a string left open, and whether it ends in a lone backslash."""
    string = _STRING_END.fullmatch(piece) if piece[:1] == '"' else None
    if string is None or string["end"] == '"':
        return False, False
    return True, string["end"] == "\\"
