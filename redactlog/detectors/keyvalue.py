"""Values under sensitive keys in text: ``password=...``, ``"token": "..."``, ``Cookie: ...``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactlog._finding import Finding
from redactlog._keys import DEFAULT_SENSITIVE_KEYS, SensitiveKeys, normalize_key
from redactlog.detectors._base import DEFAULT_TIMEOUT, compile_dual
from redactlog.detectors.signatures import signature_digest_spans

__all__ = ["KeyValueDetector"]

_PAIR = r"""
(?:
    \\"(?P<k1>[^"\\\n]{1,64})\\"
  | "(?P<k2>[^"\\\n]{1,64})"
  | '(?P<k3>[^'\\\n]{1,64})'
  | (?<![\w.\-])(?P<k4>[A-Za-z_@$][\w.\-]{0,63})
)
[ \t]{0,3}(?::|=>|=)[ \t]{0,3}
(?:
    \\"(?P<v1>(?:[^"\\]|\\(?!"))*)\\"
  | "(?P<v2>(?:[^"\\\n]|\\.)*)"
  | '(?P<v3>(?:[^'\\\n]|\\.)*)'
  | (?P<v4>[^\s,;&"'<>)\]}]+)
)
"""
_SCHEMES = frozenset({"bearer", "basic", "token", "digest", "negotiate", "ntlm", "hmac", "signature", "apikey"})
_AFTER_SCHEME = re.compile(r"[ \t]+[^\s\"']+(?:,[ \t]*[^\s,\"']+)*")
_TO_LINE_END = frozenset({"cookie", "set_cookie", "authorization", "proxy_authorization"})
_EMPTY = frozenset({"", "null", "none", "nil", "undefined", "true", "false", "[]", "{}", '""', "''"})


class KeyValueDetector:
    """Detect values held under sensitive keys, whatever the values look like.

    Understands ``key=value`` (logfmt, query strings, form bodies),
    ``key: value`` (headers, YAML), ``"key": "value"`` (JSON, also escaped
    inside another JSON string) and ``'key': 'value'`` (Python reprs). The
    key is kept; the value is masked (inside its quotes, so JSON stays
    valid). Header values that carry a scheme (``Authorization: Bearer ...``)
    or several pairs (``Cookie: a=1; b=2``) are masked to the end of the
    line. Values under signature keys keep their labels and timestamps and
    lose only their digests (see
    :func:`~redactlog.detectors.signatures.signature_digest_spans`).

    Args:
        keys: The rules that decide which keys are sensitive.

    .. versionadded:: 0.1.0
    """

    name = "sensitive_keys"
    triggers = ("=", ":")
    priority = 20

    def __init__(self, keys: SensitiveKeys = DEFAULT_SENSITIVE_KEYS, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.keys = keys
        self._pattern = compile_dual(_PAIR, re.VERBOSE, timeout=timeout)
        # Every sensitive key, lower-cased, contains the longest word of one of
        # the rules: a text with none of them holds no sensitive key at all.
        words = {max(normalize_key(rule).split("_"), key=len) for rule in (*keys.names, *keys.extra_names)}
        words.update(max(normalize_key(f).split("_"), key=len) for f in keys.fragments)
        self._probes = tuple(sorted(_minimal(words), key=len))

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the values of sensitive keys in *text*."""
        lowered = text.lower()
        if not any(probe in lowered for probe in self._probes):
            return
        kind_of = self.keys.kind_of
        for match in self._pattern.finditer(text):
            key = match["k1"] or match["k2"] or match["k3"] or match["k4"]
            kind = kind_of(key)
            if kind is None:
                continue
            group = next(g for g in ("v1", "v2", "v3", "v4") if match[g] is not None)
            start, end = match.span(group)
            value = text[start:end]
            if value.strip().lower() in _EMPTY:
                continue
            if group == "v4":
                end = self._extend_unquoted(text, key, value, end)
                value = text[start:end]
            if kind == "signature":
                for s, e in signature_digest_spans(value):
                    yield Finding(start + s, start + e, kind, self.name)
            else:
                yield Finding(start, end, kind, self.name)

    @staticmethod
    def _extend_unquoted(text: str, key: str, value: str, end: int) -> int:
        if normalize_key(key) in _TO_LINE_END:
            line_end = text.find("\n", end)
            return len(text) if line_end < 0 else line_end
        if value.lower() in _SCHEMES:
            more = _AFTER_SCHEME.match(text, end)
            if more is not None:
                return more.end()
        return end


def _minimal(words: set[str]) -> set[str]:
    """Drop every word that contains another: the shorter one already matches."""
    return {w for w in words if w and not any(o != w and o in w for o in words)}
