"""Table-driven tests for redactlog.detectors.tokens (fake credentials are built at run time)."""

from __future__ import annotations

import base64
import json
import random
import secrets
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactlog import Redactor
from redactlog.detectors import (
    AuthorizationDetector,
    JWTDetector,
    PrivateKeyDetector,
    URLCredentialsDetector,
    api_key_detectors,
    tokens,
)
from redactlog.typing import Detector

REDACTOR = Redactor()
_RNG = random.Random(11)
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


def rand(alphabet: str, length: int) -> str:
    """Random characters from *alphabet* (fixed seed)."""
    return "".join(_RNG.choice(alphabet) for _ in range(length))


def b64url(data: dict[str, object]) -> str:
    """Unpadded base64url of compact JSON."""
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


def covered(detectors: list[Detector], text: str, secret: str) -> bool:
    """Whether *secret* in *text* is covered by the findings of *detectors*."""
    start = text.index(secret)
    spans = [(f.start, f.end) for d in detectors for f in d.detect(text)]
    return all(any(s <= i < e for s, e in spans) for i in range(start, start + len(secret)))


JWT = f"{b64url({'alg': 'HS256', 'typ': 'JWT'})}.{b64url({'sub': '42', 'iat': 1700000000})}.{rand(ALNUM + '-_', 43)}"
UNSIGNED_JWT = f"{b64url({'alg': 'none'})}.{b64url({'sub': '42'})}."
# Encrypted tokens: header, encrypted key (empty with "dir"), IV, ciphertext, tag.
JWE_DIRECT = f"{b64url({'alg': 'dir', 'enc': 'A256GCM'})}..{rand(ALNUM, 16)}.{rand(ALNUM + '-_', 80)}.{rand(ALNUM, 22)}"
JWE_RSA = (
    f"{b64url({'alg': 'RSA-OAEP', 'enc': 'A256GCM'})}.{rand(ALNUM + '-_', 342)}."
    f"{rand(ALNUM, 16)}.{rand(ALNUM + '-_', 80)}.{rand(ALNUM, 22)}"
)
BASIC = base64.b64encode(b"alice:" + rand(ALNUM, 12).encode()).decode()
OPAQUE = rand(ALNUM, 32) + "._-" + rand(ALNUM, 5)
PEM_BODY = "\n".join(rand(ALNUM + "+/", 64) for _ in range(3))

API_KEYS = {
    "github-classic": "ghp_" + rand(ALNUM, 36),
    "github-oauth": "gho_" + rand(ALNUM, 36),
    "github-user-to-server": "ghu_" + rand(ALNUM, 36),
    "github-server-to-server": "ghs_" + rand(ALNUM, 36),
    "github-refresh": "ghr_" + rand(ALNUM, 36),
    "github-fine-grained": "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59),
    "gitlab": "glpat-" + rand(ALNUM, 20),
    "aws-access-key-id": "AKIA" + rand(string.ascii_uppercase + "234567", 16),
    "aws-temporary-key-id": "ASIA" + rand(string.ascii_uppercase + "234567", 16),
    "aws-session-token": "FwoGZXIvYXdz" + rand(ALNUM + "/+", 200),
    "google": "AIza" + rand(ALNUM + "-_", 35),
    "slack-bot": "xoxb-" + rand(string.digits, 12) + "-" + rand(string.digits, 13) + "-" + rand(ALNUM, 24),
    "stripe-secret": "sk_live_" + rand(ALNUM, 24),
    "stripe-restricted": "rk_live_" + rand(ALNUM, 24),
    "stripe-publishable": "pk_live_" + rand(ALNUM, 24),
    "stripe-webhook-secret": "whsec_" + rand(ALNUM, 32),
    "openai-project": "sk-proj-" + rand(ALNUM + "-_", 64) + "T3BlbkFJ" + rand(ALNUM, 20),
    "anthropic": "sk-ant-api03-" + rand(ALNUM + "-_", 93) + "AA",
    "twilio": "SK" + rand(HEX, 32),
    "sendgrid": "SG." + rand(ALNUM, 22) + "." + rand(ALNUM, 43),
    "npm": "npm_" + rand(ALNUM, 36),
    "pypi": "pypi-AgEIcHlwaS5vcmc" + rand(ALNUM + "-_", 80),
    "hugging-face": "hf_" + rand(ALNUM, 34),
    "shopify": "shpat_" + rand(HEX, 32),
    "digitalocean": "dop_v1_" + rand(HEX, 64),
    "mailgun": "key-" + rand(HEX, 32),
}
SLACK_WEBHOOK = f"services/T{rand(string.ascii_uppercase, 10)}/B{rand(string.ascii_uppercase, 10)}/{rand(ALNUM, 24)}"
AWS_SECRET = rand(ALNUM + "/+", 40)


class TestApiKeyDetectors:
    """Provider key formats, one detector per provider."""

    @pytest.mark.parametrize("key", [pytest.param(v, id=f"{k}-key-in-prose") for k, v in API_KEYS.items()])
    def test_provider_keys_are_masked_anywhere(self, key: str) -> None:
        """A key in its provider's public format is masked even without a key name."""
        text = f"deploying with {key} now"

        assert REDACTOR.redact(text) == "deploying with [REDACTED:api_key] now"
        assert covered(list(api_key_detectors()), text, key)

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param(f"aws_secret_access_key = {AWS_SECRET}", id="ini-style"),
            pytest.param(f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}", id="environment-style"),
            pytest.param(f'"aws_secret_access_key": "{AWS_SECRET}"', id="json-style"),
            pytest.param(f"aws configure set aws_secret_access_key {AWS_SECRET}", id="aws-cli-configure-set"),
        ],
    )
    def test_aws_secret_keys_are_masked_in_context(self, text: str) -> None:
        """A 40-character AWS secret key is masked after an AWS secret key name."""
        assert AWS_SECRET not in REDACTOR.redact(text)
        assert covered(list(api_key_detectors()), text, AWS_SECRET)

    def test_twilio_key_with_a_look_alike_digit_is_masked(self) -> None:
        """The trigger literals ("SK" and a hex digit) are looked for in the folded text, as detectors see it."""
        key = "SK" + chr(0x0661) + rand(HEX, 31)  # an Arabic-Indic one

        assert REDACTOR.redact(f"key {key}") == "key [REDACTED:api_key]"

    def test_discord_webhook_token_is_masked(self) -> None:
        """The id and token of a Discord webhook URL are masked, the host and path kept."""
        webhook = f"{rand(string.digits, 18)}/{rand(ALNUM + '_-', 68)}"

        out = REDACTOR.redact(f"POST https://discord.com/api/webhooks/{webhook} 204")

        assert out == "POST https://discord.com/api/webhooks/[REDACTED:api_key] 204"

    def test_aws_key_pair_masks_id_and_secret(self) -> None:
        """An access key id and its secret joined by a colon: both are masked, without any context word."""
        pair = f"AKIA{rand(string.ascii_uppercase + string.digits, 16)}:{AWS_SECRET}"

        assert REDACTOR.redact(f"creds {pair} loaded") == "creds [REDACTED:api_key]:[REDACTED:api_key] loaded"

    def test_slack_webhook_path_is_masked(self) -> None:
        """The secret path of a Slack incoming-webhook URL is masked, the host kept."""
        out = REDACTOR.redact(f"posting to https://hooks.slack.com/{SLACK_WEBHOOK}")

        assert out == "posting to https://hooks.slack.com/[REDACTED:api_key]"

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("the task-runner and disk-usage jobs", id="words-ending-in-sk-dash"),
            pytest.param("AKIA is a prefix, AKIA123 is too short", id="short-aws-lookalikes"),
            pytest.param("see key-value store docs", id="key-dash-prose"),
            pytest.param(f"sha {rand(HEX, 40)} deployed", id="a-git-sha"),
            pytest.param("package hf_transfer and npm_config_cache", id="prefixes-inside-names"),
            pytest.param("SKU-0042 and TASK-12 shipped", id="words-with-sk"),
            pytest.param(f"deployed aws-secrets-operator {rand(HEX, 40)}", id="a-hash-after-an-aws-secret-name"),
        ],
    )
    def test_lookalikes_are_kept(self, text: str) -> None:
        """Prefixes without the provider's length and alphabet are not keys."""
        assert text == REDACTOR.redact(text)


class TestJWTDetector:
    """JSON Web Tokens, checked structurally."""

    @pytest.mark.parametrize(
        ("text", "token"),
        [
            pytest.param(f"id_token={JWT}&state=x", JWT, id="a-jwt-in-a-query-string"),
            pytest.param(f"failed to verify {JWT}: expired", JWT, id="a-jwt-in-prose"),
            pytest.param(f"token {UNSIGNED_JWT} accepted", UNSIGNED_JWT, id="an-unsigned-jwt"),
            pytest.param(f"token {JWE_DIRECT} accepted", JWE_DIRECT, id="a-jwe-with-a-direct-key"),
            pytest.param(f"token {JWE_RSA} accepted", JWE_RSA, id="a-jwe-with-an-encrypted-key"),
        ],
    )
    def test_tokens_are_masked(self, text: str, token: str) -> None:
        """A structurally valid JWT is masked whole."""
        assert token.rstrip(".") not in REDACTOR.redact(text)
        assert covered([JWTDetector()], text, token.rstrip("."))

    @pytest.mark.parametrize("before", ["eyJub3Q.", "eyJub3Qtand0In0..", "eyJ1bmtub3duIjoxfQ.x."])
    def test_a_token_after_a_lookalike_is_masked(self, before: str) -> None:
        """A JWT-like start that does not decode does not hide a real token in its later parts."""
        assert REDACTOR.redact(f"x {before}{JWT} y") == f"x {before}[REDACTED:jwt] y"

    def test_a_signed_token_followed_by_two_parts_is_masked_alone(self) -> None:
        """Five parts without "enc" in the header: the signed token's three are masked, the rest kept."""
        assert REDACTOR.redact(f"x {JWT}.abc.def y") == "x [REDACTED:jwt].abc.def y"

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("eyJhbGciOi.is.not", id="a-truncated-header"),
            pytest.param(f"eyJ{rand(ALNUM, 20)}.{rand(ALNUM, 20)}.{rand(ALNUM, 20)}", id="a-header-that-is-not-json"),
        ],
    )
    def test_lookalikes_are_kept(self, text: str) -> None:
        """Strings that start like a JWT but do not decode are not JWTs."""
        assert list(JWTDetector().detect(text)) == []


class TestAuthorizationDetector:
    """Credentials after an HTTP authentication scheme."""

    @pytest.mark.parametrize(
        ("text", "credential"),
        [
            pytest.param(f"Authorization: Bearer {OPAQUE}", OPAQUE, id="a-bearer-token-header"),
            pytest.param(f"Authorization: Basic {BASIC}", BASIC, id="a-basic-credential-header"),
            pytest.param(f"Authorization: Token {rand(HEX, 40)}", None, id="a-token-scheme-header"),
            pytest.param(f"curl -H 'Authorization: Bearer {OPAQUE}' https://x", OPAQUE, id="a-curl-command"),
            pytest.param(f"{{'Authorization': 'Bearer {OPAQUE}'}}", OPAQUE, id="a-python-dict-repr"),
            pytest.param(f"Proxy-Authorization: Basic {BASIC}", BASIC, id="a-proxy-authorization-header"),
        ],
    )
    def test_credentials_are_masked_and_the_scheme_kept(self, text: str, credential: str | None) -> None:
        """The credential is masked, the scheme word stays readable."""
        secret = credential or text.rsplit(" ", 1)[1]
        out = REDACTOR.redact(text)

        assert secret not in out
        assert any(s in out for s in ("Bearer [REDACTED", "Basic [REDACTED", "Token [REDACTED"))
        assert covered([AuthorizationDetector()], text, secret)

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("token_type=bearer expires_in=3600 scope=read", id="an-oauth-token-type"),
            pytest.param('WWW-Authenticate: Bearer realm="api", error="invalid_token"', id="a-challenge"),
            pytest.param("the bearer of bad news arrived", id="prose-bearer"),
            pytest.param("Basic authentication failed for user admin", id="prose-basic"),
            pytest.param("Basic planupgrade", id="basic-followed-by-something-not-user-colon-password"),
        ],
    )
    def test_prose_and_challenges_are_kept(self, text: str) -> None:
        """Scheme words in prose, token types and challenges are not credentials."""
        assert list(AuthorizationDetector().detect(text)) == []


class TestURLCredentialsDetector:
    """Passwords in URL user-info."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param(
                "postgresql://app:pw%40x1@db:5432/prod",
                "postgresql://app:[REDACTED:url_password]@db:5432/prod",
                id="dsn",
            ),
            pytest.param(
                "redis://:hunter22@cache:6379/0", "redis://:[REDACTED:url_password]@cache:6379/0", id="no-user"
            ),
            pytest.param(
                "mongodb+srv://u:p4ss@c0.example.net/x",
                "mongodb+srv://u:[REDACTED:url_password]@c0.example.net/x",
                id="srv",
            ),
            pytest.param(
                f"https://{rand(HEX, 32)}@o1.ingest.example.io/5",
                "https://[REDACTED:url_password]@o1.ingest.example.io/5",
                id="a-token-as-user-info",
            ),
            pytest.param(
                f"curl -u alice:{rand(HEX, 20)} https://api.example.com",
                "curl -u alice:[REDACTED:url_password] https://api.example.com",
                id="curl-user-option",
            ),
            pytest.param(
                f"curl --user 'alice:{rand(HEX, 8)} {rand(HEX, 8)}' x",
                "curl --user 'alice:[REDACTED:url_password]' x",
                id="curl-user-option-quoted-with-a-blank",
            ),
            pytest.param(
                f"curl --user=bob:{rand(HEX, 12)} x", "curl --user=bob:[REDACTED:url_password] x", id="curl-user-equals"
            ),
        ],
    )
    def test_passwords_are_masked_and_users_kept(self, text: str, expected: str) -> None:
        """The password (or a token standing alone) is masked; scheme, user and host are kept."""
        assert expected == REDACTOR.redact(text)

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("postgresql://db.internal:5432/app", id="no-user-info"),
            pytest.param("ssh://git@github.com/org/repo.git", id="a-short-user-without-password"),
            pytest.param("git push -u origin main; ps -u root; x-user-id: 42", id="other-dash-u-options"),
        ],
    )
    def test_urls_without_passwords_are_kept(self, text: str) -> None:
        """A URL without a password in its user-info has nothing to mask."""
        assert list(URLCredentialsDetector().detect(text)) == []


class TestPrivateKeyDetector:
    """PEM private-key blocks."""

    @pytest.mark.parametrize(
        "label", ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]
    )
    def test_blocks_are_masked_whole(self, label: str) -> None:
        """A whole PEM block is one finding, BEGIN to END line."""
        block = f"-----BEGIN {label}-----\n{PEM_BODY}\n-----END {label}-----"

        assert REDACTOR.redact(f"key:\n{block}\nok") == "key:\n[REDACTED:private_key]\nok"

    def test_a_truncated_block_is_masked_to_the_end(self) -> None:
        """A block cut off by a log size limit is masked to the end of the text."""
        text = f"key: -----BEGIN PRIVATE KEY-----\n{PEM_BODY[:100]}"

        assert REDACTOR.redact(text) == "key: [REDACTED:private_key]"

    def test_a_json_escaped_block_is_masked(self) -> None:
        """A block inside a JSON string (newlines escaped) is masked."""
        escaped = json.dumps(f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----")

        assert REDACTOR.redact(f'{{"tls": {escaped}}}') == '{"tls": "[REDACTED:private_key]"}'

    def test_public_keys_are_kept(self) -> None:
        """Public keys and certificates are not private keys."""
        text = f"-----BEGIN PUBLIC KEY-----\n{PEM_BODY}\n-----END PUBLIC KEY-----"

        assert list(PrivateKeyDetector().detect(text)) == []


_AUTH_PIECES = st.sampled_from(
    [
        "Bearer", "bearer", "BEARER", "BeArEr", "Basic", "basic", "Token", "tokens", "Digest", "Negotiate", "NTLM",
        "ntlm", "token_type=", "realm=\"api\"", " ", "  ", "\t", "=", ": ", ",", "x", "_", "-", "abc123", "QWxh",
        "ZGRpbjpvcGVuIHNlc2FtZQ==", "username=\"bob\"", "nonce=\"ab12\"", "Authorization: ", "\n",
    ]
)  # fmt: skip


@given(text=st.lists(_AUTH_PIECES, max_size=16).map("".join))
def test_authorization_pattern_tried_at_scheme_words_finds_what_finditer_finds(text: str) -> None:
    """On ASCII text, trying the pattern only where lower() finds a scheme word gives finditer's matches."""
    detector = AuthorizationDetector()
    lowered = text.lower()
    starts = sorted(at for scheme in tokens._SCHEMES for at in tokens._occurrences(lowered, scheme))

    expected = [match.span() for match in detector._pattern.finditer(text)]
    assert [match.span() for match in detector._matches_at(text, starts)] == expected


def test_authorization_in_non_ascii_text_is_found_by_the_whole_pattern() -> None:
    """A long s (U+017F), which re's case-insensitive "s" takes, still reads as "Basic"."""
    credential = base64.b64encode(b"bob:" + secrets.token_hex(6).encode()).decode()
    text = f"Authorization: Ba\u017fic {credential} and basic auth"

    assert [text[f.start : f.end] for f in AuthorizationDetector().detect(text)] == [credential]
