"""Table-driven tests for redactlog._keys."""

from __future__ import annotations

import pytest

from redactlog._keys import DEFAULT_SENSITIVE_KEYS, SensitiveKeys, normalize_key, remembered_as_a_name


class TestNormalizeKey:
    """Key normalisation: case and separators."""

    @pytest.mark.parametrize(
        ("key", "expected"),
        [
            pytest.param("X-Api-Key", "x_api_key", id="header-case-and-dashes"),
            pytest.param("xApiKey", "x_api_key", id="camel-case"),
            pytest.param("CLIENT_SECRET", "client_secret", id="upper-snake"),
            pytest.param("  user.password ", "user_password", id="dots-and-spaces"),
            pytest.param("__token__", "token", id="leading-and-trailing-separators"),
        ],
    )
    def test_normalisation(self, key: str, expected: str) -> None:
        """normalize_key gives snake case."""
        assert expected == normalize_key(key)


class TestSensitiveKeys:
    """Which keys hold secrets, and of what kind."""

    @pytest.mark.parametrize(
        ("key", "kind"),
        [
            pytest.param("password", "secret", id="password"),
            pytest.param("Passwd", "secret", id="passwd"),
            pytest.param("pwd", "secret", id="pwd"),
            pytest.param("client_secret", "secret", id="client-secret"),
            pytest.param("refresh_token", "secret", id="anything-with-token"),
            pytest.param("X-Auth-Token", "secret", id="an-auth-token-header"),
            pytest.param("api_key", "secret", id="api-key"),
            pytest.param("apikey", "secret", id="apikey"),
            pytest.param("Authorization", "secret", id="authorization"),
            pytest.param("Set-Cookie", "secret", id="set-cookie"),
            pytest.param("sessionid", "secret", id="session-id"),
            pytest.param("ssn", "secret", id="ssn"),
            pytest.param("cvv", "secret", id="cvv"),
            pytest.param("pin", "secret", id="pin"),
            pytest.param("private_key", "secret", id="private-key"),
            pytest.param("aws_credentials", "secret", id="credential"),
            pytest.param("X-Hub-Signature-256", "signature", id="a-signature-header"),
            pytest.param("sig", "signature", id="sig"),
            pytest.param("hmac", "signature", id="hmac"),
            pytest.param("X-Shopify-Hmac-Sha256", "signature", id="an-hmac-header"),
            pytest.param("X-Amz-Signature", "signature", id="a-sigv4-query-key"),
            pytest.param("MYSQL_PWD", "secret", id="pwd-as-a-part"),
            pytest.param("DB_PASS", "secret", id="pass-as-a-part"),
            pytest.param("cardCvc", "secret", id="cvc-as-a-part"),
            pytest.param("ssn_last4", "secret", id="ssn-as-a-part"),
            pytest.param("AccountKey", "secret", id="an-azure-account-key"),
            pytest.param("Ocp-Apim-Subscription-Key", "secret", id="a-subscription-key-header"),
            pytest.param("credit_card_number", "secret", id="a-card-number"),
            pytest.param("recovery_code", "secret", id="a-recovery-code"),
            pytest.param("X-Auth-Key", "secret", id="cloudflare-auth-key-header"),
            pytest.param("connect.sid", "secret", id="express-session-cookie"),
            pytest.param("otp_code", "secret", id="otp-as-a-part"),
            pytest.param("card_pin", "secret", id="pin-as-a-part"),
            pytest.param("verification_code", "secret", id="a-verification-code"),
            pytest.param("ALGOLIA_ADMIN_KEY", "secret", id="an-admin-key"),
            pytest.param("tls.key", "secret", id="a-tls-key"),
            pytest.param("storepass", "secret", id="keytool-storepass"),
            pytest.param("aws_creds", "secret", id="creds-as-a-part"),
            pytest.param("account_number", "secret", id="a-bank-account-number"),
            pytest.param("X-Paypal-Transmission-Sig", "signature", id="sig-as-a-part"),
            pytest.param("session_id", "secret", id="a-listed-name-ending-in-id"),
            pytest.param("X-Session-Id", "secret", id="a-session-id-header"),
            pytest.param("userSessionId", "secret", id="a-compound-session-id"),
        ],
    )
    def test_sensitive_keys(self, key: str, kind: str) -> None:
        """Sensitive keys are matched after normalisation and get their kind."""
        assert kind == DEFAULT_SENSITIVE_KEYS.kind_of(key)

    @pytest.mark.parametrize(
        "key",
        [
            pytest.param("max_tokens", id="a-token-count"),
            pytest.param("token_type", id="a-token-type"),
            pytest.param("password_changed_at", id="a-timestamp"),
            pytest.param("expires_in", id="an-expiry"),
            pytest.param("Signature-Input", id="rfc9421-signature-input-is-metadata"),
            pytest.param("keyboard", id="a-word-containing-key"),
            pytest.param("passenger", id="pass-inside-a-word"),
            pytest.param("classname", id="ssn-inside-a-word"),
            pytest.param("pass_count", id="a-part-with-an-exempt-suffix"),
            pytest.param("cache_key", id="a-key-that-names-no-secret"),
            pytest.param("api_key_id", id="the-id-of-a-key"),
            pytest.param("refresh_token_id", id="the-id-of-a-token"),
            pytest.param("password_file", id="a-file-holding-a-secret"),
            pytest.param("secretArn", id="the-arn-of-a-secret"),
            pytest.param("secret_ref", id="a-reference-to-a-secret"),
            pytest.param("token_usage", id="a-token-usage-count"),
            pytest.param("tokenizer", id="a-tokenizer"),
            pytest.param("ping", id="pin-inside-a-word"),
            pytest.param("user", id="an-ordinary-key"),
            pytest.param("", id="an-empty-key"),
            pytest.param("x" * 200, id="an-overlong-key"),
            pytest.param(42, id="a-non-string-key"),
        ],
    )
    def test_other_keys(self, key: object) -> None:
        """Counts, types, timestamps, metadata and ordinary keys are not sensitive."""
        assert DEFAULT_SENSITIVE_KEYS.kind_of(key) is None

    def test_with_names_adds_exact_names(self) -> None:
        """with_names() extends the rules without changing the defaults."""
        rules = DEFAULT_SENSITIVE_KEYS.with_names("Employee-Badge")

        assert (rules.matches("employee_badge"), DEFAULT_SENSITIVE_KEYS.matches("employee_badge")) == (True, False)

    def test_with_fragments_adds_substrings(self) -> None:
        """with_fragments() makes every key containing the fragment sensitive."""
        rules = SensitiveKeys().with_fragments("badge")

        assert rules.matches("employee_badge_no")

    def test_memo_is_bounded(self) -> None:
        """Classifying many distinct keys keeps answering correctly after the memo is cleared."""
        rules = SensitiveKeys()
        for index in range(9000):
            rules.kind_of(f"field_{index}")

        assert rules.kind_of("password") == "secret"


class TestMemo:
    """The memo of key verdicts keeps field names only, never data used as a key."""

    @pytest.mark.parametrize(
        ("key", "remembered"),
        [
            ("password", True),
            ("X-Api-Key", True),
            ("duration_ms", True),
            ("sha256", True),
            ("$ref", True),
            ("alice@example.com", False),
            ("+14155552671", False),
            ("078-05-1120", False),
            ("user4155552671", False),
            ("a key with spaces", False),
            ("x" * 80, False),
        ],
    )
    def test_which_keys_are_remembered(self, key: str, remembered: bool) -> None:
        keys = SensitiveKeys()

        keys.kind_of(key)

        assert remembered_as_a_name(key) is remembered
        assert (key in keys._memo) is remembered

    def test_an_unremembered_key_is_still_classified(self) -> None:
        keys = SensitiveKeys()

        assert keys.kind_of("Api Token") == keys.kind_of("api_token") == "secret"
        assert keys.kind_of("Api Token") == "secret"
