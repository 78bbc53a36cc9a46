"""Which request headers are logged, and how credentials and signatures are masked."""

from __future__ import annotations

import re
from collections.abc import Iterable

from redactlog._engine import Redactor
from redactlog._http.batch import CleanTexts, redact_many
from redactlog._http.masking import mask, mask_digests
from redactlog._keys import remembered_as_a_name

__all__ = [
    "CREDENTIAL_HEADERS",
    "DEFAULT_HEADER_ALLOWLIST",
    "DIGEST_HEADERS",
    "HeaderRules",
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


# How HeaderRules treats a header, by lower-case name.
_DROP = "drop"
_PLAIN_KIND = "plain"
# Header names outside the tables are classified once and remembered, up to this
# many: clients choose header names, so the memo must not grow without bound.
_MEMO_SIZE = 512


class HeaderRules:
    """Which headers are logged and how, decided by name once per name.

    Built once per request logger; the tables are fixed at construction and
    names not in them (``accept``, ``sec-fetch-mode``, ...) are classified on
    first sight and remembered, so a request costs one dictionary lookup per
    header. Thread-safe: the memo only ever gains entries that any thread
    would compute alike.

    Args:
        allowlist: Lower-case names whose scrubbed values are logged.
        sensitive: Further lower-case names whose values are masked.
    """

    __slots__ = ("_allowlist", "_kinds", "_sensitive")

    def __init__(
        self,
        allowlist: frozenset[str] = DEFAULT_HEADER_ALLOWLIST,
        sensitive: frozenset[str] = frozenset(),
    ) -> None:
        self._allowlist = allowlist
        self._sensitive = sensitive
        known = allowlist | sensitive | CREDENTIAL_HEADERS | SIGNATURE_HEADERS | DIGEST_HEADERS
        self._kinds: dict[str, str] = {name: self._classify(name) for name in known}

    def kind(self, name: str) -> str:
        """How the header *name* (lower case) is logged: a masking kind, ``"plain"`` or ``"drop"``."""
        kind = self._kinds.get(name)
        if kind is None:
            kind = self._classify(name)
            if len(self._kinds) < _MEMO_SIZE and remembered_as_a_name(name):
                self._kinds[name] = kind
        return kind

    def _classify(self, name: str) -> str:
        return _header_kind(name, self._sensitive) or (_PLAIN_KIND if name in self._allowlist else _DROP)

    def scrub(
        self,
        redactor: Redactor,
        headers: Iterable[tuple[str, str]],
        clean: CleanTexts | None = None,
    ) -> dict[str, str]:
        """Return the headers to log, by name, with sensitive values masked.

        *headers* must have lower-case, stripped names. Credential, signature
        and digest headers are always kept with their value masked, so the
        record shows that a signature was sent. Allow-listed headers are kept
        with their value scrubbed (in one engine call for all of them). Every
        other header is dropped. Repeated headers are joined with ``", "``.
        Values in *clean* are known clean and not scanned again.
        """
        kind_of = self.kind
        pairs: list[tuple[str, str]] = []
        plain: list[str] = []  # allow-listed values, scrubbed below in one batch
        for name, value in headers:
            kind = kind_of(name)
            if kind == _DROP:
                continue
            if kind == _PLAIN_KIND:
                pairs.append((name, _PLAIN))
                plain.append(value)
            else:
                pairs.append((name, _mask_by_kind(redactor, kind, name, value)))
        if not pairs:
            return {}
        scrubbed = iter(redact_many(redactor, plain, clean))
        logged: dict[str, str] = {}
        for name, masked in pairs:
            value = next(scrubbed) if masked is _PLAIN else masked
            previous = logged.get(name)
            logged[name] = value if previous is None else f"{previous}, {value}"
        return logged


def scrub_headers(
    redactor: Redactor,
    headers: Iterable[tuple[str, str]],
    *,
    allowlist: frozenset[str] = DEFAULT_HEADER_ALLOWLIST,
    sensitive: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Return the headers to log, by lower-case name, with sensitive values masked.

    A one-off :meth:`HeaderRules.scrub` for headers with names in any case;
    request loggers hold their own :class:`HeaderRules`.
    """
    rules = HeaderRules(allowlist, sensitive)
    return rules.scrub(redactor, [(name.strip().lower(), value) for name, value in headers])


def _header_kind(name: str, sensitive: frozenset[str]) -> str | None:
    """How a header is masked by its name alone; ``None`` for headers that are not masked."""
    if name in SIGNATURE_HEADERS or (name not in CREDENTIAL_HEADERS and "signature" in name):
        return "signature"
    if name in DIGEST_HEADERS:
        return "digest"
    if name in ("cookie", "set-cookie"):
        return "cookie"
    if name in CREDENTIAL_HEADERS or name in sensitive or _NAME_RULE.search(name):
        return "credential"
    return None


def _mask_by_kind(redactor: Redactor, kind: str, name: str, value: str) -> str:
    """The masked value of a credential, signature or digest header."""
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
