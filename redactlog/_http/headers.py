"""Which request headers are logged, and how credentials and signatures are masked."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from redactlog._engine import Redactor
from redactlog._http.batch import redact_many
from redactlog._http.masking import mask, mask_digests

__all__ = [
    "CREDENTIAL_HEADERS",
    "DEFAULT_HEADER_ALLOWLIST",
    "DIGEST_HEADERS",
    "SIGNATURE_HEADERS",
    "scrub_headers",
]

DEFAULT_HEADER_ALLOWLIST = frozenset(
    {
        "content-type",
        "content-length",
        "content-encoding",
        "transfer-encoding",
        "expect",
        "user-agent",
        "host",
        "x-request-id",
        "x-github-event",
        "x-github-delivery",
        "x-github-hook-id",
        "stripe-version",
        "x-slack-request-timestamp",
        "webhook-id",
        "webhook-timestamp",
        "svix-id",
        "svix-timestamp",
        "x-shopify-topic",
        "x-shopify-webhook-id",
        "x-amz-date",
    },
)
"""Headers whose (scrubbed) values are logged; credentials and signatures are always logged masked."""

CREDENTIAL_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "x-auth-token",
        "x-access-token",
        "x-csrf-token",
        "x-xsrf-token",
        "x-amz-security-token",
        "x-goog-iap-jwt-assertion",
        "x-forwarded-authorization",
        "x-gitlab-token",
        "x-hook-secret",
        "x-webhook-secret",
    },
)
"""Headers that carry credentials or shared secrets: logged as name and placeholder."""

SIGNATURE_HEADERS = frozenset(
    {
        "x-hub-signature",
        "x-hub-signature-256",
        "stripe-signature",
        "x-slack-signature",
        "x-shopify-hmac-sha256",
        "x-twilio-signature",
        "webhook-signature",
        "svix-signature",
        "signature",
        "x-signature",
        "x-webhook-signature",
        "x-signature-ed25519",
        "x-line-signature",
        "x-square-hmacsha256-signature",
        "x-square-signature",
        "x-zm-signature",
        "paypal-transmission-sig",
        "x-discord-signature",
    },
)
"""Signature headers: their labels and timestamps are kept, their digests masked."""

DIGEST_HEADERS = frozenset({"content-digest", "repr-digest", "digest", "content-md5", "x-amz-content-sha256"})
"""Body digests: the hash of a short body (an SSN, a phone number) can be brute-forced, so it is masked."""

# Anything else that sounds like a secret is masked too (research notes, section 4).
_NAME_RULE = re.compile(r"auth|token|secret|signature|hmac|cookie|api[-_]?key|session|password|credential|digest", re.I)
_PLAIN = "\x00plain"  # marks an allow-listed value waiting for its scrubbed text
# Registered HTTP authentication schemes (and AWS's): only these are shown, so an
# unknown first word, which may be the credential itself, is never kept.
_SCHEME = re.compile(
    r"(?i:bearer|basic|digest|token|negotiate|ntlm|hoba|mutual|vapid|scram-sha-(?:1|256)|dpop|gnap|oauth|hawk"
    r"|signature|apikey|sharedkey|sharedkeylite|aws4-(?:hmac-sha256|ecdsa-p256-sha256)|aws)(?= )"
)


def scrub_headers(
    redactor: Redactor,
    headers: Iterable[tuple[str, str]],
    *,
    allowlist: frozenset[str] = DEFAULT_HEADER_ALLOWLIST,
    sensitive: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Return the headers to log, by lower-case name, with sensitive values masked.

    Credential, signature and digest headers are always kept with their value
    masked, so the record shows that a signature was sent. Allow-listed
    headers are kept with their value scrubbed. Every other header is dropped.
    Repeated headers are joined with ``", "``.
    """
    pairs: list[tuple[str, str]] = []
    plain: list[str] = []  # allow-listed values, scrubbed below in one batch
    for raw_name, value in headers:
        name = raw_name.strip().lower()
        masked = _mask_by_name(redactor, name, value, sensitive)
        if masked is not None:
            pairs.append((name, masked))
        elif name in allowlist:
            pairs.append((name, _PLAIN))
            plain.append(value)
    scrubbed = iter(redact_many(redactor, plain))
    logged: dict[str, str] = {}
    for name, masked in pairs:
        value = next(scrubbed) if masked is _PLAIN else masked
        previous = logged.get(name)
        logged[name] = value if previous is None else f"{previous}, {value}"
    return logged


@lru_cache(maxsize=1024)
def _header_kind(name: str, sensitive: frozenset[str]) -> str | None:
    """How a header is masked by its name alone (memoised: names repeat on every request)."""
    if name in SIGNATURE_HEADERS or (name not in CREDENTIAL_HEADERS and "signature" in name):
        return "signature"
    if name in DIGEST_HEADERS:
        return "digest"
    if name in ("cookie", "set-cookie"):
        return "cookie"
    if name in CREDENTIAL_HEADERS or name in sensitive or _NAME_RULE.search(name):
        return "credential"
    return None


def _mask_by_name(redactor: Redactor, name: str, value: str, sensitive: frozenset[str]) -> str | None:
    """The masked value of a credential, signature or digest header; ``None`` for other headers."""
    kind = _header_kind(name, sensitive)
    if kind is None:
        return None
    if kind == "signature":
        return mask_digests(redactor, value) if value else value
    if kind == "digest":
        return mask(redactor, value, "digest")
    if kind == "cookie":
        return _mask_cookie(redactor, value)
    return _mask_credential(redactor, name, value)


def _mask_credential(redactor: Redactor, name: str, value: str) -> str:
    if not value:
        return value
    kind = "signature" if ("sig" in name or "hmac" in name) else "secret"
    if name.endswith("authorization"):
        # Keep the scheme ("Bearer", "Basic", "AWS4-HMAC-SHA256"): it says how
        # the client authenticated, never with what.
        scheme = _SCHEME.match(value)
        if scheme is not None:
            return f"{scheme.group()} {mask(redactor, value[scheme.end() + 1 :], kind)}"
    return mask(redactor, value, kind)


def _mask_cookie(redactor: Redactor, value: str) -> str:
    # Cookie names show which session a client presented; their values never appear.
    pairs = []
    for pair in value.split(";"):
        cookie_name, sep, cookie_value = pair.strip().partition("=")
        if not sep:
            pairs.append(mask(redactor, cookie_name, "secret") if cookie_name else "")
            continue
        pairs.append(f"{redactor.redact(cookie_name)}={mask(redactor, cookie_value, 'secret')}")
    return "; ".join(p for p in pairs if p)
