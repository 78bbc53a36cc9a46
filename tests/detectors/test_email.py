"""Table-driven tests for redactlog.detectors.email."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactlog import Redactor
from redactlog.detectors import EmailDetector, email

REDACTOR = Redactor()
DETECTOR = EmailDetector()


def covered(text: str, secret: str) -> bool:
    """Whether every character of *secret* in *text* lies in a finding of DETECTOR."""
    start = text.index(secret)
    spans = [(f.start, f.end) for f in DETECTOR.detect(text)]
    return all(any(s <= i < e for s, e in spans) for i in range(start, start + len(secret)))


POSITIVE = [
    pytest.param(
        "from bob@corp to alice@example.com", ["alice@example.com"], id="an-address-after-an-unrelated-at-is-masked"
    ),
    pytest.param(
        "cc: ops@localhost, alice@example.com", ["alice@example.com"], id="an-address-after-a-local-host-is-masked"
    ),
    pytest.param("reset link sent to jane.doe@example.com", ["jane.doe@example.com"], id="a-plain-address-is-masked"),
    pytest.param("to=jane+billing@example.com", ["jane+billing@example.com"], id="a-plus-tag-is-part-of-the-address"),
    pytest.param(
        "from ops@mail.eu.example.co.uk", ["ops@mail.eu.example.co.uk"], id="subdomains-are-part-of-the-domain"
    ),
    pytest.param("user=Jane.Doe@EXAMPLE.COM ok", ["Jane.Doe@EXAMPLE.COM"], id="mixed-case-is-matched"),
    pytest.param('rcpt "jane doe"@example.com', ['"jane doe"@example.com'], id="a-quoted-local-part-is-masked"),
    pytest.param('rcpt "jane\\"doe"@example.com', ['"jane\\"doe"@example.com'], id="a-quoted-pair-is-part-of-it"),
    pytest.param(
        """sendmail(['"marion o\\'neill"@example.com'])""",
        ['"marion o\\\'neill"@example.com'],
        id="a-python-repr-escaping-an-apostrophe",
    ),
    pytest.param("reset for hans..ruppert@mx1.example.de", ["hans..ruppert@mx1.example.de"], id="consecutive-dots-too"),
    pytest.param("kontakt@bücher-straße.de", ["kontakt@bücher-straße.de"], id="an-idn-domain-is-masked"),
    pytest.param("info@例え.jp", ["info@例え.jp"], id="a-japanese-idn-domain-is-masked"),
    pytest.param("x info@xn--mnchen-3ya.de y", ["info@xn--mnchen-3ya.de"], id="a-punycode-domain-is-masked"),
    pytest.param("to INFO@EXAMPLE.XN--P1AI ok", ["INFO@EXAMPLE.XN--P1AI"], id="an-upper-case-punycode-tld"),
    pytest.param(
        "sent to b'm\\xc3\\xbcller@b\\xc3\\xbccher.de'",
        ["m\\xc3\\xbcller@b\\xc3\\xbccher.de"],
        id="a-bytes-repr-with-hex-escapes",
    ),
    pytest.param("GET /u?email=jane%40example.com&p=2", ["jane%40example.com"], id="percent-encoded-at-is-decoded"),
    pytest.param("q=jane%2Bnews%40example.com", ["jane%2Bnews%40example.com"], id="percent-encoded-plus-tag-too"),
    pytest.param("to=jane%40b%C3%BCcher.de&x=1", ["jane%40b%C3%BCcher.de"], id="percent-encoded-idn-domain"),
    pytest.param("combo jane@example.com:hunter2", ["jane@example.com"], id="an-address-before-a-colon-and-a-word"),
    pytest.param("limited jane@example.com:/v1/chat", ["jane@example.com"], id="an-address-before-a-colon-and-a-path"),
    pytest.param("to=jane@b%C3%BCcher.de", ["jane@b%C3%BCcher.de"], id="plain-at-percent-encoded-domain"),
    pytest.param(
        "m=ivan%40%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.%D1%80%D1%84 ok",
        ["ivan%40%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.%D1%80%D1%84"],
        id="percent-encoded-cyrillic-domain-and-tld",
    ),
    pytest.param('{"m": "jane\\u0040example.com"}', ["jane\\u0040example.com"], id="json-escaped-at-is-masked"),
    pytest.param(
        '{"email": "th\\u00e9r\\u00e8se@example.fr"}', ["th\\u00e9r\\u00e8se@example.fr"], id="json-escaped-local-part"
    ),
    pytest.param('{"email": "max@m\\u00fcnchen.de"}', ["max@m\\u00fcnchen.de"], id="json-escaped-idn-domain"),
    pytest.param("<p>jane&#64;example.com</p>", ["jane&#64;example.com"], id="an-html-entity-at-is-masked"),
    pytest.param(
        "a@example.com,b@example.org", ["a@example.com", "b@example.org"], id="adjacent-addresses-both-masked"
    ),
    pytest.param("mailto:jane@example.com?subject=hi", ["jane@example.com"], id="a-mailto-link-is-masked"),
    pytest.param(
        "https://x.example?email=jane@example.com", ["jane@example.com"], id="an-address-in-a-query-without-a-path"
    ),
]

NEGATIVE = [
    pytest.param("git clone git@github.com:acme/api.git", id="an-scp-style-git-remote"),
    pytest.param("scp deploy@build.example.com:~/app.tar.gz .", id="an-scp-copy-to-a-home-directory"),
    pytest.param("GET /static/logo@2x.png 200", id="retina-asset-names-are-not-addresses"),
    pytest.param("icons/star@3x.webp and hero@1.5x.jpg", id="scaled-assets-with-fractions-are-not-addresses"),
    pytest.param("npm i @acme/ui@4.2.1", id="npm-package-versions-are-not-addresses"),
    pytest.param("image app@sha256:abcdef0123456789", id="image-digests-are-not-addresses"),
    pytest.param("postgres://app:pw@db.internal/prod", id="url-user-info-is-left-to-url-credentials"),
    pytest.param("user@localhost logged in", id="a-dotless-host-is-not-an-address"),
    pytest.param("the @ sign alone and foo@ and @bar.com", id="half-addresses-are-not-addresses"),
]


class TestEmailDetector:
    """The e-mail detector, through the Redactor and on its own."""

    @pytest.mark.parametrize(("text", "secrets"), POSITIVE)
    def test_addresses_are_masked(self, text: str, secrets: list[str]) -> None:
        """Every address is gone from the redacted text and covered by the detector's findings."""
        out = REDACTOR.redact(text)

        assert [s for s in secrets if s in out] == []
        assert all(covered(text, s) for s in secrets)

    @pytest.mark.parametrize("text", NEGATIVE)
    def test_lookalikes_are_kept(self, text: str) -> None:
        """Asset names, package versions and URL user-info are not e-mail findings."""
        kinds = {f.kind for f in REDACTOR.scan(text)}

        assert "email" not in kinds
        assert list(DETECTOR.detect(text)) == []

    def test_url_user_info_is_still_masked_as_password(self) -> None:
        """The password in ``scheme://user:pass@host`` is masked by url_credentials, not as an e-mail."""
        out = REDACTOR.redact("https://deploy:s3cretpw@git.example.com/repo.git")

        assert out == "https://deploy:[REDACTED:url_password]@git.example.com/repo.git"

    def test_no_fragment_of_an_escaped_address_is_left(self) -> None:
        """A JSON-escaped local part is masked from its first escape, not from the last one."""
        text = '{"email": "\\u76f4\\u6a39.\\u658e\\u85e4@mx1.example.jp"}'

        assert REDACTOR.redact(text) == '{"email": "[REDACTED:email]"}'


def _local_start_by_pattern(detector: EmailDetector, text: str, low: int, at: int, after: int) -> int | None:
    for local in detector._local.finditer_in(text, low, after):
        if local.end() == at:
            return local.start()
    return None


@given(text=st.text(alphabet=st.sampled_from(list('ab9_+-.."%\\\\u0040 é@')), max_size=90))
def test_plain_local_parts_start_where_the_pattern_says(text):
    """The walk back over plain local parts finds the same start as the local-part pattern."""
    detector = EmailDetector()
    for at in (i for i, char in enumerate(text) if char == "@"):
        low = max(0, at - 80)

        assert detector._local_start(text, low, at, at + 1) == _local_start_by_pattern(detector, text, low, at, at + 1)


@given(text=st.text(alphabet=st.sampled_from(list('ab9_+-.."@&#64;x0 éZ')), max_size=60))
def test_plain_pattern_matches_like_the_full_one_without_escapes(text):
    """Without a backslash or a "%", the plain pattern matches exactly where and as the full one does."""
    full = re.compile(email._PATTERN)
    plain = re.compile(email._PLAIN_PATTERN)
    for start in range(len(text) + 1):
        a, b = full.match(text, start), plain.match(text, start)

        assert (a and (a.span(), a.span("domain"))) == (b and (b.span(), b.span("domain")))


_PIECES = st.sampled_from(
    [
        "a",
        "b9",
        "_",
        "+",
        "-",
        ".",
        "..",
        '"',
        "@",
        " ",
        "é",
        "Z",
        "x.com",
        ".org",
        "://",
        ":",
        "/",
        "xn--p1ai",
        "ex-ample",
        ".png",
    ]
)


@given(text=st.lists(_PIECES, max_size=40).map("".join))
def test_plain_fast_path_finds_what_the_general_path_finds(text):
    """On texts without escapes, percent-encoding or HTML entities, the fast path equals the general one."""
    detector = EmailDetector()

    assert detector._detect_plain(text) == list(detector._detect(text))


@pytest.mark.parametrize(
    "text",
    [
        'say "jane doe"@example.com',
        "jöhn@example.com",
        "a..b@example.com and c@example.com",
        "x" * 70 + "@example.com",
        "a@b.com@c.com",
        "https://user@example.com/path",
        "logo@2x.png from icon@1.5x.min.css",
        "to " + "a" * 65 + "@example.com",
        "to <jane@example.com> and bob @example.com",
        "to jane@bücher.example and ana@example.com",
        "to ana@example.com",
    ],
)
def test_plain_fast_path_on_edge_cases(text):
    """Quoted and non-ASCII local parts, over-long runs and back-to-back matches go the general way."""
    detector = EmailDetector()

    assert detector._detect_plain(text) == list(detector._detect(text))
