"""Name the webhook and request-signature schemes a request carries, from headers and query keys.

The start record masks every signature, so on a rejected delivery it cannot
show *what* was sent. This module adds the scheme names instead, each
checked against its wire format: ``github``, ``stripe``, ... or
``github:malformed`` when the header is there but its value has the wrong
shape (a frequent cause of 401s). Only names are returned, never values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["SCHEME_HEADERS", "signature_schemes"]

_HEX64 = r"[0-9a-fA-F]{64}"
_B64 = r"[A-Za-z0-9+/]+={0,2}"
_STANDARD = re.compile(rf"v1a?,{_B64}(?: v1a?,{_B64})*")

# header name -> (scheme, the shape of a well-formed value)
_HEADERS: Mapping[str, tuple[str, re.Pattern[str]]] = {
    "x-hub-signature-256": ("github", re.compile(rf"sha256={_HEX64}")),
    "x-hub-signature": ("github", re.compile(r"sha1=[0-9a-fA-F]{40}")),
    # One v0/v1 digest first, then any pairs (more digests among them): "(?:,v1=...)+" before the
    # pairs, which fit every digest too, was retried at each split of a long run of digests.
    "stripe-signature": ("stripe", re.compile(r"t=\d{1,13},v[01]=[0-9a-fA-F]{64}(?![^,])(?:,[a-z0-9_]+=[^,]*)*")),
    "x-slack-signature": ("slack", re.compile(rf"v0={_HEX64}")),
    "x-shopify-hmac-sha256": ("shopify", re.compile(r"[A-Za-z0-9+/]{43}=")),
    "x-twilio-signature": ("twilio", re.compile(r"[A-Za-z0-9+/]{27}=")),
    "webhook-signature": ("standard_webhooks", _STANDARD),
    "svix-signature": ("svix", _STANDARD),
    "signature-input": ("http_message_signatures", re.compile(r"[a-z][a-z0-9_-]*=\(.*")),
}
SCHEME_HEADERS = frozenset({*_HEADERS, "authorization", "signature"})
"""Lower-case names of the headers :func:`signature_schemes` looks at; without one, only the query can name a scheme."""

_AWS = re.compile(
    r"AWS4-(?:HMAC-SHA256|ECDSA-P256-SHA256) Credential=[^,]+,\s*SignedHeaders=[^,]+,\s*Signature=[0-9a-f]{64}"
)
_RFC9421_SIGNATURE = re.compile(rf"[a-z][a-z0-9_-]*=:{_B64}:")
_CAVAGE = re.compile(r'(?:Signature )?keyId="[^"]*",.*signature="[^"]*"', re.IGNORECASE)


def signature_schemes(headers: Iterable[tuple[str, str]], query_keys: Iterable[str] = ()) -> list[str]:
    """Return the sorted scheme names found in *headers* and *query_keys* (``[]`` when none)."""
    found: set[str] = set()
    values = {name.lower(): value.strip() for name, value in headers}
    for name, (scheme, shape) in _HEADERS.items():
        if name in values:
            found.add(scheme if shape.fullmatch(values[name]) else f"{scheme}:malformed")
    authorization = values.get("authorization", "")
    if authorization.upper().startswith("AWS4-"):
        found.add("aws_sigv4" if _AWS.fullmatch(authorization) else "aws_sigv4:malformed")
    elif authorization.startswith("Signature "):
        found.add("http_signatures_cavage" if _CAVAGE.fullmatch(authorization) else "http_signatures_cavage:malformed")
    if "signature" in values:
        signature = values["signature"]
        if _RFC9421_SIGNATURE.match(signature):
            found.add("http_message_signatures")
        elif _CAVAGE.fullmatch(signature):
            found.add("http_signatures_cavage")
        else:
            found.add("signature:malformed")
    keys = {key.lower() for key in query_keys}
    if "x-amz-signature" in keys:
        found.add("aws_sigv4_presigned")
    if "hmac" in keys:
        found.add("shopify_oauth")
    return sorted(found)
