"""HMAC and HTTP message signatures: the digests of webhook and signed-API requests."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactlog._finding import Finding, new_finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, Deadline, anchored_matches, compile_dual, detect_by_lines

__all__ = ["SignatureDetector", "signature_digest_spans"]

# A part runs over the "," of "v1,<base64>", also when the digest is already a
# placeholder, so that a second pass sees the label and its mask as one part.
_PART = re.compile(r"[^\s,;]+(?:,(?=[A-Za-z0-9+/]{16}|\[REDACTED))?[^\s,;]*")
_LABELLED = re.compile(
    r"^(?P<label>sha(?:1|224|256|384|512)|v\d{1,2}a?|sig\d*|[a-z][a-z0-9_-]{0,15})(?P<sep>=:?|,)(?P<digest>.+)$"
)
_TIMESTAMP = re.compile(r"^t=\d{1,13}$")


def signature_digest_spans(value: str) -> list[tuple[int, int]]:
    """Return the ranges of *value* to mask when it is a signature header or parameter value.

    Labels and timestamps stay readable, digests do not: ``t=1700000000,v1=<hex>``
    keeps ``t=1700000000,v1=``; ``sha256=<hex>`` keeps ``sha256=``;
    ``v1,<base64> v1,<base64>`` keeps each ``v1,``; ``sig1=:<base64>:`` keeps
    ``sig1=:`` and the closing colon. A value made only of labels and
    timestamps has nothing to mask; anything unrecognised is masked whole.

    .. versionadded:: 0.1.0
    """
    spans: list[tuple[int, int]] = []
    parsed = False
    for part in _PART.finditer(value):
        text = part.group()
        if _TIMESTAMP.match(text):
            parsed = True
            continue
        labelled = _LABELLED.match(text)
        if labelled is None:
            spans.append(part.span())
            continue
        parsed = True
        start = part.start() + labelled.start("digest")
        end = part.end()
        if labelled["sep"] == "=:" and text.endswith(":"):
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans if spans or parsed else [(0, len(value))]


_B64 = r"[A-Za-z0-9+/]"
# Signature values recognisable by their shape alone, wherever they are. Each
# alternative names the group that holds what is masked: "parsed" groups go
# through signature_digest_spans (several digests, labels kept), the others
# are masked as they are.
_SHAPES = "|".join(
    (
        # Stripe-Signature: t=<unix>,v1=<hex>[,v0=<hex>]
        r"(?P<parsed>\bt=\d{9,13}(?:,v\d=[0-9a-fA-F]{32,128}){1,8}"
        # Standard Webhooks / Svix: v1,<base64> (space-separated for rotation)
        rf"|(?<![\w,])v1a?,{_B64}{{32,172}}={{0,2}}(?:[ ]v1a?,{_B64}{{32,172}}={{0,2}}){{0,8}})",
        # RFC 9421 Signature: sig1=:<base64>:
        rf"\b[a-z][a-z0-9_-]{{0,31}}=:(?P<rfc9421>{_B64}{{16,1024}}={{0,2}}):",
        # AWS SigV4 header and presigned query parameter
        r"(?i:\b(?:x-amz-)?signature)=(?P<sigv4>[0-9a-fA-F]{64})\b",
        # GitHub style sha256=<hex> right after a signature word
        r"(?i:sig|signature|hmac|hub)[\w-]{0,32}[\"']?\s{0,3}[:=]\s{0,3}[\"']?(?:sha1|sha256)="
        r"(?P<github>[0-9a-fA-F]{40,64})\b",
    ),
)
_MASKED_GROUPS = ("rfc9421", "sigv4", "github")
# What every shape contains (the literal triggers, as one pattern): the
# shapes are tried only near these.
_ANCHORS = r",v\d=|v1a?,|=:|(?i:ignature)=|sha(?:1|256)="


class SignatureDetector:
    """Detect signature digests by their wire format, with or without a header name.

    Covers Stripe (``t=..,v1=..``), Standard Webhooks and Svix (``v1,<b64>``),
    RFC 9421 (``sig1=:<b64>:``), AWS SigV4 (``Signature=``,
    ``X-Amz-Signature=``) and GitHub (``X-Hub-Signature-256: sha256=<hex>``).
    Only digests are masked: labels (``v1=``, ``sha256=``, ``sig1=:``) and
    timestamps (``t=1700000000``) stay readable. Values under any
    signature-like key (``X-Slack-Signature``, ``X-Shopify-Hmac-Sha256``,
    ``X-Twilio-Signature``, ``X-Signature``, ``sig=``, ``hmac=`` ...) are
    handled by the ``sensitive_keys`` detector with the same digest-only
    masking (:func:`signature_digest_spans`). A bare hex string with no
    signature context is never a signature: git SHAs, ``sha256:`` image
    digests, checksums, ETags and trace ids are kept.

    .. versionadded:: 0.1.0
    """

    name = "signatures"
    kind = "signature"
    # Every shape holds one of these: ",v" (Stripe), "v1," / "v1a," (Standard
    # Webhooks), "=:" (RFC 9421), "ignature=" (SigV4), "sha1=" / "sha256=".
    triggers = (",v", "v1,", "v1a,", "=:", "ignature=", "IGNATURE=", "sha1=", "sha256=")
    priority = 75

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._pattern = compile_dual(_SHAPES, timeout=timeout)
        self._anchors = compile_dual(_ANCHORS, timeout=timeout)

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the signature digests in *text*."""
        return detect_by_lines(text, self._detect, self._pattern.timeout)

    def _detect(self, text: str) -> Iterator[Finding]:
        kind, name = self.kind, self.name
        # Anchored scans can be driven quadratic by a text packed with anchors
        # ("=:" * 2048), short or not: always bounded, so they fail closed.
        deadline = Deadline(text, self._pattern.timeout, always=True)
        matches = anchored_matches(self._pattern, self._anchors, text, before=96, after=2400, deadline=deadline)
        for match in matches:
            parsed = match.start("parsed")
            if parsed >= 0:
                for start, end in signature_digest_spans(match["parsed"]):
                    yield new_finding(parsed + start, parsed + end, kind, name)
                continue
            for group in _MASKED_GROUPS:
                start, end = match.span(group)
                if start >= 0:
                    yield new_finding(start, end, kind, name)
