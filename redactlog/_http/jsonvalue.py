"""Key-aware redaction of a parsed JSON document, with one engine call for all its strings.

The same rules as :meth:`Redactor.redact_value`: a value under a sensitive
key is masked whatever it looks like, and every string is redacted. Two
differences, both for request bodies: object *keys* are redacted too (a key
can be an e-mail address), and all strings go through the engine in one
batch (:func:`~redactlog._http.batch.redact_many`), which makes the common
body with nothing sensitive in it several times cheaper to log.

Two passes walk the document in the same order: the first collects the
strings to redact (skipping what a sensitive key masks whole), the second
rebuilds the document from the redacted strings. A document with nothing to
mask is returned as it is, without the second pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from redactlog._engine import Redactor
from redactlog._http.batch import redact_many
from redactlog._http.masking import mask

__all__ = ["is_clean_json", "redact_json"]

# Every string token of a *valid* JSON text, and whether it is an object key.
# (Unrolled: one character class per run instead of an alternation per character.)
_TOKEN = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:)?', re.DOTALL)


def is_clean_json(redactor: Redactor, text: str) -> bool:
    """Whether valid JSON *text* has no sensitive key and no string with anything to mask.

    The common case, decided without walking the parsed document: the
    string tokens are picked out of the text by one regular expression and
    scanned in one batch.
    """
    tokens = _TOKEN.findall(text)
    strings = [raw for raw, _ in tokens]
    if "\\" in text:  # \u0040 and friends: decode before scanning
        strings = [json.loads(f'"{raw}"') if "\\" in raw else raw for raw in strings]
    keys = {string for string, (_, colon) in zip(strings, tokens, strict=True) if colon}
    kind_of = redactor.sensitive_keys.kind_of
    if any(kind_of(key) is not None for key in keys):
        return False
    return redact_many(redactor, strings) is strings


def redact_json(redactor: Redactor, value: object) -> object:
    """Return a redacted copy of *value*, a document from :func:`json.loads` (or *value* if clean)."""
    strings: list[str] = []
    masked = _collect(redactor, value, strings, 0)
    redacted = redact_many(redactor, strings)
    if not masked and redacted is strings:
        return value
    return _rebuild(redactor, value, iter(redacted), 0)


def _masks(redactor: Redactor, key: object, item: object) -> str | None:
    """The kind of secret *item* is, if its key says it is masked whole."""
    kind = redactor.sensitive_keys.kind_of(key)
    if kind is None or item is None or item == "" or type(item) is bool:
        return None
    return kind


def _collect(redactor: Redactor, value: object, strings: list[str], depth: int) -> bool:
    """Append the strings to redact, in walk order; return whether anything is masked by key or depth."""
    # The hot path of every logged JSON body: exact type checks and local names on purpose.
    kind = type(value)
    if kind is str:
        strings.append(value)  # type: ignore[arg-type]  # checked: type is str
        return False
    if kind is not dict and kind is not list:
        return False  # numbers, booleans and null, as the engine's walker keeps them
    if depth >= redactor.limits.max_depth:
        return True
    masked = False
    depth += 1
    if kind is list:
        for item in value:  # type: ignore[attr-defined]  # checked: a list
            if type(item) is str:
                strings.append(item)
            elif _collect(redactor, item, strings, depth):
                masked = True
        return masked
    kind_of = redactor.sensitive_keys.kind_of
    for key, item in value.items():  # type: ignore[attr-defined]  # checked: a dict
        strings.append(key)
        if type(item) is str:
            if item and kind_of(key) is not None:
                masked = True
            else:
                strings.append(item)
        elif _masks(redactor, key, item) is not None or _collect(redactor, item, strings, depth):
            masked = True
    return masked


def _rebuild(redactor: Redactor, value: object, strings: Iterator[str], depth: int) -> object:
    """Rebuild *value* from the redacted strings, in the order :func:`_collect` took them."""
    if type(value) is str:
        return next(strings)
    if not isinstance(value, dict | list):
        return value
    if depth >= redactor.limits.max_depth:
        return mask(redactor, "", "too_deep")
    if isinstance(value, list):
        return [_rebuild(redactor, item, strings, depth + 1) for item in value]
    result: dict[str, object] = {}
    for key, item in value.items():
        name = next(strings)
        kind = _masks(redactor, key, item)
        if kind is not None:
            secret = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
            new: object = mask(redactor, secret, kind)
        else:
            new = _rebuild(redactor, item, strings, depth + 1)
        # Two keys may redact to the same placeholder: keep both values.
        while name in result:
            name += "'"
        result[name] = new
    return result
