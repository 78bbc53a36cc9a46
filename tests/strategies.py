"""Testing strategies for Hypothesis-based tests: generated secrets, noise and nested values.

Every secret is built at run time from random characters, so no secret-looking
literal is committed. A :class:`Sample` is the text a log line would hold
(``"Bearer <token>"``) together with the part of it that must never survive
redaction (``<token>``).
"""

from __future__ import annotations

import base64
import json
import string
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from hypothesis import assume
from hypothesis import strategies as st

from redactlog import FixedMask, LabelMask, PartialMask, PseudonymMask
from redactlog.typing import Mask

__all__ = [
    "CONTEXT_WORDS",
    "KINDS",
    "MASKS",
    "Sample",
    "clean_words",
    "masks",
    "nested_values",
    "noise",
    "plain_separators",
    "sample_in_context",
    "samples",
    "separators",
]

ALNUM = string.ascii_letters + string.digits
# The stems of the phone context words (see redactlog.detectors._digits.PHONE_CONTEXT).
CONTEXT_WORDS = ("phone", "tel", "mobile", "cell", "sms", "call", "fax", "whats", "contact", "msisdn", "dial")
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"


@dataclass(frozen=True)
class Sample:
    """A generated secret: *text* is what gets logged, *secret* what must not survive."""

    kind: str
    text: str
    secret: str


def _chars(alphabet: str, size: int, max_size: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size if max_size is None else max_size)


def _sample(kind: str) -> Callable[[str], Sample]:
    """Return a builder for samples whose whole text is the secret."""
    return lambda text: Sample(kind, text, text)


# --- e-mail -------------------------------------------------------------------------------------

_TLDS = ("com", "org", "net", "io", "de", "fr", "co.uk", "com.br", "dev", "info")
_LABEL = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)


@st.composite
def _emails(draw: st.DrawFn) -> Sample:
    local = draw(_LABEL)
    if draw(st.booleans()):
        local += draw(st.sampled_from([".", "+", "_", "-"])) + draw(_LABEL)
    if draw(st.booleans()):
        local = local.capitalize()
    labels = draw(st.lists(_LABEL, min_size=1, max_size=3))
    at = draw(st.sampled_from(["@", "@", "@", "%40"]))
    address = f"{local}{at}{'.'.join(labels)}.{draw(st.sampled_from(_TLDS))}"
    return Sample("email", address, address)


# --- phone numbers ------------------------------------------------------------------------------

_PHONE_REGIONS = ("GB", "DE", "FR", "US", "IN", "JP", "AU", "BR", "ES", "IT", "NL", "CH", "CA", "MX")
_NATIONAL_OK = frozenset({"GB", "DE", "FR", "US", "IN", "JP", "AU", "BR"})


def _phone_bases() -> list[tuple[str, phonenumbers.PhoneNumber]]:
    bases = []
    for region in _PHONE_REGIONS:
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None and phonenumbers.is_valid_number(number):
                bases.append((region, number))
    return bases


_PHONE_BASES = _phone_bases()


@st.composite
def _phones(draw: st.DrawFn) -> Sample:
    region, base = draw(st.sampled_from(_PHONE_BASES))
    number = phonenumbers.PhoneNumber()
    number.merge_from(base)
    candidate = phonenumbers.PhoneNumber()
    candidate.merge_from(base)
    candidate.national_number = base.national_number // 1000 * 1000 + draw(st.integers(0, 999))
    if phonenumbers.is_valid_number(candidate):
        number = candidate
    formats = [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164]
    if region in _NATIONAL_OK:
        formats.append(phonenumbers.PhoneNumberFormat.NATIONAL)
    text = phonenumbers.format_number(number, draw(st.sampled_from(formats)))
    if not any(c in text for c in " -()+"):
        # A bare national digit run is only a phone number after a context word.
        return Sample("phone", "phone " + text, text)
    if text.startswith("+") and draw(st.booleans()):
        # As it travels in a query string: "phone=%2B44%2020%207946%200958".
        encoded = text.replace("+", "%2B").replace(" ", "%20")
        return Sample("phone", "phone=" + encoded, encoded)
    return Sample("phone", text, text)


# --- SSNs and payment cards ---------------------------------------------------------------------

_SSN_SAMPLES = frozenset({"078051120", "219099999", "457555462", "123456789", "111111111", "333333333"})


@st.composite
def _ssns(draw: st.DrawFn) -> Sample:
    area = draw(st.integers(1, 899).filter(lambda a: a != 666))
    group = draw(st.integers(1, 99))
    serial = draw(st.integers(1, 9999))
    digits = f"{area:03d}{group:02d}{serial:04d}"
    if digits in _SSN_SAMPLES:
        digits = "536228761"
    sep = draw(st.sampled_from(["-", "-", " "]))
    text = f"{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}"
    if draw(st.booleans()):
        return Sample("us_ssn", text, text)
    return Sample("us_ssn", f"SSN: {digits}", digits)


def _luhn_check_digit(payload: str) -> str:
    total = 0
    for index, char in enumerate(reversed(payload)):
        value = int(char)
        if index % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str(-total % 10)


@st.composite
def _cards(draw: st.DrawFn) -> Sample:
    prefix, length = draw(st.sampled_from([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("37", 15), ("6011", 16)]))
    body = prefix + draw(_chars(string.digits, length - len(prefix) - 1))
    digits = body + _luhn_check_digit(body)
    sep = draw(st.sampled_from(["", " ", "-"]))
    text = sep.join(digits[i : i + 4] for i in range(0, 16, 4)) if sep and length == 16 else digits
    return Sample("credit_card", text, text)


# --- tokens -------------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@st.composite
def _jwts(draw: st.DrawFn) -> Sample:
    header = {"alg": draw(st.sampled_from(["HS256", "RS256", "ES256"])), "typ": "JWT"}
    claims = {"sub": draw(_chars(ALNUM, 4, 16)), "iat": draw(st.integers(0, 2**31))}
    signature = draw(_chars(B64URL, 43))
    token = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}.{signature}"
    return Sample("jwt", token, token)


def _prefixed(prefix: str, alphabet: str, size: int, max_size: int | None = None) -> st.SearchStrategy[Sample]:
    return _chars(alphabet, size, max_size).map(lambda body: Sample("api_key", prefix + body, prefix + body))


_UPPER_DIGITS = string.ascii_uppercase + string.digits

_API_KEYS = st.one_of(
    _prefixed("ghp_", ALNUM, 36),
    _prefixed("gho_", ALNUM, 36),
    _prefixed("github_pat_", ALNUM + "_", 82),
    _prefixed("glpat-", ALNUM, 20),
    _prefixed("AKIA", _UPPER_DIGITS, 16),
    _prefixed("AIza", ALNUM, 35),
    _prefixed("xoxb-", string.digits, 12).map(lambda s: Sample(s.kind, s.text + "-abcdefghij", s.text + "-abcdefghij")),
    _prefixed("sk_live_", ALNUM, 24, 64),
    _prefixed("rk_test_", ALNUM, 24, 64),
    _prefixed("whsec_", ALNUM, 32),
    _prefixed("sk-proj-", ALNUM, 40, 80),
    _prefixed("SK", HEX, 32),
    _prefixed("npm_", ALNUM, 36),
    _prefixed("hf_", ALNUM, 34),
    _prefixed("shpat_", HEX, 32),
    _prefixed("dop_v1_", HEX, 64),
    _prefixed("key-", HEX, 32),
    _prefixed("pypi-AgE", ALNUM, 60, 120),
)


@st.composite
def _sendgrid(draw: st.DrawFn) -> Sample:
    key = f"SG.{draw(_chars(ALNUM, 22))}.{draw(_chars(ALNUM, 43))}"
    return Sample("api_key", key, key)


@st.composite
def _aws_secret(draw: st.DrawFn) -> Sample:
    secret = draw(_chars(ALNUM + "/+", 40))
    name = draw(st.sampled_from(["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "awsSecretKey"]))
    return Sample("api_key", f"{name}={secret}", secret)


@st.composite
def _credentials(draw: st.DrawFn) -> Sample:
    if draw(st.booleans()):
        token = draw(_chars(ALNUM, 8, 40)) + draw(st.sampled_from(["1", ".", "-", "_", "~"])) + draw(_chars(ALNUM, 4))
        # "Token x" alone is prose; only "Bearer"/"Basic" are credentials without a header name.
        scheme = draw(st.sampled_from(["Bearer", "bearer", "Authorization: Token", "Authorization: Bearer"]))
        return Sample("credential", f"{scheme} {token}", token)
    user = draw(_chars(string.ascii_lowercase, 3, 10))
    password = draw(_chars(ALNUM, 6, 20))
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
    return Sample("credential", f"Basic {encoded}", encoded)


@st.composite
def _url_passwords(draw: st.DrawFn) -> Sample:
    scheme = draw(st.sampled_from(["postgres", "https", "redis", "amqp", "mysql+pymysql"]))
    user = draw(_chars(string.ascii_lowercase, 3, 10))
    password = draw(_chars(ALNUM + "!*_~", 8, 24))
    host = draw(_chars(string.ascii_lowercase, 2, 10)) + ".internal"
    return Sample("url_password", f"{scheme}://{user}:{password}@{host}/db", password)


@st.composite
def _private_keys(draw: st.DrawFn) -> Sample:
    label = draw(st.sampled_from(["RSA ", "EC ", "OPENSSH ", "ENCRYPTED ", ""]))
    lines = draw(st.lists(_chars(B64, 64), min_size=1, max_size=6))
    body = "\n".join(lines)
    marker = f"{label}PRIVATE KEY"
    return Sample("private_key", f"-----BEGIN {marker}-----\n{body}\n-----END {marker}-----", body)


@st.composite
def _signatures(draw: st.DrawFn) -> Sample:
    digest_hex = draw(_chars(HEX, 64))
    digest_b64 = draw(_chars(B64, 43)) + "="
    shape = draw(st.integers(0, 5))
    if shape == 0:
        return Sample(
            "signature", f"Stripe-Signature: t={draw(st.integers(10**9, 2 * 10**9))},v1={digest_hex}", digest_hex
        )
    if shape == 1:
        return Sample("signature", f"X-Hub-Signature-256: sha256={digest_hex}", digest_hex)
    if shape == 2:
        return Sample("signature", f"webhook-signature: v1,{digest_b64}", digest_b64)
    if shape == 3:
        return Sample("signature", f"Signature: sig1=:{digest_b64}:", digest_b64)
    if shape == 4:
        return Sample("signature", f"X-Amz-Signature={digest_hex}", digest_hex)
    return Sample("signature", f"X-Slack-Signature: v0={digest_hex}", digest_hex)


# Values under sensitive keys are masked whatever they look like.
_VALUE_CHARS = ALNUM + "!#%*+-./^_~"


@st.composite
def _key_values(draw: st.DrawFn) -> Sample:
    value = draw(_chars(ALNUM, 1)) + draw(_chars(_VALUE_CHARS, 5, 30))
    key = draw(
        st.sampled_from(
            ["password", "passwd", "api_key", "client_secret", "access_token", "X-Api-Key", "pin", "secret"]
        ),
    )
    form = draw(st.integers(0, 4))
    if form == 0:
        text = f"{key}={value}"
    elif form == 1:
        text = f'"{key}": "{value}"'
    elif form == 2:
        text = f"{key}: {value}"
    elif form == 3:
        text = f"'{key}': '{value}'"
    else:
        text = f"?user=bob&{key}={value}&page=2"
    return Sample("secret", text, value)


# --- masks --------------------------------------------------------------------------------------


def _pseudonym_key() -> bytes:
    # A fixed, obviously fake test key: 32 bytes built at run time.
    return bytes(range(32))


MASKS: dict[str, Mask] = {
    "label": LabelMask(),
    "fixed": FixedMask(),
    "fixed_stars": FixedMask("***"),
    "partial": PartialMask(),
    "pseudonym": PseudonymMask(key=_pseudonym_key(), key_id="k2026a"),
}
"""Every masking policy under test, by a short name."""


def masks() -> st.SearchStrategy[str]:
    """Return the names of the masking policies in :data:`MASKS`."""
    return st.sampled_from(sorted(MASKS))


SAMPLES_BY_KIND: dict[str, st.SearchStrategy[Sample]] = {
    "email": _emails(),
    "phone": _phones(),
    "us_ssn": _ssns(),
    "credit_card": _cards(),
    "jwt": _jwts(),
    "api_key": st.one_of(_API_KEYS, _sendgrid(), _aws_secret()),
    "credential": _credentials(),
    "url_password": _url_passwords(),
    "private_key": _private_keys(),
    "signature": _signatures(),
    "secret": _key_values(),
}
"""One strategy per built-in kind."""

KINDS = tuple(SAMPLES_BY_KIND)
"""Every built-in kind a sample can have."""


def _unambiguous(sample: Sample) -> bool:
    # A secret such as "url_pass" is a substring of "[REDACTED:url_password]", and a password
    # "aaaaaaaa" may also be the host name: finding it in the output would say nothing about a leak.
    return sample.text.count(sample.secret) == 1 and all(
        sample.secret not in mask(sample.secret, sample.kind) for mask in MASKS.values()
    )


def samples(kind: str | None = None) -> st.SearchStrategy[Sample]:
    """Return generated secrets of *kind*, or of every kind."""
    strategy = SAMPLES_BY_KIND[kind] if kind is not None else st.one_of(*SAMPLES_BY_KIND.values())
    return strategy.filter(_unambiguous)


# --- context ------------------------------------------------------------------------------------

clean_words = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)
"""Words of ASCII letters: what sits right next to a separator."""

noise = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
    max_size=40,
)
"""Arbitrary printable text: letters, digits, punctuation, symbols and spaces of any script."""

separators = st.sampled_from([" ", "\n", "\t", ", ", "; ", " | ", " - ", ": ", " (", ") ", " [", "] "])
"""What separates a secret from its neighbours in a log line."""


plain_separators = st.sampled_from([" ", "\n", "\t", ", ", "; ", " | ", " - ", " (", ") ", " [", "] "])
"""Separators without a ``:``, which would make the word before it a key."""


@st.composite
def sample_in_context(
    draw: st.DrawFn,
    kind: str | None = None,
    seps: st.SearchStrategy[str] = separators,
) -> tuple[str, Sample]:
    """Return ``prefix + sample.text + suffix`` and the sample, with a separator on each side.

    The secret occurs exactly once in the result, so finding it in the output is a leak.
    """
    sample = draw(samples(kind))
    prefix = draw(noise) + draw(clean_words) + draw(seps)
    suffix = draw(seps) + draw(clean_words) + draw(noise)
    text = prefix + sample.text + suffix
    assume(text.count(sample.secret) == 1)
    return text, sample


# --- structured values --------------------------------------------------------------------------

_SENSITIVE_KEYS = st.sampled_from(["password", "token", "Authorization", "api_key", "X-Hub-Signature-256", "ssn"])
_PLAIN_KEYS = st.sampled_from(["user", "path", "status", "count", "msg", "items", "id"])

_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    noise,
    st.binary(max_size=40),
    samples().map(lambda s: s.text),
)


def nested_values(leaves: st.SearchStrategy[object] = _leaves) -> st.SearchStrategy[object]:
    """Return nested dicts, lists, tuples and sets of *leaves* (no cycles; NaN-free so ``==`` works)."""
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.lists(children, max_size=5).map(tuple),
            st.dictionaries(st.one_of(_SENSITIVE_KEYS, _PLAIN_KEYS, noise), children, max_size=5),
            st.frozensets(st.one_of(st.integers(), noise), max_size=4),
            st.builds(bytearray, st.binary(max_size=20)),
        ),
        max_leaves=25,
    )


def strings_in(value: object) -> list[str]:
    """Return every str and decoded bytes inside *value*, keys included."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, bytes | bytearray):
            found.append(bytes(item).decode("utf-8", "replace"))
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
    return found
