"""The request bodies both request-logger benchmarks send, so their results compare."""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

SIZE = 1024
"""Bytes of every body (JSON padded with trailing spaces)."""


def payload(*, pii: bool, seq: int = 0) -> bytes:
    """A webhook-like JSON body of about 1 KB; with *pii*, it holds an e-mail and a phone number.

    *seq* numbers the delivery. The keys and the shape stay the same, as on one
    endpoint, while the delivery id, the sender and the items change with it,
    so that a body is never the same twice: a logger that remembers strings it
    has seen gets no more help here than from real traffic.
    """
    rng = random.Random(seq)  # benchmark data: reproducible, not secret
    contact = {"email": "jane.doe@example.com", "phone": "+44 20 7946 0958"} if pii else {"team": "platform"}
    body: dict[str, Any] = {
        "action": rng.choice(["created", "updated", "deleted"]),
        "delivery": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "repository": {"id": 1296269, "full_name": "octo-org/hello-world", "private": False},
        "sender": {"login": f"user{rng.randrange(100_000)}", "id": rng.randrange(10_000_000), **contact},
        "items": [_item(rng) for _ in range(12)],
    }
    data = json.dumps(body).encode()
    return data + b" " * max(0, SIZE - len(data))


def _item(rng: random.Random) -> dict[str, object]:
    sku = f"SKU-{rng.randrange(10_000):04d}"
    return {"sku": sku, "quantity": rng.randrange(7), "price_cents": rng.randrange(1000, 9999)}


def payloads(*, pii: bool, count: int) -> list[bytes]:
    """*count* distinct bodies (deliveries 0, 1, ...), each :data:`SIZE` bytes."""
    return [payload(pii=pii, seq=seq) for seq in range(count)]
