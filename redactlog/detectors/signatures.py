"""HMAC and HTTP message signatures: the digests of webhook and signed-API requests."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactlog._finding import Finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, compile_dual

__all__ = ["SignatureDetector", "signature_digest_spans"]

_PART = re.compile(r"[^\s,;]+(?:,(?=[A-Za-z0-9+/]{16}))?[^\s,;]*")
_LABELLED = re.compile(
    r"^(?P<label>sha(?:1|224|256|384|512)|v\d{1,2}a?|sig\d*|[a-z][a-z0-9_-]{0,15})(?P<sep>=:?|,)(?P<digest>.+)$"
)
_TIMESTAMP = re.compile(r"^t=\d{1,13}$")


def signature_digest_spans(value: str) -> list[tuple[int, int]]:
    """Return the ranges of *value* to mask when it is a signature header or parameter value.

    Labels and timestamps stay readable, digests do not: ``t=1700000000,v1=<hex>``
    keeps ``t=1700000000,v1=``; ``sha256=<hex>`` keeps ``sha256=``;
    ``v1,<base64> v1,<base64>`` keeps each ``v1,``; ``sig1=:<base64>:`` keeps
    ``sig1=:`` and the closing colon. Anything else is masked whole.

    .. versionadded:: 0.1.0
    """
    spans: list[tuple[int, int]] = []
    for part in _PART.finditer(value):
        text = part.group()
        if _TIMESTAMP.match(text):
            continue
        labelled = _LABELLED.match(text)
        if labelled is None:
            spans.append(part.span())
            continue
        start = part.start() + labelled.start("digest")
        end = part.end()
        if labelled["sep"] == "=:" and text.endswith(":"):
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans or [(0, len(value))]


# Signature values that are recognisable by their shape alone, wherever they are.
_SHAPES = (
    # Stripe-Signature: t=<unix>,v1=<hex>[,v0=<hex>]
    r"\bt=\d{9,13}(?:,v\d=[0-9a-fA-F]{32,128})+",
    # Standard Webhooks / Svix: v1,<base64> (space-separated for rotation)
    r"(?<![\w,])v1a?,[A-Za-z0-9+/]{32,172}={0,2}(?:[ ]v1a?,[A-Za-z0-9+/]{32,172}={0,2}){0,8}",
    # RFC 9421 Signature: sig1=:<base64>:
    r"\b[a-z][a-z0-9_-]{0,31}=:[A-Za-z0-9+/]{16,1024}={0,2}:",
    # AWS SigV4 header and presigned query parameter
    r"(?i:\b(?:x-amz-)?signature)=[0-9a-fA-F]{64}\b",
    # GitHub style sha256=<hex> right after a signature word
    r"(?i:sig|signature|hmac|hub)[\w-]{0,32}[\"']?\s{0,3}[:=]\s{0,3}[\"']?(?:sha1|sha256)=[0-9a-fA-F]{40,64}\b",
)
_WORDS = ("t=", "v1,", "v1a,", "=:", "sig", "hmac", "hub")


class SignatureDetector:
    """Detect signature digests by their wire format, with or without a header name.

    Covers Stripe (``t=..,v1=..``), Standard Webhooks and Svix (``v1,<b64>``),
    RFC 9421 (``sig1=:<b64>:``), AWS SigV4 (``Signature=``,
    ``X-Amz-Signature=``) and GitHub (``X-Hub-Signature-256: sha256=<hex>``).
    Values under any signature-like key (``X-Slack-Signature``,
    ``X-Shopify-Hmac-Sha256``, ``X-Twilio-Signature``, ``X-Signature``,
    ``sig=``, ``hmac=`` ...) are handled by the ``sensitive_keys`` detector with
    the same digest-only masking (:func:`signature_digest_spans`). A bare hex
    string with no signature context is never a signature: git SHAs,
    ``sha256:`` image digests, checksums, ETags and trace ids are kept.

    .. versionadded:: 0.1.0
    """

    name = "signatures"
    kind = "signature"
    triggers = ("=", ",", ":")
    priority = 75

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._pattern = compile_dual("|".join(f"(?:{shape})" for shape in _SHAPES), timeout=timeout)

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the signature digests in *text*."""
        lowered = text.lower()
        if not any(word in lowered for word in _WORDS):
            return
        for match in self._pattern.finditer(text):
            value = match.group()
            # Keep the name of a keyed form readable; mask only its digests.
            offset = 0
            keyed = re.match(r"(?i)[^=:]*?(?:signature|sig|hmac|hub)[\w-]{0,32}[\"']?\s{0,3}[:=]\s{0,3}[\"']?", value)
            if keyed is not None and not value.startswith(("t=", "v1")):
                offset = keyed.end()
            for start, end in signature_digest_spans(value[offset:]):
                yield Finding(match.start() + offset + start, match.start() + offset + end, self.kind, self.name)
