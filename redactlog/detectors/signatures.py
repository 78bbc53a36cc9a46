"""HMAC and HTTP message signatures: the digests of webhook and signed-API requests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final, NamedTuple

import regex

from redactlog._finding import Finding, new_finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, Deadline, DualPattern, compile_dual, detect_by_lines

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
_HEX = "[0-9a-fA-F]"


class _Shape(NamedTuple):
    """A signature value recognisable by its shape alone, wherever it is."""

    # The pattern up to and including its anchor (see _ANCHORS), and the rest.
    head: str
    rest: str
    # How far before its anchor a match may start, by the head.
    before: int
    # The group masked as it is; ``None``: the whole match is parsed by
    # signature_digest_spans (several digests, labels kept).
    masked: str | None


# Each shape is tried only at its own anchor: its head is searched in the few
# characters before the anchor where a match can start, and the whole shape
# matched where a head starts. Searching a wide window instead, with a pattern
# that opens with a look-behind or a letter class, costs re an attempt at every
# character (on a header line, most of the detector's cost), and a text dense
# with anchors would have each of them search far ahead for the same match.
_SHAPES: Final = {
    # Stripe-Signature: t=<unix>,v1=<hex>[,v0=<hex>]; anchored on the first ",".
    "stripe": _Shape(r"\bt=\d{9,13},v\d=", rf"{_HEX}{{32,128}}(?:,v\d={_HEX}{{32,128}}){{0,7}}", 15, None),
    # Standard Webhooks / Svix: v1,<base64> (space-separated for rotation).
    "svix": _Shape(
        r"(?<![\w,])v1a?,", rf"{_B64}{{32,172}}={{0,2}}(?:[ ]v1a?,{_B64}{{32,172}}={{0,2}}){{0,8}}", 3, None
    ),
    # RFC 9421 Signature: sig1=:<base64>:, a label of 32 characters at most.
    "rfc9421": _Shape(r"\b[a-z][a-z0-9_-]{0,31}+=:", rf"(?P<digest>{_B64}{{16,1024}}={{0,2}}):", 32, "digest"),
    # AWS SigV4 header and presigned query parameter. (The dotless i, U+0131, which
    # re's case-insensitive "i" takes and regex's does not, is spelt out.)
    "sigv4": _Shape(r"(?i:\b(?:x-amz-)?s[i\u0131]gnature)=", rf"(?P<digest>{_HEX}{{64}})\b", 15, "digest"),
    # GitHub style sha256=<hex> right after a signature word: "signature", 32 characters
    # of name, a quote, blanks, the separator, blanks, a quote and "sha256" before the "=".
    "github": _Shape(
        r"(?i:sig|signature|hmac|hub)[\w-]{0,32}[\"']?\s{0,3}[:=]\s{0,3}[\"']?(?:sha1|sha256)=",
        rf"(?P<digest>{_HEX}{{40,64}})\b",
        9 + 32 + 1 + 3 + 1 + 3 + 1 + 6,
        "digest",
    ),
}
# What every shape contains, one branch per shape, each its rarest character
# first so that re skips to the few "," and "=" of a line in C.
_ANCHORS: Final = (
    r",(?:(?P<stripe>(?=v\d=))|(?P<svix>(?<=v1,)|(?<=v1a,)))"
    r"|=(?:(?P<rfc9421>(?=:))|(?P<sigv4>(?<=(?i:[i\u0131]gnature)=))|(?P<github>(?<=sha1=)|(?<=sha256=)))"
)
# How far past its anchor a shape's head may end (Stripe's ",v1=").
_HEAD_AFTER: Final = 4
# How far past its anchor a match is first looked for (one that reaches the
# end of this window is matched again to the end of the text).
_AFTER: Final = 2400


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
    # Webhooks), "=:" (RFC 9421), "ignature=" (SigV4, also with a dotless i), "sha1=" / "sha256=".
    triggers = (",v", "v1,", "v1a,", "=:", "ignature=", "IGNATURE=", "\u0131gnature=", "sha1=", "sha256=")
    priority = 75

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._shapes = {
            name: (
                compile_dual(shape.head, timeout=timeout),
                compile_dual(shape.head + shape.rest, timeout=timeout),
                shape.before,
                shape.masked,
            )
            for name, shape in _SHAPES.items()
        }
        self._anchors = compile_dual(_ANCHORS, timeout=timeout)
        self._timeout = timeout

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the signature digests in *text*."""
        return detect_by_lines(text, self._detect, self._timeout)

    def _detect(self, text: str) -> Iterator[Finding]:
        kind, name = self.kind, self.name
        # Anchored scans can be driven quadratic by a text packed with anchors
        # ("=:" * 2048), short or not: always bounded, so they fail closed.
        deadline = Deadline(text, self._timeout, always=True)
        shapes = self._shapes
        consumed = 0
        for anchor in self._anchors.finditer(text):
            deadline.tick()
            position = anchor.start()
            if position < consumed:
                continue  # inside a digest already found
            head, pattern, before, masked = shapes[anchor.lastgroup or "github"]
            match = self._shape_at(text, head, pattern, max(consumed, position - before), position)
            if match is None:
                continue
            consumed = match.end()
            if masked is None:
                offset = match.start()
                for start, end in signature_digest_spans(match.group()):
                    yield new_finding(offset + start, offset + end, kind, name)
            else:
                start, end = match.span(masked)
                yield new_finding(start, end, kind, name)

    @staticmethod
    def _shape_at(
        text: str, head: DualPattern, pattern: DualPattern, low: int, position: int
    ) -> re.Match[str] | regex.Match[str] | None:
        """Return the first match of *pattern* starting between *low* and its anchor at *position*.

        Only where the shape's head starts: heads are searched in a window of
        a few characters, ending just past the anchor.
        """
        length = len(text)
        head_end = min(length, position + _HEAD_AFTER)
        high = min(length, position + _AFTER)
        start = low
        while (found := head.search(text, start, head_end)) is not None:
            match = pattern.match(text, found.start(), high)
            if match is not None:
                if match.end() >= high and high < length:
                    match = pattern.match(text, found.start(), length)  # never cut short by the window
                return match
            start = found.start() + 1
        return None
