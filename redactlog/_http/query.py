"""Query strings and urlencoded form bodies: decoded, masked by key, scrubbed by value."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, quote

from redactlog._engine import Redactor
from redactlog._http.masking import mask, mask_digests
from redactlog._keys import SensitiveKeys, holds_no_secret
from redactlog._structured import phone_field_value
from redactlog.detectors._digits import names_a_phone

__all__ = ["DEFAULT_SENSITIVE_PARAMS", "param_keys", "scrub_pairs"]

DEFAULT_SENSITIVE_PARAMS = frozenset(
    {
        # OAuth callbacks: an authorization code and its state are one-time credentials.
        "code",
        "state",
        "client_secret",
        "apikey",
        "api_key",
        "credential",
        "x_amz_credential",
        "x_amz_security_token",
        "x_goog_signature",
        "x_goog_credential",
        "digest",
        "card",
        "private_key",
        # Twilio puts the SHA-256 of a JSON body in the URL; normalised, the name is body_sha256.
        "body_sha256",
    },
)
"""Query and form keys masked on top of the redactor's sensitive keys."""

MAX_PAIRS = 200
"""Pairs of one query string or form body that are logged; the rest are counted."""

# Characters left readable in the re-encoded log form: placeholders keep
# their brackets and colons, and emails that survive nothing else stay legible.
_SAFE = "[]:@/!$'()*,;?"


@lru_cache(maxsize=64)
def param_keys(keys: SensitiveKeys, extra: frozenset[str]) -> SensitiveKeys:
    """Return *keys* extended with the parameter names in *extra* (memoised: both are immutable)."""
    return keys.with_names(*extra) if extra else keys


def scrub_pairs(redactor: Redactor, keys: SensitiveKeys, raw: bytes, *, complete: bool = True) -> str:
    """Decode ``k=v&k2=v2`` (a query string or a form body) and return it scrubbed and re-encoded.

    Percent- and ``+``-decoding happen *before* scrubbing, so
    ``email=alice%40example.com`` is caught. A value under a sensitive key is
    masked whatever it looks like; other keys and values are redacted. When
    *raw* is an incomplete prefix, its last (partial) pair is dropped so no
    fragment of a secret cut at the cap is logged.
    """
    if not complete:
        cut = raw.rfind(b"&")
        raw = raw[:cut] if cut >= 0 else b""
    # Latin-1 maps bytes to code points one to one, so raw non-ASCII bytes and
    # percent-escapes both come back as the original bytes, then decode as UTF-8.
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    logged: list[str] = []
    for raw_key, raw_value in pairs[:MAX_PAIRS]:
        key = _utf8(raw_key)
        value = _utf8(raw_value)
        kind = keys.kind_of(key)
        if kind is None and value and names_a_phone(key):
            # "phone=4155552671": the name is the context a bare number needs.
            value = str(phone_field_value(redactor.redact, redactor.mask, value))
        elif kind is None or holds_no_secret(value):
            value = redactor.redact(value)
        elif kind == "signature":
            value = mask_digests(redactor, value)
        else:
            value = mask(redactor, value, kind)
        logged.append(f"{quote(redactor.redact(key), safe=_SAFE)}={quote(value, safe=_SAFE)}")
    if len(pairs) > MAX_PAIRS:
        logged.append(f"[{len(pairs) - MAX_PAIRS} more]")
    return "&".join(logged)


def _utf8(latin1: str) -> str:
    return latin1.encode("latin-1").decode("utf-8", "replace")
