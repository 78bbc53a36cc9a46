"""Placeholders for values the request loggers mask by name (headers, parameters)."""

from __future__ import annotations

from redactlog._engine import Redactor
from redactlog.detectors.signatures import signature_digest_spans

__all__ = ["mask", "mask_digests"]


def mask(redactor: Redactor, secret: str, kind: str) -> str:
    """Return the redactor's placeholder for *secret*, a value of *kind*.

    The redactor's own mask policy applies (labels, fixed text, keyed
    pseudonyms), so request records look like every other redacted record.
    """
    return redactor.mask(secret, kind)


def mask_digests(redactor: Redactor, value: str, kind: str = "signature") -> str:
    """Mask the digests of a signature value and keep its labels and timestamps.

    ``t=1700000000,v1=<hex>`` becomes ``t=1700000000,v1=[REDACTED:signature]``
    and ``sha256=<hex>`` becomes ``sha256=[REDACTED:signature]``: the record
    still shows which scheme was used, never the digest.
    """
    pieces: list[str] = []
    position = 0
    for start, end in signature_digest_spans(value):
        pieces.append(value[position:start])
        pieces.append(mask(redactor, value[start:end], kind))
        position = end
    pieces.append(value[position:])
    return "".join(pieces)
