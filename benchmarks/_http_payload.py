"""The request body both request-logger benchmarks send, so their results compare."""

from __future__ import annotations

import json
from typing import Any


def payload(*, pii: bool) -> bytes:
    """A webhook-like JSON body of about 1 KB; with *pii*, it holds an e-mail and a phone number."""
    contact = {"email": "jane.doe@example.com", "phone": "+44 20 7946 0958"} if pii else {"team": "platform"}
    body: dict[str, Any] = {
        "action": "updated",
        "delivery": "7d5c0f0e-3b7a-4a8e-9f60-2f1d5b6c9a11",
        "repository": {"id": 1296269, "full_name": "octo-org/hello-world", "private": False},
        "sender": {"login": "octocat", "id": 583231, **contact},
        "items": [{"sku": f"SKU-{i:04d}", "quantity": i % 7, "price_cents": 1999 + i} for i in range(12)],
    }
    data = json.dumps(body).encode()
    return data + b" " * max(0, 1024 - len(data))
