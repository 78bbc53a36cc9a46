#!/usr/bin/env python3
"""Write ``examples/sample.log``: a realistic log full of *fake* secrets.

Every token, password and signature in the sample is made here from random
characters with a fixed seed, so the file is reproducible and the repository
never holds a real credential. Phone numbers are documentation numbers that
``phonenumbers`` accepts as valid; the SSN follows the SSA rules but is random.

Run ``python scripts/make_sample.py`` from the repository root after editing it
(``--check`` exits 1 when the committed sample is out of date).
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import string
import sys
import uuid
from pathlib import Path

SEED = 20260314
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample.log"

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
SLACK_ID = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
BEAST = 666  # the one area number the SSA never issues below 900
FIRST_INVALID_AREA = 900
TS = "2026-03-14 09:12:"


class Fake:
    """Random but reproducible fake values."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - fake data, not a secret

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def b64url(self, raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def jwt(self, claims: dict[str, object]) -> str:
        header = self.b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = self.b64url(json.dumps(claims, separators=(",", ":")).encode())
        return f"{header}.{payload}.{self.chars(ALNUM + '-_', 43)}"

    def card(self) -> str:
        # A Visa-shaped number with a valid Luhn check digit.
        digits = [4] + [self.rng.randrange(10) for _ in range(14)]
        total = 0
        for index, digit in enumerate(reversed(digits)):
            doubled = digit * 2 if index % 2 == 0 else digit
            total += sum(divmod(doubled, 10))
        digits.append((10 - total % 10) % 10)
        text = "".join(map(str, digits))
        return " ".join(text[i : i + 4] for i in range(0, 16, 4))

    def ssn(self) -> str:
        # SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000.
        area = self.rng.choice([a for a in range(100, FIRST_INVALID_AREA) if a != BEAST])
        return f"{area:03d}-{self.rng.randrange(1, 100):02d}-{self.rng.randrange(1, 10000):04d}"


def access(ip: str, second: int, request: str, response: tuple[int, int], agent: str, *, referer: str = "-") -> str:  # noqa: PLR0913 - one argument per log field
    """Return an access-log line in the combined log format."""
    status, size = response
    return f'{ip} - - [14/Mar/2026:09:12:{second:02d} +0000] "{request}" {status} {size} "{referer}" "{agent}"'


def build(seed: int = SEED) -> str:
    """Return the sample log text."""
    f = Fake(seed)
    db_password = f.chars(ALNUM, 18)
    session = f.chars(ALNUM, 32)
    api_token = f.chars(ALNUM, 40)
    ghp = "ghp_" + f.chars(ALNUM, 36)
    hub_sig = f.chars(HEX, 64)
    stripe_sig = f.chars(HEX, 64)
    stripe_key = "sk_test_" + f.chars(ALNUM, 24)
    aws_key = "AKIA" + f.chars(string.ascii_uppercase + string.digits, 16)
    slack_path = f"services/T{f.chars(SLACK_ID, 8)}/B{f.chars(SLACK_ID, 10)}/{f.chars(ALNUM, 24)}"
    jwt = f.jwt({"sub": "svc-reporting", "iat": 1773479520, "scope": "invoices:read"})
    reset_token = f.chars(ALNUM, 32)
    cookie = f.chars(ALNUM, 40)
    csrf = f.chars(ALNUM, 24)
    card = f.card()
    ssn = f.ssn()
    git_sha = f.chars(HEX, 40)
    digest = f.chars(HEX, 64)
    req_ids = [f.uuid() for _ in range(8)]
    delivery = f.uuid()

    body = json.dumps(
        {
            "action": "opened",
            "repository": {"full_name": "example-org/billing"},
            "sender": {"login": "octo-dev", "email": "octo.dev@example.com"},
            "installation": {"id": 4821, "access_token": "ghs_" + f.chars(ALNUM, 36)},
        },
        separators=(",", ":"),
    )
    lines = [
        TS + "01,114 INFO [app.startup] Starting billing-api version=2.8.1 pid=4121 python=3.11.9",
        f"{TS}01,117 INFO [app.startup] Build {git_sha} image=registry.example.com/billing@sha256:{digest}",
        TS + "01,120 INFO [app.config] Loaded settings from /etc/billing/settings.toml (14 keys)",
        f"{TS}01,131 INFO [app.db] Connecting to postgresql://billing:{db_password}@db.internal.example:5432/billing",
        TS + "01,245 INFO [app.db] Connection pool ready size=10 overflow=5 timeout=30s",
        TS + "01,250 INFO [app.cache] Redis connected host=cache.internal.example port=6379 db=0",
        TS + "02,003 INFO [app.http] Listening on 0.0.0.0:8080 workers=4",
        json.dumps(
            {
                "ts": "2026-03-14T09:12:05.412Z",
                "level": "info",
                "logger": "app.auth",
                "msg": "login ok",
                "user": "maria.jones@example.org",
                "ip": "203.0.113.24",
                "session_id": session,
                "request_id": req_ids[0],
            },
            separators=(",", ":"),
        ),
        json.dumps(
            {
                "ts": "2026-03-14T09:12:05.530Z",
                "level": "info",
                "logger": "app.http",
                "msg": "request finished",
                "method": "GET",
                "path": "/api/v1/invoices",
                "status": 200,
                "duration_ms": 41.7,
                "request_id": req_ids[1],
            },
            separators=(",", ":"),
        ),
        access(
            "10.1.4.22", 6, f"GET /api/v1/invoices?page=2&api_token={api_token} HTTP/1.1", (200, 5123), "curl/8.5.0"
        ),
        access("10.1.4.23", 6, "GET /healthz HTTP/1.1", (200, 2), "kube-probe/1.29"),
        access(
            "10.1.4.23",
            7,
            "GET /static/app.3f9c2d1.js HTTP/1.1",
            (304, 0),
            "Mozilla/5.0 (X11; Linux x86_64)",
            referer="https://billing.example.com/",
        ),
        access(
            "198.51.100.7",
            7,
            f"GET /account/reset?email=sam.lee%40example.net&token={reset_token} HTTP/1.1",
            (302, 0),
            "Mozilla/5.0 (Macintosh)",
        ),
        TS + "07,880 DEBUG [app.webhooks] Incoming request:",
        "POST /webhooks/github HTTP/1.1",
        "Host: billing.example.com",
        "User-Agent: GitHub-Hookshot/3f2e1d0",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        f"Authorization: Bearer {ghp}",
        f"Cookie: session={cookie}; csrftoken={csrf}; theme=dark",
        f"X-GitHub-Delivery: {delivery}",
        "X-GitHub-Event: pull_request",
        f"X-Hub-Signature-256: sha256={hub_sig}",
        "",
        body,
        TS + "07,902 INFO [app.webhooks] github delivery accepted event=pull_request status=202",
        TS + "08,010 INFO [app.jobs] Scheduled job invoice-reminders next_run=2026-03-14T10:00:00Z",
        TS + "08,400 WARNING [app.payments] Retrying charge attempt=2 backoff=0.5s",
        TS + "09,001 ERROR [app.payments] Charge failed for order 58213",
        "Traceback (most recent call last):",
        '  File "/srv/billing/app/payments.py", line 88, in charge',
        "    resp = gateway.charges.create(**payload)",
        '  File "/srv/billing/.venv/lib/python3.11/site-packages/gateway/api.py", line 212, in create',
        '    raise CardError(msg, param="number")',
        "gateway.errors.CardError: Your card was declined. payload="
        + repr({"card_number": card, "cvc": "314", "email": "sam.lee@example.net", "api_key": stripe_key}),
        TS + "09,020 INFO [app.payments] Customer notified channel=email template=charge_failed",
        f"{TS}09,310 INFO [app.sms] SMS sent to +1 650 253 0000 template=otp_login request_id={req_ids[2]}",
        json.dumps(
            {
                "ts": "2026-03-14T09:12:09.500Z",
                "level": "warning",
                "logger": "app.kyc",
                "msg": "manual review needed",
                "customer": {"name": "Jordan Example", "phone": "+44 20 7946 0958", "ssn": ssn, "country": "GB"},
                "request_id": req_ids[3],
            },
        ),
        f"{TS}09,612 INFO [app.kyc] Review opened for customer with SSN {ssn}",
        f"{TS}10,100 INFO [app.webhooks] Delivering event=invoice.paid"
        f" to https://hooks.slack.com/{slack_path} attempt=1",
        TS + "10,355 INFO [app.webhooks] Delivery ok status=200 duration=254ms",
        f"{TS}10,420 INFO [app.webhooks] Stripe webhook received Stripe-Signature: t=1773479530,v1={stripe_sig}",
        TS + "10,421 INFO [app.webhooks] Stripe event evt_test_webhook type=invoice.paid livemode=false",
        f"{TS}11,000 DEBUG [app.reports] Refreshed service token: {jwt}",
        f"{TS}11,120 INFO [app.export] Uploading to s3://billing-exports/2026/03/ with key {aws_key}",
        TS + "11,900 INFO [app.export] Uploaded 3 files (1.2 MiB) in 0.78s",
        json.dumps(
            {
                "ts": "2026-03-14T09:12:12.050Z",
                "level": "debug",
                "logger": "app.client",
                "msg": "outgoing request",
                "url": "https://api.partner.example/v2/orders",
                "headers": {"Accept": "application/json", "Authorization": f"Bearer {jwt}"},
            },
            separators=(",", ":"),
        ),
        access("10.1.4.22", 12, "POST /api/v1/payments HTTP/1.1", (201, 88), "billing-sdk/1.4.0"),
        access("10.1.4.24", 13, "GET /api/v1/customers/8841 HTTP/1.1", (200, 734), "billing-sdk/1.4.0"),
        TS + "13,250 INFO [app.mail] Sent receipt to maria.jones@example.org"
        " message_id=<20260314091213.4821@mail.example.com>",
        f"{TS}13,700 INFO [app.http] request_id={req_ids[4]} user_id=8841 status=200 duration=12ms",
        f"{TS}14,010 INFO [app.http] request_id={req_ids[5]} user_id=1203 status=404 duration=3ms",
        TS + "14,500 INFO [app.jobs] invoice-reminders done sent=42 failed=0 elapsed=1.9s",
        TS + "15,000 INFO [app.metrics] p50=11ms p95=48ms p99=130ms rps=212.4",
        json.dumps(
            {
                "ts": "2026-03-14T09:12:15.100Z",
                "level": "info",
                "logger": "app.config",
                "msg": "feature flags reloaded",
                "flags": {"new_checkout": True, "dark_mode": False},
                "max_tokens": 4096,
                "token_type": "bearer",
            },
            separators=(",", ":"),
        ),
        TS + "16,000 INFO [app.startup] Ready in 14.9s",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed sample differs")
    parser.add_argument("--output", type=Path, default=SAMPLE)
    args = parser.parse_args()
    text = build()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        return 0 if current == text else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.output} ({text.count(chr(10))} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
