"""Which field names hold secrets, whatever their values look like."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["DEFAULT_SENSITIVE_KEYS", "SensitiveKeys", "holds_no_secret", "normalize_key", "remembered_as_a_name"]

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def normalize_key(key: str) -> str:
    """Return *key* in snake case: ``"X-Api-Key"`` and ``"xApiKey"`` give ``"x_api_key"``.

    .. versionadded:: 0.1.0
    """
    # A pure function of an immutable string: the cache is safe to share.
    snake = _CAMEL.sub("_", key.strip()).lower()
    return _SEPARATORS.sub("_", snake).strip("_")


_NAMES = frozenset(
    {
        "auth",
        "authorization",
        "proxy_authorization",
        "bearer",
        "basic",
        "pass",
        "passwd",
        "password",
        "pwd",
        "passphrase",
        "secret",
        "pin",
        "otp",
        "totp",
        "ssn",
        "social_security_number",
        "tax_id",
        "national_id",
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "card_number",
        "cardnumber",
        "iban",
        "key",
        "sig",
        "jwt",
        "dsn",
        "sid",
        "session",
        "sessionid",
        "session_id",
        "jsessionid",
        "phpsessid",
        "csrf",
        "xsrf",
        "nonce",
    },
)
_FRAGMENTS = (
    "token",
    "secret",
    "password",
    "passwd",
    "signature",
    "credential",
    "authoriz",
    "api_key",
    "apikey",
    "access_key",
    "private_key",
    "privatekey",
    "signing_key",
    "encryption_key",
    "master_key",
    "client_key",
    "cookie",
    "hmac",
    "session_token",
    "session_key",
    "sessionid",
    "session_id",
    "x_amz_signature",
    "bodysha256",
    "body_sha256",
    "account_key",
    "subscription_key",
    "consumer_key",
    "license_key",
    "functions_key",
    "app_key",
    "recovery_code",
    "backup_code",
    "card_number",
    "auth_key",
    "admin_key",
    "ssh_key",
    "tls_key",
    "ssl_key",
    "priv_key",
    "verification_code",
    "security_code",
    "auth_code",
    "mfa_code",
    "storepass",
    "keypass",
    "connect_sid",
    "account_number",
)
# Words that make a key sensitive wherever they stand as a whole part of it:
# "db_pass", "MYSQL_PWD", "card_cvv", "ssn_last4", "otp_code", "card_pin"
# (but not "passenger", "classname" or "ping").
# Not "pw": two letters and "=" occur by chance in base64 ("...Hq/pw= ").
_PARTS = frozenset(
    {"pass", "pwd", "passwd", "passcode", "pswd", "cvv", "cvv2", "cvc", "cvc2", "ssn", "otp", "pin", "creds", "sig"}
)
# Keys that contain a fragment above but never hold a secret ("max_tokens",
# "token_type", "password_changed_at"): masking them would hide useful data.
_EXEMPT = re.compile(
    r"(?:^|_)(?:tokens|count|counts|len|length|type|types|expires?|expiry|expires_in|ttl|at|"
    r"url|uri|endpoint|path|hint|policy|min|max|limit|enabled|required|changed|reset|"
    r"algorithm|algo|alg|version|id_type|format|scheme|method|field|name|names|"
    # The id of a key, token or secret ("api_key_id", "token_id"), not that
    # of a session ("user_session_id" is a bearer secret); references to a
    # secret ("secret_arn", "secret_ref"), what is counted in tokens
    # ("token_usage"), and files and directories holding secrets.
    r"(?:key|token|secret|credential|password)_ids?|arn|ref|refs|usage|used|tokenizers?|file|files|dir)$"
    # RFC 9421 Signature-Input lists the signed components, "created", "keyid"
    # and "alg": metadata, not a digest.
    r"|^signature_input$",
)
_SIGNATURE = re.compile(r"sig|hmac")
_MEMO_SIZE = 8192
_UNSEEN = object()
# What a field name looks like. Data used as a key ("alice@example.com",
# "+14155552671", "078-05-1120") does not, and is never remembered.
_NAME = re.compile(r"[A-Za-z_$][\w$.\-]{0,63}")
_MAX_NAME_DIGITS = 6


# Values under a sensitive key that say something about the secret, not the
# secret itself: emptiness, a status ("auth: disabled", "csrf: ok"), or a mask
# another layer already applied ("password=********", Rails' "[FILTERED]").
_NO_SECRET = frozenset(
    {
        "",
        "null",
        "none",
        "nil",
        "undefined",
        "true",
        "false",
        "[]",
        "{}",
        '""',
        "''",
        "ok",
        "yes",
        "no",
        "on",
        "off",
        "enabled",
        "disabled",
        "required",
        "optional",
        "missing",
        "present",
        "absent",
        "set",
        "unset",
        "valid",
        "invalid",
        "expired",
        "accepted",
        "rejected",
        "denied",
        "failed",
        "success",
        "started",
        "redacted",
        "[redacted]",
        "<redacted>",
        "(redacted)",
        "filtered",
        "[filtered]",
        "masked",
        "hidden",
        "<hidden>",
    }
)
_MASK_CHARACTERS = frozenset("*•")


def holds_no_secret(value: str) -> bool:
    """Return whether *value*, found under a sensitive key, is empty, a status word or an earlier mask."""
    lowered = value.strip().lower()
    return lowered in _NO_SECRET or (len(lowered) >= 3 and set(lowered) <= _MASK_CHARACTERS)  # noqa: PLR2004


def remembered_as_a_name(key: str) -> bool:
    """Return whether a memo may keep *key*: it looks like a field name, not like data used as a key."""
    return _NAME.fullmatch(key) is not None and sum(map(key.count, "0123456789")) <= _MAX_NAME_DIGITS


@dataclass(frozen=True, slots=True)
class SensitiveKeys:
    """Rules that say whether a field name holds a secret.

    A key is normalised with :func:`normalize_key` first, then it is sensitive
    if it equals one of *names*, contains one of *fragments* or has one of
    *parts* as a whole ``_``-separated part, unless it ends in an exempt
    suffix such as ``_count`` or ``_type`` (``max_tokens``, ``token_type`` and
    ``password_changed_at`` are not secrets).

    Args:
        names: Normalised keys that are sensitive when matched exactly.
        fragments: Normalised substrings that make a key sensitive.
        extra_names: Added to *names* (use it to extend the defaults).
        parts: Words that make a key sensitive as a whole part of its
            normalised form (``db_pass``, ``card_cvv``).

    .. versionadded:: 0.1.0
    """

    names: frozenset[str] = _NAMES
    fragments: tuple[str, ...] = _FRAGMENTS
    extra_names: frozenset[str] = field(default=frozenset())
    parts: frozenset[str] = _PARTS
    # Keys repeat endlessly in logs. A per-instance memo (not a global cache)
    # keeps rule objects independent; dict get/set are atomic under the GIL.
    _memo: dict[str, str | None] = field(
        default_factory=dict,
        init=False,
        repr=False,
        compare=False,
        hash=False,
    )

    def with_names(self, *names: str) -> SensitiveKeys:
        """Return a copy that also treats *names* (normalised) as sensitive."""
        return SensitiveKeys(
            names=self.names,
            fragments=self.fragments,
            extra_names=self.extra_names | {normalize_key(n) for n in names},
            parts=self.parts,
        )

    def with_fragments(self, *fragments: str) -> SensitiveKeys:
        """Return a copy that also treats keys containing *fragments* as sensitive."""
        return SensitiveKeys(
            names=self.names,
            fragments=self.fragments + tuple(normalize_key(f) for f in fragments),
            extra_names=self.extra_names,
            parts=self.parts,
        )

    def kind_of(self, key: object) -> str | None:
        """Return the kind of secret *key* holds (``"secret"``, ``"signature"``) or ``None``."""
        if type(key) is str:
            # The common case first: a str key seen before (the memo holds
            # only str keys, so this answer is the one computed below).
            kind = self._memo.get(key, _UNSEEN)
            if kind is not _UNSEEN:
                return kind  # type: ignore[return-value] # _UNSEEN is excluded above
        if isinstance(key, bytes | bytearray):
            # ASGI headers and many wire formats use bytes keys: b"x-api-key".
            key = bytes(key).decode("utf-8", "replace")
        if not isinstance(key, str) or not key or len(key) > 128:  # noqa: PLR2004
            return None
        memo = self._memo
        try:
            return memo[key]
        except KeyError:
            pass
        kind = self._classify(normalize_key(key))
        if remembered_as_a_name(key):
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[key] = kind
        return kind

    def matches(self, key: object) -> bool:
        """Return whether *key* holds a secret."""
        return self.kind_of(key) is not None

    def _classify(self, normalized: str) -> str | None:
        sensitive = normalized in self.names or normalized in self.extra_names
        if not sensitive:
            if _EXEMPT.search(normalized):
                return None
            sensitive = any(fragment in normalized for fragment in self.fragments) or not self.parts.isdisjoint(
                normalized.split("_")
            )
        if not sensitive:
            return None
        return "signature" if _SIGNATURE.search(normalized) else "secret"


DEFAULT_SENSITIVE_KEYS = SensitiveKeys()
"""The default rules: passwords, tokens, secrets, keys, signatures, cookies, sessions, SSNs, card data."""
