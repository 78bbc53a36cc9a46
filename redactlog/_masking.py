"""Masks: what a detected secret is replaced with."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from redactlog.exceptions import ConfigurationError

__all__ = ["BUILTIN_LABELS", "FixedMask", "LabelMask", "PartialMask", "PseudonymMask"]

# Every built-in placeholder starts with "[REDACTED" and holds no whitespace,
# so one pattern recognises them all, whatever kind or policy produced them.
_PLACEHOLDER = re.compile(r"\[REDACTED(?::[A-Za-z0-9_.*-]{1,64}){0,4}\]")
_KIND = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _builtin_placeholders(text: str) -> Iterator[tuple[int, int]]:
    if "[REDACTED" not in text:
        return
    for match in _PLACEHOLDER.finditer(text):
        yield match.span()


def _safe_kind(kind: str) -> str:
    return kind if _KIND.fullmatch(kind) else "secret"


# The labels of the built-in kinds, written once: a label is made for every finding.
BUILTIN_LABELS: Final = MappingProxyType(
    {
        kind: f"[REDACTED:{kind}]"
        for kind in (
            "api_key",
            "authorization",
            "cookie",
            "credential",
            "credit_card",
            "email",
            "jwt",
            "password",
            "phone",
            "private_key",
            "secret",
            "session",
            "signature",
            "token",
            "url_password",
            "us_ssn",
        )
    }
)


@dataclass(frozen=True, slots=True)
class LabelMask:
    """Replace a secret with ``[REDACTED:<kind>]`` (the default mask).

    .. versionadded:: 0.1.0
    """

    def __call__(self, secret: str, kind: str, /) -> str:
        """Return ``[REDACTED:<kind>]``."""
        label = BUILTIN_LABELS.get(kind)
        return label if label is not None else f"[REDACTED:{_safe_kind(kind)}]"

    def placeholders(self, text: str, /) -> Iterator[tuple[int, int]]:
        """Yield the ranges of ``[REDACTED...]`` placeholders in *text*."""
        return _builtin_placeholders(text)


@dataclass(frozen=True, slots=True)
class FixedMask:
    """Replace every secret with the same fixed *text*, whatever its kind.

    Args:
        text: The replacement; must not be empty.

    .. versionadded:: 0.1.0
    """

    text: str = "[REDACTED]"

    def __post_init__(self) -> None:
        if not self.text or not self.text.strip():
            msg = "FixedMask text must contain at least one visible character"
            raise ConfigurationError(msg)

    def __call__(self, secret: str, kind: str, /) -> str:
        """Return the fixed text."""
        return self.text

    def placeholders(self, text: str, /) -> Iterator[tuple[int, int]]:
        """Yield the ranges of the fixed text and of built-in placeholders."""
        yield from _builtin_placeholders(text)
        start = text.find(self.text)
        while start != -1:
            yield start, start + len(self.text)
            start = text.find(self.text, start + len(self.text))


@dataclass(frozen=True, slots=True)
class PartialMask:
    """Keep the last *keep* characters of a secret: ``[REDACTED:card:*4242]``.

    The tail is kept only where that is safe: the secret must be at least
    ``keep + min_hidden`` characters long and the kind must not be in
    *never_partial* (passwords and signatures are masked whole by default,
    since any part of them helps an attacker). Otherwise the whole secret is
    masked, as by :class:`LabelMask`.

    Args:
        keep: Number of trailing characters to keep.
        min_hidden: Minimum number of characters that must stay hidden.
        never_partial: Kinds that are always masked whole.

    .. versionadded:: 0.1.0
    """

    keep: int = 4
    min_hidden: int = 8
    never_partial: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {
                "secret",
                "signature",
                "private_key",
                "url_password",
                # The engine's own placeholders for text it could not scan.
                "redaction_failed",
                "oversize",
                "too_deep",
                "truncated",
                "cycle",
                "unrepresentable",
            },
        ),
    )

    def __post_init__(self) -> None:
        if self.keep < 1 or self.min_hidden < 4:  # noqa: PLR2004 - documented floor
            msg = "PartialMask needs keep >= 1 and min_hidden >= 4"
            raise ConfigurationError(msg)

    def __call__(self, secret: str, kind: str, /) -> str:
        """Return ``[REDACTED:<kind>:*<tail>]`` or ``[REDACTED:<kind>]``."""
        kind = _safe_kind(kind)
        tail = secret[-self.keep :]
        if (
            kind in self.never_partial
            or len(secret) < self.keep + self.min_hidden
            or not tail.isalnum()
            or not tail.isascii()
        ):
            return f"[REDACTED:{kind}]"
        return f"[REDACTED:{kind}:*{tail}]"

    def placeholders(self, text: str, /) -> Iterator[tuple[int, int]]:
        """Yield the ranges of ``[REDACTED...]`` placeholders in *text*."""
        return _builtin_placeholders(text)


@dataclass(frozen=True, slots=True)
class PseudonymMask:
    """Replace a secret with a keyed, stable pseudonym: ``[REDACTED:email:k1:9f86d08188]``.

    The pseudonym is HMAC-SHA256 of the kind and the value under *key*: the
    same value always gives the same pseudonym (so log lines can still be
    correlated), but without the key nobody can tell which value it stands
    for, not even by trying every SSN or phone number. Rotate keys by
    changing *key* and *key_id* together; the key id in each placeholder tells
    which key made it.

    Args:
        key: Secret key, at least 16 bytes (generate it with
            ``secrets.token_bytes(32)``; never log it).
        key_id: Short public label of the key, e.g. ``"k2026a"``.
        length: Hex digits of the digest to keep (8 to 64).

    .. versionadded:: 0.1.0
    """

    key: bytes = field(repr=False)
    key_id: str = "k1"
    length: int = 16

    def __post_init__(self) -> None:
        key: object = self.key
        if not isinstance(key, bytes) or len(key) < 16:  # noqa: PLR2004
            msg = "PseudonymMask key must be at least 16 bytes (use secrets.token_bytes(32))"
            raise ConfigurationError(msg)
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", self.key_id):
            msg = f"PseudonymMask key_id must match [A-Za-z0-9_.-]{{1,32}}, got {self.key_id!r}"
            raise ConfigurationError(msg)
        if not 8 <= self.length <= 64:  # noqa: PLR2004
            msg = "PseudonymMask length must be between 8 and 64"
            raise ConfigurationError(msg)

    def __call__(self, secret: str, kind: str, /) -> str:
        """Return ``[REDACTED:<kind>:<key_id>:<digest>]``."""
        kind = _safe_kind(kind)
        value = secret.strip()
        if kind == "email":
            value = value.casefold()
        message = f"{kind}\x00{value}".encode("utf-8", "surrogatepass")
        digest = hmac.new(self.key, message, hashlib.sha256).hexdigest()[: self.length]
        return f"[REDACTED:{kind}:{self.key_id}:{digest}]"

    def placeholders(self, text: str, /) -> Iterator[tuple[int, int]]:
        """Yield the ranges of ``[REDACTED...]`` placeholders in *text*."""
        return _builtin_placeholders(text)
