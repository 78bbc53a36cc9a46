# ruff: noqa: E501 - each log-line template reads best on one line, as it will be logged
"""Build a labelled corpus of log lines for measuring the built-in detectors.

Everything is generated at run time from a fixed seed: Faker data in eight
locales, fake credentials made of a provider prefix plus random characters,
and webhook deliveries whose signatures are real HMACs over generated bodies.
No secret-looking literal is stored in the repository.

Each :class:`Sample` is one log record (possibly several lines, as a
traceback or a request dump) with the secrets it holds, each labelled with its
kind, and the neighbouring text that must survive (key names, labels,
timestamps). Samples without secrets are *clean*: tricky negatives that look
like secrets but are not (UUIDs, git SHAs, image digests, IPs, timestamps,
versions, ids, invalid SSN and phone shapes, asset names, prose).

Run ``python benchmarks/accuracy/generate.py`` to print a few samples.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import phonenumbers
from faker import Faker

__all__ = ["KINDS", "LOCALES", "Sample", "Secret", "build_corpus"]

LOCALES: dict[str, str] = {
    "en_US": "US",
    "en_GB": "GB",
    "de_DE": "DE",
    "fr_FR": "FR",
    "pt_BR": "BR",
    "ja_JP": "JP",
    "en_AU": "AU",
    "en_IN": "IN",
}
"""Faker locales and the phone region each stands for."""

KINDS = (
    "email",
    "phone",
    "us_ssn",
    "credit_card",
    "jwt",
    "credential",
    "url_password",
    "private_key",
    "api_key",
    "signature",
    "secret",
)
"""The labelled kinds, in report order."""

ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"


@dataclass(frozen=True)
class Secret:
    """One secret in a sample: its labelled kind and its text as it appears."""

    kind: str
    value: str


@dataclass
class Sample:
    """One log record, the secrets it holds and the text around them that must survive."""

    text: str
    shape: str
    secrets: list[Secret] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether the record holds no secret at all."""
        return not self.secrets


class _Gen:
    """Random material from one seed: Faker per locale plus a ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        for index, locale in enumerate(LOCALES):
            fake = Faker(locale)
            fake.seed_instance(seed + index)
            self.fakers[locale] = fake
        self.us = self.fakers["en_US"]

    def fake(self) -> Faker:
        return self.fakers[self.rng.choice(list(LOCALES))]

    def chars(self, alphabet: str, length: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def choice(self, options: list[str] | tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def ts(self) -> str:
        return f"2026-11-{self.rng.randint(1, 28):02d} {self.rng.randint(0, 23):02d}:{self.rng.randint(0, 59):02d}:{self.rng.randint(0, 59):02d}"

    def epoch(self) -> int:
        return self.rng.randint(1_700_000_000, 1_800_000_000)

    def logger(self) -> str:
        return self.choice(("app", "app.api", "payments.webhooks", "auth", "worker.tasks", "uvicorn.access", "billing"))

    def level(self) -> str:
        return self.choice(("INFO", "INFO", "WARNING", "ERROR", "DEBUG"))

    def stdlib(self, message: str) -> str:
        return f"{self.ts()},{self.rng.randint(0, 999):03d} {self.level()} [{self.logger()}] {message}"

    def json_line(self, fields: dict[str, object]) -> str:
        record: dict[str, object] = {"ts": self.ts(), "level": self.level().lower(), "logger": self.logger()}
        record.update(fields)
        return json.dumps(record)


# --------------------------------------------------------------------------- values


def _password(g: _Gen, *, quoted: bool) -> str:
    """A password; unquoted ones avoid the characters that end an unquoted value."""
    if quoted and g.rng.random() < 0.3:
        return " ".join(g.us.word() for _ in range(4))
    specials = "!@#$%^*_+-.~" if not quoted else "!@#$%^&*()_+-=,;:~ "
    return (
        g.fake().password(length=g.rng.randint(10, 20), special_chars=False) + g.chars(specials, 2) + g.chars(ALNUM, 3)
    )


def _opaque(g: _Gen, length: int = 40) -> str:
    return g.chars(ALNUM, length - 8) + g.chars(ALNUM + "-_.", 6) + g.chars(ALNUM, 2)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(g: _Gen) -> str:
    fake = g.fake()
    header = {"alg": g.choice(("HS256", "RS256", "ES256")), "typ": "JWT"}
    if g.rng.random() < 0.3:
        header["kid"] = g.chars(HEX, 16)
    payload = {
        "sub": str(g.rng.randint(1, 10**9)),
        "email": fake.free_email(),
        "name": fake.name(),
        "iat": g.epoch(),
        "exp": g.epoch() + 3600,
    }
    compact = {"separators": (",", ":")}
    signing_input = (
        _b64url(json.dumps(header, **compact).encode()) + "." + _b64url(json.dumps(payload, **compact).encode())
    )
    digest = hmac.new(g.chars(ALNUM, 32).encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64url(digest)


def _api_key(g: _Gen) -> tuple[str, str]:
    """Return (provider, key) in the provider's public format."""
    makers: list[tuple[str, Callable[[], str]]] = [
        ("github", lambda: g.choice(("ghp_", "gho_", "ghu_", "ghs_", "ghr_")) + g.chars(ALNUM, 36)),
        ("github_pat", lambda: "github_pat_" + g.chars(ALNUM, 22) + "_" + g.chars(ALNUM, 59)),
        ("gitlab", lambda: "glpat-" + g.chars(ALNUM + "-_", 20)),
        ("aws_akid", lambda: g.choice(("AKIA", "ASIA")) + g.chars(string.ascii_uppercase + "234567", 16)),
        ("aws_session", lambda: g.choice(("FwoGZXIvYXdz", "IQoJb3JpZ2lu")) + g.chars(B64, g.rng.randint(200, 400))),
        ("google", lambda: "AIza" + g.chars(ALNUM + "-_", 35)),
        (
            "slack",
            lambda: (
                g.choice(("xoxb-", "xoxp-", "xoxa-", "xoxe-"))
                + g.chars(string.digits, 12)
                + "-"
                + g.chars(string.digits, 13)
                + "-"
                + g.chars(ALNUM, 24)
            ),
        ),
        (
            "stripe",
            lambda: (
                g.choice(("sk_live_", "rk_live_", "pk_live_", "sk_test_")) + g.chars(ALNUM, 24 + g.rng.randint(0, 75))
            ),
        ),
        ("stripe_whsec", lambda: "whsec_" + g.chars(ALNUM, 32)),
        (
            "openai",
            lambda: (
                g.choice(("sk-proj-", "sk-svcacct-", "sk-"))
                + g.chars(ALNUM + "-_", 64)
                + "T3BlbkFJ"
                + g.chars(ALNUM + "-_", 64)
            ),
        ),
        ("anthropic", lambda: "sk-ant-api03-" + g.chars(ALNUM + "-_", 93) + "AA"),
        ("twilio", lambda: "SK" + g.chars(HEX, 32)),
        ("sendgrid", lambda: "SG." + g.chars(ALNUM + "-_", 22) + "." + g.chars(ALNUM + "-_", 43)),
        ("npm", lambda: "npm_" + g.chars(ALNUM, 36)),
        ("pypi", lambda: "pypi-AgEIcHlwaS5vcmc" + g.chars(B64URL, 150)),
        ("huggingface", lambda: "hf_" + g.chars(ALNUM, 34)),
        ("shopify", lambda: g.choice(("shpat_", "shpca_", "shppa_", "shpss_")) + g.chars(HEX, 32)),
        ("digitalocean", lambda: g.choice(("dop_v1_", "doo_v1_", "dor_v1_")) + g.chars(HEX, 64)),
        ("mailgun", lambda: "key-" + g.chars(HEX, 32)),
    ]
    provider, make = makers[g.rng.randrange(len(makers))]
    return provider, make()


# --------------------------------------------------------------------------- positives


def _email_samples(g: _Gen) -> Sample:
    fake = g.fake()
    first = fake.first_name().lower()
    last = fake.last_name().lower()
    # Faker's romanised names can hold spaces or apostrophes; keep a valid local part.
    local = "".join(c for c in f"{first}.{last}" if c.isalnum() or c == ".").strip(".") or "user"
    domain = fake.free_email_domain()
    variant = g.rng.randrange(12)
    if variant == 1:
        local = f"{local}+{g.choice(('news', 'billing', 'test', 'alerts'))}"
    elif variant == 2:
        domain = f"{g.choice(('mail', 'eu', 'corp', 'mx1'))}.{fake.domain_name()}"
    elif variant == 3:
        local = local.title()
        domain = domain.upper()
    elif variant == 4:
        local = f'"{first} {last}"'
    elif variant == 5:
        domain = g.choice(("münchen.de", "bücher-straße.example", "exämple.fr", "例え.jp", "пример.рф"))
    elif variant == 6:
        domain = g.choice(("xn--mnchen-3ya.de", "xn--bcher-kva.example", "xn--r8jz45g.jp"))
    address = f"{local}@{domain}"
    shown = address
    if variant == 7:
        shown = quote(address, safe="")
        text = f'{g.choice(("10.0.3.7", "172.16.0.4"))} - - "GET /api/v1/users?email={shown}&page=2 HTTP/1.1" 200 512'
        return Sample(text, "access", [Secret("email", shown)], keep=["page=2", "GET /api/v1/users?email="])
    if variant == 8:
        shown = address.replace("@", "\\u0040")
        text = '{"event": "signup", "payload": "{\\"email\\": \\"' + shown + '\\"}"}'
        return Sample(text, "json", [Secret("email", shown)], keep=['"event": "signup"'])
    if variant == 9:
        text = f"<p>Contact: {address.replace('@', '&#64;')}</p>"
        return Sample(text, "html", [Secret("email", address.replace("@", "&#64;"))], keep=["<p>Contact: "])
    templates = (
        lambda a: g.stdlib(f"password reset requested for {a}"),
        lambda a: g.json_line({"event": "user.login", "email": a, "ip": fake.ipv4()}),
        lambda a: g.stdlib(f"sent invoice to <{a}> (mailto:{a})"),
        lambda a: g.stdlib(f"user={a} action=checkout cart_items=3"),
        lambda a: (
            f"Traceback (most recent call last):\n  File \"app/mail.py\", line 42, in send\n    smtp.sendmail(sender, [{a!r}], msg)\nSMTPRecipientsRefused: {{{a!r}: (550, b'5.1.1 unknown')}}"
        ),
    )
    template = templates[g.rng.randrange(len(templates))]
    text = template(address)
    # JSON logs escape non-ASCII (json.dumps default): label the address as written.
    shown = address if address in text else json.dumps(address)[1:-1]
    if shown not in text:
        shown = repr(address)[1:-1]
    return Sample(text, "mixed", [Secret("email", shown)])


def _valid_phone(g: _Gen) -> tuple[str, str]:
    """Return (locale, number as written) for a Faker number that is valid in its region."""
    while True:
        locale = g.choice(tuple(LOCALES))
        region = LOCALES[locale]
        raw = g.fakers[locale].phone_number()
        for mark in ("x", " ext", "ext"):
            raw = raw.split(mark)[0].strip()
        try:
            parsed = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(parsed):
            continue
        style = g.rng.randrange(5)
        if style == 1:
            raw = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        elif style == 2:
            raw = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        elif style == 3:
            raw = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
            if g.rng.random() < 0.3:
                # Dotted national numbers drop the parentheses: "02.4578.4810".
                raw = raw.replace("(", "").replace(")", "").replace(" ", ".")
        return locale, raw


def _phone_samples(g: _Gen) -> Sample:
    _, number = _valid_phone(g)
    bare = number.isdigit()
    with_context = (
        lambda n: g.stdlib(f"sms delivered to {n} status=ok"),
        lambda n: g.json_line({"event": "otp.sent", "phone": n, "channel": "sms"}),
        lambda n: g.stdlib(f"customer asked us to call {n} tomorrow"),
        lambda n: g.stdlib(f"profile updated: mobile={n}"),
        lambda n: f"Tel: {n}",
        lambda n: g.json_line({"msg": "contact saved", "tel": n}),
        # Beside other numbers, one blank between (a date, a time).
        lambda n: g.stdlib(
            f"sms to {n} {g.rng.randrange(2020, 2027)}-{g.rng.randrange(1, 13):02d}-{g.rng.randrange(1, 29):02d}"
        ),
        lambda n: g.stdlib(
            f"call {n} {g.rng.randrange(24):02d}:{g.rng.randrange(60):02d}:{g.rng.randrange(60):02d} ok"
        ),
    )
    without_context = (
        lambda n: g.stdlib(f"reached {n} after 2 attempts"),
        lambda n: g.json_line({"event": "lead.created", "number": n}),
        lambda n: g.stdlib(f"forwarding to {n}"),
        lambda n: g.stdlib(f"ticket {g.rng.randrange(10, 99)}-{g.rng.randrange(1000, 9999)} {n} assigned"),
    )
    pool = with_context if bare or g.rng.random() < 0.6 else without_context
    text = pool[g.rng.randrange(len(pool))](number)
    return Sample(text, "mixed", [Secret("phone", number)])


def _ssn_samples(g: _Gen) -> Sample:
    digits = g.us.ssn().replace("-", "")
    while digits[:3] in {"000", "666"} or digits[0] == "9" or digits[3:5] == "00" or digits[5:] == "0000":
        digits = g.us.ssn().replace("-", "")
    style = g.rng.randrange(4)
    if style == 0:
        value = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
        text = g.stdlib(f"verifying applicant {g.us.name()} ssn {value}")
    elif style == 1:
        value = f"{digits[:3]} {digits[3:5]} {digits[5:]}"
        text = g.json_line({"form": "W-9", "note": f"SSN on file: {value}"})
    elif style == 2:
        value = digits
        text = g.stdlib(f"social security number {value} did not match")
    else:
        value = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
        text = f"{g.us.name()},{value},{g.us.city()}"
    return Sample(text, "mixed", [Secret("us_ssn", value)])


def _card_samples(g: _Gen) -> Sample:
    card_type = g.choice(("visa16", "mastercard", "amex", "discover", "jcb16", "diners", "visa13"))
    number = g.us.credit_card_number(card_type=card_type)
    style = g.rng.randrange(3)
    if style == 1 and len(number) == 16:
        number = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    elif style == 2 and len(number) == 16:
        number = "-".join(number[i : i + 4] for i in range(0, 16, 4))
    templates = (
        lambda n: g.stdlib(f"charge failed for card {n} exp 12/28"),
        lambda n: g.json_line({"event": "payment", "pan": n, "amount": 1999}),
        lambda n: g.stdlib(f"order {g.rng.randint(10000, 99999)} paid with {n}"),
    )
    return Sample(templates[g.rng.randrange(len(templates))](number), "mixed", [Secret("credit_card", number)])


def _jwt_samples(g: _Gen) -> Sample:
    token = _jwt(g)
    templates = (
        lambda t: (g.stdlib(f"Authorization: Bearer {t}"), ["Authorization: Bearer "]),
        lambda t: (f'10.1.2.3 - - "GET /callback?id_token={t}&state=ok HTTP/1.1" 302 0', ["GET /callback?id_token="]),
        lambda t: (g.json_line({"msg": "token issued", "access_token": t}), ['"msg": "token issued"']),
        lambda t: (g.stdlib(f"failed to verify {t}: signature expired"), [": signature expired"]),
        lambda t: (g.stdlib(f"Cookie: theme=dark; session={t}"), ["Cookie: "]),
    )
    text, keep = templates[g.rng.randrange(len(templates))](token)
    return Sample(text, "mixed", [Secret("jwt", token)], keep=keep)


def _credential_samples(g: _Gen) -> Sample:
    style = g.rng.randrange(3)
    if style == 0:
        scheme, value = "Bearer", _opaque(g, g.rng.randint(24, 64))
    elif style == 1:
        user = g.fake().user_name()
        scheme, value = "Basic", base64.b64encode(f"{user}:{_password(g, quoted=True)}".encode()).decode()
    else:
        scheme, value = "Token", g.chars(HEX, 40)
    header = g.choice(("Authorization", "Proxy-Authorization", "authorization"))
    templates = (
        lambda: g.stdlib(f"outgoing request headers: {header}: {scheme} {value}"),
        lambda: f"curl -X POST https://api.example.com/v1/items -H '{header}: {scheme} {value}' -d @body.json",
        lambda: g.stdlib(f"headers={{'Accept': 'application/json', '{header}': '{scheme} {value}'}}"),
        lambda: g.json_line({"headers": {header: f"{scheme} {value}", "Accept": "*/*"}}),
        lambda: (
            f'POST /v1/charges HTTP/1.1\nHost: api.example.com\n{header}: {scheme} {value}\nContent-Type: application/json\n\n{{"amount": 100}}'
        ),
    )
    text = templates[g.rng.randrange(len(templates))]()
    return Sample(text, "request", [Secret("credential", value)], keep=[header])


def _url_password_samples(g: _Gen) -> Sample:
    fake = g.fake()
    user = "".join(c for c in fake.user_name() if c.isalnum() or c in "._") or "app"
    password = quote(_password(g, quoted=False), safe="")
    host = g.choice(("db.internal", "10.0.4.12", "cache-1.prod.local", "cluster0.ab1cd.mongodb.net", "mq.example.com"))
    scheme, port, path = g.choice(
        (
            ("postgresql", ":5432", "/orders"),
            ("mysql+pymysql", ":3306", "/shop"),
            ("redis", ":6379", "/0"),
            ("mongodb+srv", "", "/app?retryWrites=true"),
            ("amqp", ":5672", "/vhost"),
            ("https", "", "/repo.git"),
        ),
    )
    dsn = f"{scheme}://{user}:{password}@{host}{port}{path}"
    templates = (
        lambda: g.stdlib(f"connecting to {dsn}"),
        lambda: g.json_line({"msg": "engine created", "url": dsn}),
        lambda: (
            f'Traceback (most recent call last):\n  File "db.py", line 12, in connect\nOperationalError: could not connect to {dsn}: timeout'
        ),
        lambda: f"DATABASE_URL={dsn}",
    )
    text = templates[g.rng.randrange(len(templates))]()
    return Sample(text, "dsn", [Secret("url_password", password)], keep=[f"{scheme}://{user}:", f"@{host}"])


def _private_key_samples(g: _Gen) -> Sample:
    label = g.choice(
        ("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY")
    )
    body = "\n".join(g.chars(B64, 64) for _ in range(g.rng.randint(4, 12)))
    block = f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"
    style = g.rng.randrange(3)
    if style == 0:
        text = f"{g.stdlib('loaded signing key:')}\n{block}\n"
        return Sample(text, "multiline", [Secret("private_key", block)], keep=["loaded signing key:"])
    if style == 1:
        escaped = json.dumps(block)[1:-1]
        text = g.json_line({"msg": "config"})[:-1] + ', "tls": "' + escaped + '"}'
        return Sample(text, "json", [Secret("private_key", escaped)], keep=['"msg": "config"'])
    truncated = block[: len(block) // 2]
    text = g.stdlib(f"key material (truncated): {truncated}")
    return Sample(text, "stdlib", [Secret("private_key", truncated)], keep=["key material (truncated): "])


def _api_key_samples(g: _Gen) -> Sample:
    provider, key = _api_key(g)
    templates = (
        lambda k: g.stdlib(f"using credentials {k} for upload"),
        lambda k: g.json_line({"msg": "client configured", "value": k}),
        lambda k: f'  File "deploy.py", line 9, in <module>\n    client = Client({k!r})',
        lambda k: g.stdlib(f"env: PROVIDER_KEY={k} REGION=eu-west-1"),
        lambda k: g.stdlib(f"git remote set-url origin https://github.com/acme/app.git # {k}"),
    )
    text = templates[g.rng.randrange(len(templates))](key)
    if provider == "slack" and g.rng.random() < 0.5:
        path = f"T{g.chars(string.ascii_uppercase + string.digits, 10)}/B{g.chars(string.ascii_uppercase + string.digits, 10)}/{g.chars(ALNUM, 24)}"
        text = g.stdlib(f"posting alert to https://hooks.slack.com/services/{path}")
        return Sample(text, "stdlib", [Secret("api_key", path)], keep=["https://hooks.slack.com/"])
    if provider == "aws_akid" and g.rng.random() < 0.5:
        secret = g.chars(ALNUM + "/+", 40)
        text = g.choice(
            (
                f"[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n",
                f"AWS_ACCESS_KEY_ID={key} AWS_SECRET_ACCESS_KEY={secret}",
                g.stdlib(f"boto3 creds: {{'AccessKeyId': '{key}', 'SecretAccessKey': '{secret}'}}"),
            ),
        )
        return Sample(text, "config", [Secret("api_key", key), Secret("api_key", secret)])
    return Sample(text, "mixed", [Secret("api_key", key)])


def _hex_hmac(secret: bytes, message: bytes, algorithm: str = "sha256") -> str:
    return hmac.new(secret, message, algorithm).hexdigest()


def _b64_hmac(secret: bytes, message: bytes, algorithm: str = "sha256") -> str:
    return base64.b64encode(hmac.new(secret, message, algorithm).digest()).decode()


def _signature_samples(g: _Gen) -> Sample:  # noqa: PLR0915 - one branch per scheme
    fake = g.fake()
    body = json.dumps({"id": f"evt_{g.chars(ALNUM, 14)}", "email_opt_in": False, "name": fake.company()}).encode()
    key = g.chars(ALNUM, 32).encode()
    ts = g.epoch()
    scheme = g.rng.randrange(13)
    if scheme == 0:
        digest = _hex_hmac(key, body)
        text = f"POST /hooks/github HTTP/1.1\nX-GitHub-Event: push\nX-GitHub-Delivery: {uuid.UUID(int=g.rng.getrandbits(128))}\nX-Hub-Signature-256: sha256={digest}\n\n{body.decode()}"
        return Sample(
            text,
            "webhook",
            [Secret("signature", digest)],
            keep=["X-Hub-Signature-256: sha256=", "X-GitHub-Event: push"],
        )
    if scheme == 1:
        digest = _hex_hmac(key, body, "sha1")
        text = g.stdlib(f"delivery headers X-Hub-Signature: sha1={digest}")
        return Sample(text, "webhook", [Secret("signature", digest)], keep=["X-Hub-Signature: sha1="])
    if scheme == 2:
        v1 = _hex_hmac(key, f"{ts}.".encode() + body)
        extra = g.rng.random() < 0.4
        v0 = _hex_hmac(g.chars(ALNUM, 32).encode(), body)
        value = f"t={ts},v1={v1}" + (f",v0={v0}" if extra else "")
        text = g.choice(
            (
                f"Stripe-Signature: {value}",
                g.stdlib(f"stripe webhook received headers={{'Stripe-Signature': '{value}'}}"),
                g.json_line({"headers": {"stripe-signature": value}, "path": "/hooks/stripe"}),
            ),
        )
        secrets = [Secret("signature", v1)] + ([Secret("signature", v0)] if extra else [])
        return Sample(text, "webhook", secrets, keep=[f"t={ts},v1="])
    if scheme == 3:
        digest = _hex_hmac(key, f"v0:{ts}:".encode() + body)
        text = f"X-Slack-Request-Timestamp: {ts}\nX-Slack-Signature: v0={digest}"
        return Sample(text, "webhook", [Secret("signature", digest)], keep=[f"X-Slack-Request-Timestamp: {ts}", "v0="])
    if scheme == 4:
        digest = _b64_hmac(key, body)
        text = g.choice(
            (
                f"X-Shopify-Topic: orders/create\nX-Shopify-Hmac-Sha256: {digest}\nX-Shopify-Shop-Domain: acme.myshopify.com",
                g.json_line({"headers": {"X-Shopify-Hmac-Sha256": digest, "X-Shopify-Topic": "orders/create"}}),
            ),
        )
        return Sample(text, "webhook", [Secret("signature", digest)], keep=["orders/create"])
    if scheme == 5:
        url = f"https://example.com/sms/status?MessageSid=SM{g.chars(HEX, 32)}"
        digest = _b64_hmac(key, url.encode(), "sha1")
        text = g.stdlib(f"twilio callback url={url} X-Twilio-Signature: {digest}")
        return Sample(text, "webhook", [Secret("signature", digest)], keep=["X-Twilio-Signature:"])
    if scheme == 6:
        msg_id = f"msg_{g.chars(ALNUM, 27)}"
        first = _b64_hmac(key, f"{msg_id}.{ts}.".encode() + body)
        second = _b64_hmac(g.chars(ALNUM, 32).encode(), f"{msg_id}.{ts}.".encode() + body)
        header = g.choice(("webhook-signature", "svix-signature", "Webhook-Signature"))
        value = f"v1,{first} v1,{second}" if g.rng.random() < 0.5 else f"v1,{first}"
        text = f"webhook-id: {msg_id}\nwebhook-timestamp: {ts}\n{header}: {value}"
        secrets = [Secret("signature", first)] + ([Secret("signature", second)] if second in value else [])
        return Sample(text, "webhook", secrets, keep=[f"webhook-id: {msg_id}", f"webhook-timestamp: {ts}", "v1,"])
    if scheme == 7:
        akid = "AKIA" + g.chars(string.ascii_uppercase + "234567", 16)
        digest = _hex_hmac(key, body)
        text = (
            f"Authorization: AWS4-HMAC-SHA256 Credential={akid}/20261124/us-east-1/s3/aws4_request, "
            f"SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={digest}"
        )
        return Sample(text, "request", [Secret("api_key", akid), Secret("signature", digest)], keep=["Authorization:"])
    if scheme == 8:
        akid = "AKIA" + g.chars(string.ascii_uppercase + "234567", 16)
        digest = _hex_hmac(key, body)
        text = (
            f'10.0.0.8 - - "GET /bucket/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={akid}%2F20261124%2Fus-east-1%2Fs3%2Faws4_request'
            f'&X-Amz-Date=20261124T101500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={digest} HTTP/1.1" 200 1024'
        )
        return Sample(
            text,
            "access",
            [Secret("api_key", akid), Secret("signature", digest)],
            keep=["X-Amz-Date=20261124T101500Z", "X-Amz-Expires=3600", "X-Amz-Signature="],
        )
    if scheme == 9:
        digest = _b64_hmac(key, body)
        text = (
            f'Signature-Input: sig1=("@method" "@target-uri" "content-digest");created={ts};alg="hmac-sha256"\n'
            f"Signature: sig1=:{digest}:"
        )
        return Sample(text, "request", [Secret("signature", digest)], keep=["Signature: sig1=:"])
    if scheme == 10:
        digest = _hex_hmac(key, body)
        text = g.choice((f"X-Signature: {digest}", g.stdlib(f"webhook rejected, X-Webhook-Signature={digest}")))
        return Sample(text, "webhook", [Secret("signature", digest)], keep=["Signature"])
    if scheme == 11:
        digest = _hex_hmac(key, body)
        param = g.choice(("signature", "sig", "hmac"))
        text = f'10.2.0.1 - - "GET /auth/callback?code_challenge=abc&shop=acme.myshopify.com&timestamp={ts}&{param}={digest} HTTP/1.1" 200 0'
        return Sample(
            text,
            "access",
            [Secret("signature", digest)],
            keep=[f"timestamp={ts}", f"&{param}=", "shop=acme.myshopify.com"],
        )
    digest = _b64_hmac(key, body)
    text = g.json_line({"event": "delivery", "signature": digest, "attempt": 2})
    return Sample(text, "json", [Secret("signature", digest)], keep=['"signature": "', '"attempt": 2'])


def _secret_samples(g: _Gen) -> Sample:
    key = g.choice(
        (
            "password",
            "passwd",
            "pwd",
            "client_secret",
            "api_key",
            "apiKey",
            "X-Api-Key",
            "refresh_token",
            "accessToken",
            "private_key",
            "credential",
            "DB_PASSWORD",
            "secret",
            "pin",
            "cvv",
            "session_id",
            "x-auth-token",
        ),
    )
    if key in {"pin", "cvv"}:
        value = g.chars(string.digits, 4 if key == "pin" else 3)
    elif key in {"api_key", "apiKey", "X-Api-Key", "refresh_token", "accessToken", "session_id", "x-auth-token"}:
        value = _opaque(g, g.rng.randint(20, 48))
    else:
        value = _password(g, quoted=True)
    # Unquoted forms (logfmt, query strings, headers) cannot hold spaces or separators.
    opaque = key in {
        "pin",
        "cvv",
        "api_key",
        "apiKey",
        "X-Api-Key",
        "refresh_token",
        "accessToken",
        "session_id",
        "x-auth-token",
    }
    unquoted = value if opaque else _password(g, quoted=False)
    style = g.rng.randrange(10)
    if style == 8:
        body = json.dumps({"username": g.fake().user_name(), key: value})
        text = f"POST /api/login HTTP/1.1\nHost: app.example.com\nContent-Type: application/json\n\n{body}"
        return Sample(text, "request", [Secret("secret", json.dumps(value)[1:-1])], keep=[key, "Host: app.example.com"])
    if style == 9:
        shown = quote(unquoted, safe="")
        text = f"POST /login HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nusername=bob&{key}={shown}&remember=on"
        return Sample(text, "request", [Secret("secret", shown)], keep=[key, "&remember=on"])
    if style == 0:
        text, shown = g.json_line({"user": g.fake().user_name(), key: value}), json.dumps(value)[1:-1]
    elif style == 1:
        text, shown = g.stdlib(f"login attempt {key}={unquoted} user=alice"), unquoted
    elif style == 2:
        shown = quote(unquoted, safe="")
        text = f'10.0.0.1 - - "POST /login?next=%2Fhome&{key}={shown}&remember=1 HTTP/1.1" 302 0'
    elif style == 3:
        text, shown = g.stdlib(f"form data: {{'username': 'bob', '{key}': {value!r}}}"), repr(value)[1:-1]
    elif style == 4:
        text, shown = f"{key}: {unquoted}", unquoted
    elif style == 5:
        text, shown = f'time=2026-11-24T10:00:00Z level=info msg="auth" {key}="{value}" ok=true', value
    elif style == 6:
        session = _opaque(g, 32)
        text, shown = g.stdlib(f"Cookie: sessionid={session}; csrftoken={g.chars(ALNUM, 32)}"), session
        key = "Cookie"
    else:
        text, shown = f"python manage.py createsuperuser --{key}={unquoted} --noinput", unquoted
    if len(shown) < 6 and key not in {"pin", "cvv"}:
        shown = value
    return Sample(text, "keyvalue", [Secret("secret", shown)], keep=[key])


_POSITIVE: dict[str, Callable[[_Gen], Sample]] = {
    "email": _email_samples,
    "phone": _phone_samples,
    "us_ssn": _ssn_samples,
    "credit_card": _card_samples,
    "jwt": _jwt_samples,
    "credential": _credential_samples,
    "url_password": _url_password_samples,
    "private_key": _private_key_samples,
    "api_key": _api_key_samples,
    "signature": _signature_samples,
    "secret": _secret_samples,
}


# --------------------------------------------------------------------------- negatives


def _invalid_ssn(g: _Gen) -> str:
    area, group, serial = g.rng.randint(1, 899), g.rng.randint(1, 99), g.rng.randint(1, 9999)
    broken = g.rng.randrange(6)
    if broken == 0:
        area = 0
    elif broken == 1:
        area = 666
    elif broken == 2:
        area = g.rng.randint(900, 999)
    elif broken == 3:
        group = 0
    elif broken == 4:
        serial = 0
    else:
        return g.choice(("078-05-1120", "219-09-9999", "457-55-5462"))
    return f"{area:03d}-{group:02d}-{serial:04d}"


def _is_phone_anywhere(text: str) -> bool:
    for region in (None, *LOCALES.values()):
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(text, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def _invalid_phone(g: _Gen) -> str:
    while True:
        shape = g.rng.randrange(4)
        if shape == 0:
            text = f"({g.rng.randint(0, 199):03d}) {g.rng.randint(0, 999):03d}-{g.rng.randint(0, 9999):04d}"
        elif shape == 1:
            text = (
                f"+{g.rng.randint(1, 99)} {g.rng.randint(0, 9)}{g.rng.randint(0, 999):03d} {g.rng.randint(0, 99):02d}"
            )
        elif shape == 2:
            text = f"000-{g.rng.randint(0, 999):03d}-{g.rng.randint(0, 9999):04d}"
        else:
            text = f"+{g.rng.randint(800, 899)} {g.rng.randint(0, 9999):04d} {g.rng.randint(0, 9999):04d}"
        if not _is_phone_anywhere(text):
            return text


def _invalid_card(g: _Gen) -> str:
    number = g.us.credit_card_number(card_type="visa16")
    last = (int(number[-1]) + g.rng.randint(1, 9)) % 10
    return number[:-1] + str(last)


def _negative(g: _Gen) -> Sample:
    fake = g.fake()
    sha = g.chars(HEX, 40)
    digest = g.chars(HEX, 64)
    uid = str(uuid.UUID(int=g.rng.getrandbits(128)))
    ts = g.epoch()
    ip = fake.ipv4()
    shapes: list[Callable[[], tuple[str, str]]] = [
        lambda: ("stdlib", g.stdlib(f"request_id={uid} completed in {g.rng.randint(1, 99999)}ms status=200")),
        # One UUID in a few hundred starts with twelve decimal digits, which
        # may form a valid national phone number ("08903526-7154-...").
        lambda: (
            "stdlib",
            g.stdlib(f"request_id={g.chars('0123456789', 8)}-{g.chars('0123456789', 4)}{uid[13:]} done"),
        ),
        lambda: ("stdlib", g.stdlib(f"deployed commit {sha} ({sha[:7]}) to production")),
        lambda: ("stdlib", g.stdlib(f"pulled image registry.example.com/app@sha256:{digest}")),
        lambda: (
            "json",
            g.json_line({"image": f"ghcr.io/acme/api:1.{g.rng.randint(0, 40)}.0", "digest": f"sha256:{digest}"}),
        ),
        lambda: (
            "stdlib",
            g.stdlib(f"connection from {ip}:{g.rng.randint(1024, 65535)} to 10.0.0.{g.rng.randint(1, 254)}:8443"),
        ),
        lambda: ("stdlib", g.stdlib(f"client {fake.ipv6()} rate limited")),
        lambda: (
            "stdlib",
            g.stdlib(f"Started worker pid={g.rng.randint(1000, 4194304)} port={g.rng.randint(1024, 65535)}"),
        ),
        lambda: (
            "stdlib",
            g.stdlib(f"job finished duration={g.rng.randint(1000000, 99999999)}us elapsed={g.rng.random() * 1e4:.3f}s"),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"running python 3.11.{g.rng.randint(0, 12)} on Windows 10.0.{g.rng.randint(10000, 22631)}.{g.rng.randint(100, 4000)}"
            ),
        ),
        lambda: (
            "stdlib",
            g.stdlib(f"epoch={ts} epoch_ms={ts * 1000 + g.rng.randint(0, 999)} next_run={fake.iso8601()}"),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"report for {fake.date(pattern='%d/%m/%Y')} and {fake.date(pattern='%m-%d-%Y')} and {fake.date(pattern='%Y.%m.%d')}"
            ),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"order {g.rng.randint(10**6, 10**12)} shipped, invoice INV-{g.rng.randint(2020, 2026)}-{g.rng.randint(0, 9999999):07d}"
            ),
        ),
        lambda: (
            "json",
            g.json_line(
                {
                    "order_id": g.rng.randint(10**8, 10**11),
                    "user_id": g.rng.randint(10**6, 10**10),
                    "items": g.rng.randint(1, 9),
                }
            ),
        ),
        lambda: ("stdlib", g.stdlib(f"rejected malformed SSN field value {_invalid_ssn(g)}")),
        lambda: ("stdlib", g.stdlib(f"lookup failed for reference {_invalid_ssn(g)}")),
        lambda: ("stdlib", g.stdlib(f"dialled pattern {_invalid_phone(g)} is not routable")),
        lambda: ("stdlib", g.stdlib(f"checksum mismatch for card-like id {_invalid_card(g)}")),
        lambda: (
            "access",
            f'{ip} - - [24/Nov/2026:10:{g.rng.randint(0, 59):02d}:00 +0000] "GET /static/img/logo@2x.png HTTP/1.1" 200 {g.rng.randint(100, 99999)} "-" "{fake.user_agent()}"',
        ),
        lambda: ("stdlib", g.stdlib(f"missing asset icons/{fake.word()}@3x.webp, fallback to sprite@2x.png")),
        lambda: (
            "stdlib",
            g.stdlib(
                g.choice(
                    (
                        "Password reset email sent",
                        "invalid token format, expected three segments",
                        "Basic authentication failed for user admin",
                        "token expired, asking client to refresh",
                        "the bearer of this message is trusted",
                        "Basic plan upgraded to Pro",
                        "password must be at least 12 characters long",
                        "session expired after 30 minutes of inactivity",
                        "Authorization header missing",
                        "rotating signing secret is scheduled",
                    )
                )
            ),
        ),
        lambda: ("stdlib", g.stdlib(f"token_type=bearer expires_in={g.rng.randint(300, 86400)} scope=read")),
        lambda: (
            "json",
            g.json_line(
                {"max_tokens": 4096, "token_count": g.rng.randint(1, 9999), "password_changed_at": fake.iso8601()}
            ),
        ),
        lambda: ("stdlib", g.stdlib(f'etag="{g.chars(HEX, 32)}" md5={g.chars(HEX, 32)} sha1sum {sha}')),
        lambda: (
            "stdlib",
            g.stdlib(f"trace_id={g.chars(HEX, 32)} span_id={g.chars(HEX, 16)} parent={g.chars(HEX, 16)}"),
        ),
        lambda: (
            "access",
            f'{ip} - - [24/Nov/2026:10:00:00 +0000] "GET /api/v2/products?page={g.rng.randint(1, 99)}&limit=50&sort=-created&q={fake.word()} HTTP/1.1" 200 {g.rng.randint(100, 99999)} "{fake.url()}" "{fake.user_agent()}"',
        ),
        lambda: (
            "multiline",
            f"Traceback (most recent call last):\n  File \"/usr/lib/python3.11/site-packages/app/{fake.word()}.py\", line {g.rng.randint(1, 2000)}, in handle\n    return int(value)\nValueError: invalid literal for int() with base 10: '{g.rng.randint(10**6, 10**9)}x'",
        ),
        lambda: ("stdlib", g.stdlib("connecting to postgresql://db.internal:5432/app and redis://cache:6379/0")),
        lambda: (
            "request",
            f"X-GitHub-Delivery: {uid}\nX-GitHub-Event: push\nX-Amz-Date: 20261124T10{g.rng.randint(0, 59):02d}00Z\nX-Amz-Content-Sha256: {digest}\nwebhook-timestamp: {ts}",
        ),
        lambda: ("stdlib", g.stdlib(f"shipping to {fake.address().replace(chr(10), ', ')}")),
        lambda: ("stdlib", g.stdlib(f"{fake.name()} from {fake.company()} said: {fake.sentence()}")),
        lambda: (
            "stdlib",
            g.stdlib(
                f"amount=${g.rng.randint(1, 999)},{g.rng.randint(0, 999):03d}.{g.rng.randint(0, 99):02d} bytes={g.rng.randint(10**6, 10**9)} lat={fake.latitude()} lon={fake.longitude()}"
            ),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"Content-Length: {g.rng.randint(10**6, 10**8)} Range: bytes={g.rng.randint(0, 10**6)}-{g.rng.randint(10**6, 10**7)}"
            ),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"scheduled at {g.rng.randint(0, 23):02d}:{g.rng.randint(0, 59):02d}:{g.rng.randint(0, 59):02d}.{g.rng.randint(0, 999999):06d} on 2026-11-24T10:00:00.123456+00:00"
            ),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"npm install @acme/ui@{g.rng.randint(1, 9)}.{g.rng.randint(0, 30)}.{g.rng.randint(0, 30)} requests==2.{g.rng.randint(20, 32)}.0"
            ),
        ),
        lambda: (
            "stdlib",
            g.stdlib(f"iface eth0 mac {fake.mac_address()} mtu 1500 rx_bytes={g.rng.randint(10**6, 10**12)}"),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"pod api-{g.chars(HEX, 10)}-{g.chars(string.ascii_lowercase + string.digits, 5)} restarted, color #{g.chars(HEX, 6)}"
            ),
        ),
        lambda: (
            "multiline",
            f"java.lang.IllegalStateException: bad state\n\tat com.acme.Service.run(Service.java:{g.rng.randint(10, 999)})\n\tat java.base/java.lang.Thread.run(Thread.java:{g.rng.randint(100, 999)})",
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"db: orders lookup for ids ({g.rng.randint(10**6, 10**9)}, {g.rng.randint(10**6, 10**9)}) limit 50 -- {g.rng.random() * 100:.3f} ms"
            ),
        ),
        lambda: (
            "json",
            g.json_line({"values": [round(g.rng.random() * 1000, 4) for _ in range(6)], "cron": "*/5 * * * *"}),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"C:\\Users\\{fake.user_name()}\\AppData\\Local\\Temp\\tmp{g.chars(HEX, 8)}.tmp saved ({g.rng.randint(1, 10**7)} bytes)"
            ),
        ),
        lambda: ("stdlib", g.stdlib(f"thumbnail data:image/png;base64,{g.chars(B64, 120)}= generated")),
        lambda: (
            "stdlib",
            g.stdlib(
                f"isbn 978-{g.rng.randint(0, 9)}-{g.rng.randint(100, 999)}-{g.rng.randint(10000, 99999)}-{g.rng.randint(0, 9)} shelf {g.rng.randint(1, 99)}"
            ),
        ),
        lambda: (
            "stdlib",
            g.stdlib(
                f"build {g.rng.randint(1000, 9999)} took {g.rng.randint(1, 59)}m{g.rng.randint(0, 59)}s, cache hit ratio 0.{g.rng.randint(100, 999)}"
            ),
        ),
        lambda: (
            "stdlib",
            g.stdlib(f"GET https://cdn.example.com/assets/app.{g.chars(HEX, 20)}.js 200 ({g.rng.randint(1, 999)} ms)"),
        ),
    ]
    shape, text = shapes[g.rng.randrange(len(shapes))]()
    return Sample(text, f"negative:{shape}")


def build_corpus(*, seed: int = 20261124, per_kind: int = 200, negatives: int = 1500) -> list[Sample]:
    """Return the labelled corpus: *per_kind* samples of each kind, then *negatives* clean ones.

    Args:
        seed: Seed for Faker and for every random choice; the same seed
            gives the same corpus.
        per_kind: How many samples hold a secret of each kind.
        negatives: How many clean samples (tricky negatives) to add.
    """
    g = _Gen(seed)
    samples: list[Sample] = []
    for make in _POSITIVE.values():
        samples.extend(make(g) for _ in range(per_kind))
    samples.extend(_negative(g) for _ in range(negatives))
    return samples


def _iter_preview(samples: list[Sample]) -> Iterator[str]:
    for sample in samples:
        kinds = ",".join(s.kind for s in sample.secrets) or "clean"
        yield f"[{kinds}] {sample.text!r}"


if __name__ == "__main__":
    corpus = build_corpus(per_kind=3, negatives=20)
    for line in _iter_preview(corpus):
        print(line)
