"""Unit tests for the sans-IO request summary: headers, query strings, bodies, truncation, sink."""

from __future__ import annotations

import gzip
import io
import json
import logging
import random
import re
import string
import time
import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythonjsonlogger.json import JsonFormatter

from redactlog import ConfigurationError, FixedMask, Redactor
from redactlog._http.batch import redact_many
from redactlog._http.body import TRUNCATED_MARKER
from redactlog._http.headers import scrub_headers
from redactlog._http.jsonvalue import _has_exponent, _long_integers, _Rebuild, parse_json, redact_json_text
from redactlog._http.sink import EventSink
from redactlog._http.summary import DEFAULT_BODY_CAP, RequestLogSettings, summarize_request, summarize_response
from redactlog._http.truncation import close_open_string, repair_json, trim_partial_token
from tests.webhook_support import make_secrets

Secrets = Any


def summarize(redactor: Redactor, body: bytes, content_type: str = "", **options: Any) -> dict[str, object]:
    """Summarize a POST whose body is cut at the settings' cap, as the adapters do."""
    headers = [("Content-Type", content_type)] if content_type else []
    headers += options.pop("extra_headers", [])
    settings = RequestLogSettings(**options)
    return summarize_request(
        redactor,
        settings,
        method="POST",
        path="/",
        query_string=b"",
        headers=headers,
        body=body[: settings.body_cap],
        body_complete=len(body) <= settings.body_cap,
    )


def luhn_number(prefix: str = "4", length: int = 16) -> str:
    """A card-shaped number with a valid Luhn check digit, built at run time."""
    digits = prefix + "".join(random.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def raw_deflate(data: bytes) -> bytes:
    """Deflate without the zlib header, as some clients send "deflate"."""
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


class TestHeaders:
    """Credentials and signatures keep their names and lose their values; others are allow-listed."""

    @pytest.mark.parametrize(
        ("name", "value", "expected"),
        [
            pytest.param("Authorization", "Bearer {token}", "Bearer [REDACTED:secret]", id="bearer-keeps-scheme"),
            pytest.param("Authorization", "{token}", "[REDACTED:secret]", id="bare-credential"),
            pytest.param("Authorization", "AbC123xyz more", "[REDACTED:secret]", id="unknown-scheme-masked"),
            pytest.param("Authorization", "Digest username=x, response=y", "Digest [REDACTED:secret]", id="digest"),
            pytest.param(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x, Signature={hex}",
                "AWS4-HMAC-SHA256 [REDACTED:secret]",
                id="sigv4",
            ),
            pytest.param("Proxy-Authorization", "Basic {token}", "Basic [REDACTED:secret]", id="proxy"),
            pytest.param(
                "Cookie", "sid={token}; theme=dark", "sid=[REDACTED:secret]; theme=[REDACTED:secret]", id="cookie"
            ),
            pytest.param("X-Hub-Signature-256", "sha256={hex}", "sha256=[REDACTED:signature]", id="github"),
            pytest.param(
                "Stripe-Signature", "t=1700000000,v1={hex}", "t=1700000000,v1=[REDACTED:signature]", id="stripe"
            ),
            pytest.param(
                "Webhook-Signature",
                "v1,{b64} v1,{b64}",
                "v1,[REDACTED:signature] v1,[REDACTED:signature]",
                id="standard-webhooks",
            ),
            pytest.param("Signature", "sig1=:{b64}:", "sig1=:[REDACTED:signature]:", id="rfc9421"),
            pytest.param("X-Shopify-Hmac-Sha256", "{b64}", "[REDACTED:signature]", id="shopify"),
            pytest.param("X-Acme-Signature", "{hex}", "[REDACTED:signature]", id="unknown-signature-name"),
            pytest.param("Content-Digest", "sha-256=:{b64}:", "[REDACTED:digest]", id="content-digest"),
            pytest.param("X-Amz-Content-Sha256", "{hex}", "[REDACTED:digest]", id="amz-digest"),
            pytest.param("X-Gitlab-Token", "{token}", "[REDACTED:secret]", id="gitlab"),
            pytest.param("X-My-Session-Id", "{token}", "[REDACTED:secret]", id="name-rule"),
            pytest.param("User-Agent", "bot/1.0 ({email})", "bot/1.0 ([REDACTED:email])", id="allowlisted-scrubbed"),
            pytest.param("X-GitHub-Event", "push", "push", id="allowlisted-plain"),
            pytest.param("X-Forwarded-For", "203.0.113.9", None, id="not-allowlisted"),
        ],
    )
    def test_header(self, redactor: Redactor, pii: Secrets, name: str, value: str, expected: str | None) -> None:
        """Each header is masked, scrubbed or dropped by its name."""
        filled = value.format(token=pii.token, hex="a1" * 32, b64="QUJD" * 11, email=pii.email)

        logged = scrub_headers(redactor, [(name, filled)])

        assert logged.get(name.lower()) == expected

    def test_repeated_headers_are_joined(self, redactor: Redactor) -> None:
        """Repeated allow-listed headers are joined with a comma, under the lower-case name."""
        logged = scrub_headers(redactor, [("X-Request-Id", "a"), ("x-request-id", "b")])

        assert logged == {"x-request-id": "a, b"}

    def test_custom_allowlist_and_sensitive_names(self, redactor: Redactor) -> None:
        """Settings can log more headers and mask more names."""
        settings = RequestLogSettings(header_allowlist={"X-Tenant"}, sensitive_headers={"X-Internal"})

        fields = summarize_request(
            redactor,
            settings,
            method="GET",
            path="/",
            query_string="",
            headers=[("X-Tenant", "acme"), ("X-Internal", "v"), ("Content-Type", "text/plain")],
            body=b"",
            body_complete=True,
        )

        assert fields["headers"] == {"x-tenant": "acme", "x-internal": "[REDACTED:secret]"}

    def test_mask_policy_of_the_redactor_applies(self, pii: Secrets) -> None:
        """Header placeholders follow the redactor's mask, like every other record."""
        logged = scrub_headers(Redactor(mask=FixedMask("***")), [("X-Api-Key", pii.token)])

        assert logged == {"x-api-key": "***"}


class TestQueryString:
    """Query strings are decoded before scrubbing and masked by key."""

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            pytest.param("email={email_pct}", "email=[REDACTED:email]", id="percent-encoded-email"),
            pytest.param("phone={phone_plus}", "phone=[REDACTED:phone]", id="plus-encoded-phone"),
            pytest.param("phone=4155552671&page=2", "phone=[REDACTED:phone]&page=2", id="bare-number-under-phone"),
            pytest.param("order=4155552671", "order=4155552671", id="bare-number-under-another-key"),
            pytest.param("access_token={token}&page=2", "access_token=[REDACTED:secret]&page=2", id="token"),
            pytest.param("code=abc&state=xyz", "code=[REDACTED:secret]&state=[REDACTED:secret]", id="oauth"),
            pytest.param("hmac=abc&shop=x", "hmac=[REDACTED:signature]&shop=x", id="shopify-hmac"),
            pytest.param("sig=abc", "sig=[REDACTED:signature]", id="azure-sas"),
            pytest.param("X-Amz-Signature={hex}", "X-Amz-Signature=[REDACTED:signature]", id="sigv4-presigned"),
            pytest.param("X-Amz-Credential=AKID%2F1", "X-Amz-Credential=[REDACTED:secret]", id="sigv4-credential"),
            pytest.param("key=AIzaXYZ", "key=[REDACTED:secret]", id="google-key"),
            pytest.param("bodySHA256={hex}", "bodySHA256=[REDACTED:secret]", id="twilio"),
            pytest.param("flag&empty=", "flag=&empty=", id="blank-values"),
            pytest.param("q=hello+world", "q=hello%20world", id="plain-search"),
        ],
    )
    def test_query(self, redactor: Redactor, pii: Secrets, query: str, expected: str) -> None:
        """Each parameter is masked by key or scrubbed by value, then re-encoded readably."""
        filled = query.format(
            email_pct=pii.email.replace("@", "%40"),
            phone_plus=pii.phone.replace(" ", "+").replace("+", "%2B", 1),
            token=pii.token,
            hex="ab" * 32,
        )

        fields = summarize_request(
            redactor,
            RequestLogSettings(),
            method="GET",
            path="/",
            query_string=filled.encode(),
            headers=[],
            body=b"",
            body_complete=True,
        )

        assert fields["query"] == expected

    def test_wsgi_latin1_query_string(self, redactor: Redactor) -> None:
        """A WSGI str query (raw bytes as Latin-1) is decoded as UTF-8."""
        raw = "name=Zo%C3%AB&city=" + "Zoë".encode().decode("latin-1")

        fields = summarize_request(
            redactor,
            RequestLogSettings(),
            method="GET",
            path="/",
            query_string=raw,
            headers=[],
            body=b"",
            body_complete=True,
        )

        assert fields["query"] == "name=Zo%C3%AB&city=Zo%C3%AB"

    def test_no_query_no_field(self, redactor: Redactor) -> None:
        """Without a query string the record has no query field."""
        fields = summarize_request(
            redactor,
            RequestLogSettings(),
            method="GET",
            path="/",
            query_string=b"",
            headers=[],
            body=b"",
            body_complete=True,
        )

        assert "query" not in fields


class TestBody:
    """Bodies are scrubbed by content type, capped, and never logged raw."""

    def test_json_structural(self, redactor: Redactor, pii: Secrets) -> None:
        """A complete JSON body is parsed, masked by key and value, and re-serialised compactly."""
        body = json.dumps({"password": pii.password, "user": {"email": pii.email}, "n": 3}).encode()

        fields = summarize(redactor, body, "application/json")

        assert fields["body"] == '{"password":"[REDACTED:secret]","user":{"email":"[REDACTED:email]"},"n":3}'
        assert fields["body_truncated"] is False

    @pytest.mark.parametrize(
        ("document", "expected"),
        [
            pytest.param(
                {"phone": "4155552671", "user": {"mobile": 4155552671}, "order": "4155552671"},
                '{"phone":"[REDACTED:phone]","user":{"mobile":"[REDACTED:phone]"},"order":"4155552671"}',
                id="bare-numbers-under-phone-fields",
            ),
            pytest.param({"smsTo": "4155552671"}, '{"smsTo":"[REDACTED:phone]"}', id="camel-case-field"),
            pytest.param(
                {"kind": "phone", "phone": "4155552671", "tags": ["phone"], "items": [{"phone": "4155552672"}]},
                '{"kind":"phone","phone":"[REDACTED:phone]","tags":["phone"],"items":[{"phone":"[REDACTED:phone]"}]}',
                id="field-name-also-a-value-and-repeated",
            ),
        ],
    )
    def test_json_phone_fields_are_context(self, redactor: Redactor, document: object, expected: str) -> None:
        """A bare number under a field named after a phone is masked, as after the word in text."""
        fields = summarize(redactor, json.dumps(document).encode(), "application/json")

        assert fields["body"] == expected

    def test_json_name_value_records_are_read(self, redactor: Redactor, pii: Secrets) -> None:
        """A Kubernetes-style env list in a body: the record's name says its value is a secret."""
        body = json.dumps({"env": [{"name": "DB_PASSWORD", "value": pii.password}, {"name": "X", "value": "y"}]})

        fields = summarize(redactor, body.encode(), "application/json")

        assert fields["body"] == '{"env":[{"name":"DB_PASSWORD","value":"[REDACTED:secret]"},{"name":"X","value":"y"}]}'

    def test_form_phone_field_is_context(self, redactor: Redactor) -> None:
        fields = summarize(redactor, b"phone=4155552671&a=1", "application/x-www-form-urlencoded")

        assert fields["body"] == "phone=[REDACTED:phone]&a=1"

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
    def test_json_in_utf16_and_utf32(self, redactor: Redactor, pii: Secrets, encoding: str) -> None:
        """JSON the application accepts in UTF-16/32 is decoded as such, never logged readable."""
        body = json.dumps({"password": pii.password, "email": pii.email}).encode(encoding)

        fields = summarize(redactor, body, "application/json")

        assert fields["body"] == '{"password":"[REDACTED:secret]","email":"[REDACTED:email]"}'

    @pytest.mark.parametrize("content_type", ["application/json", "application/vnd.api+json", "text/plain"])
    def test_truncated_json_keeps_key_masking(self, redactor: Redactor, pii: Secrets, content_type: str) -> None:
        """JSON cut by the cap is still masked by key, whatever its declared type."""
        body = json.dumps({"api_token": pii.token, "password": pii.password, "pad": "x" * 500}).encode()

        fields = summarize(redactor, body, content_type, body_cap=100)

        assert str(fields["body"]).endswith(TRUNCATED_MARKER)
        assert fields["body_truncated"] is True
        assert pii.token not in str(fields["body"])
        assert pii.password not in str(fields["body"])

    @pytest.mark.parametrize(
        ("template", "kind", "cut"),
        [
            pytest.param('{{"contact": "{secret}"}}', "email", 6, id="email-in-json"),
            pytest.param("contact {secret} please", "email", 6, id="email-in-text"),
            pytest.param('{{"phone": "{secret}"}}', "phone", 7, id="phone-in-json"),
            pytest.param("call {secret} now", "phone", 7, id="phone-in-text"),
            pytest.param('{{"password": "{secret}"}}', "passphrase", 20, id="spaced-password"),
            pytest.param("token={secret} end", "token", 10, id="token-pair"),
        ],
    )
    def test_cap_straddling_a_secret_leaves_no_fragment(
        self, redactor: Redactor, pii: Secrets, template: str, kind: str, cut: int
    ) -> None:
        """When the cap falls *cut* characters into a secret, no part of it reaches the log."""
        secret = {
            "email": pii.email,
            "phone": pii.phone,
            "token": pii.token,
            "passphrase": f"correct horse battery {pii.password}",
        }[kind]
        text = template.format(secret=secret)
        content_type = "application/json" if text.startswith("{") else "text/plain"

        fields = summarize(redactor, text.encode(), content_type, body_cap=text.index(secret) + cut)

        logged = str(fields["body"])
        assert fields["body_truncated"] is True
        for size in range(3, cut + 1):
            assert secret[:size] not in logged, (secret[:size], logged)

    def test_urlencoded(self, redactor: Redactor, pii: Secrets) -> None:
        """A form body is decoded and masked by key, like a query string."""
        body = f"email={pii.email.replace('@', '%40')}&password={pii.password}&plan=pro".encode()

        fields = summarize(redactor, body, "application/x-www-form-urlencoded")

        assert fields["body"] == "email=[REDACTED:email]&password=[REDACTED:secret]&plan=pro"

    def test_truncated_urlencoded_drops_the_partial_pair(self, redactor: Redactor, pii: Secrets) -> None:
        """The pair the cap cuts is dropped entirely."""
        body = f"plan=pro&note={pii.token}".encode()

        fields = summarize(redactor, body, "application/x-www-form-urlencoded", body_cap=20)

        assert fields["body"] == "plan=pro" + TRUNCATED_MARKER

    def test_multipart_part_names_only(self, redactor: Redactor, pii: Secrets) -> None:
        """Multipart bodies show part names and scrubbed filenames, never a value."""
        body = (
            f'--b\r\nContent-Disposition: form-data; name="email"\r\n\r\n{pii.email}\r\n'
            f'--b\r\nContent-Disposition: form-data; name="doc"; filename="{pii.email}.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n{pii.ssn}\r\n--b--\r\n"
        ).encode()

        fields = summarize(redactor, body, "multipart/form-data; boundary=b")

        assert fields["body"] == "<multipart parts=[email, doc(file=[REDACTED:email].pdf)] values omitted>"

    def test_multipart_header_cut_by_the_cap(self, redactor: Redactor, pii: Secrets) -> None:
        """A part header cut by the cap is left out, so a cut filename cannot leak."""
        head = (
            '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n'
            '--b\r\nContent-Disposition: form-data; name="doc"; filename="'
        )
        body = (head + pii.email + '"\r\n\r\ndata').encode()

        fields = summarize(redactor, body, "multipart/form-data; boundary=b", body_cap=len(head) + 8)

        assert fields["body"] == "<multipart parts=[a, ...] values omitted>"

    @pytest.mark.parametrize(
        ("content_type", "body", "expected"),
        [
            pytest.param(
                "application/octet-stream",
                b"\x00\x01secret",
                "<binary application/octet-stream body, 8 bytes read, values omitted>",
                id="octet-stream",
            ),
            pytest.param("image/png", b"\x89PNG", "<binary image/png body, 4 bytes read, values omitted>", id="image"),
            pytest.param(
                "",
                b"\x00\x01\x02\x03\x04\x05\x06\x07",
                "<binary untyped body, 8 bytes read, values omitted>",
                id="sniffed-binary",
            ),
            pytest.param("", b"plain words", "plain words", id="sniffed-text"),
            pytest.param("application/xml", b"<a>b</a>", "<a>b</a>", id="xml-is-text"),
            pytest.param("text/plain", b"caf\xe9", "caf\ufffd", id="non-utf8"),
            pytest.param("application/json", b"", "", id="empty"),
        ],
    )
    def test_types(self, redactor: Redactor, content_type: str, body: bytes, expected: str) -> None:
        """Binary bodies are logged as metadata; textual ones as scrubbed text."""
        assert summarize(redactor, body, content_type)["body"] == expected

    @pytest.mark.parametrize(
        ("encoding", "compress"),
        [
            pytest.param("gzip", gzip.compress, id="gzip"),
            pytest.param("x-gzip", gzip.compress, id="x-gzip"),
            pytest.param("deflate", zlib.compress, id="deflate-zlib"),
            pytest.param("deflate", raw_deflate, id="deflate-raw"),
        ],
    )
    def test_compressed_bodies_are_inflated_and_scrubbed(
        self, redactor: Redactor, pii: Secrets, encoding: str, compress: Any
    ) -> None:
        """gzip and deflate bodies are inflated for the log and scrubbed; no compressed bytes are logged."""
        body = compress(json.dumps({"email": pii.email}).encode())

        fields = summarize(redactor, body, "application/json", extra_headers=[("Content-Encoding", encoding)])

        assert fields["body"] == '{"email":"[REDACTED:email]"}'

    def test_gzip_bomb_is_bounded(self, redactor: Redactor) -> None:
        """A small gzip body that inflates to 100 MB is inflated only up to the cap."""
        bomb = gzip.compress(b"word " * 20_000_000)
        assert len(bomb) < DEFAULT_BODY_CAP * 100

        fields = summarize(redactor, bomb, "text/plain", body_cap=4096, extra_headers=[("Content-Encoding", "gzip")])

        assert fields["body_truncated"] is True
        assert len(str(fields["body"])) <= 4096 + len(TRUNCATED_MARKER)

    @pytest.mark.parametrize(
        ("encoding", "body", "expected"),
        [
            pytest.param("br", b"\x1b\x00", "<br-encoded body, 2 bytes read, values omitted>", id="brotli"),
            pytest.param(
                "gzip, br", b"\x1f\x8b", "<gzip??br-encoded body, 2 bytes read, values omitted>", id="stacked"
            ),
            pytest.param("gzip", b"not gzip at all", "<gzip body that does not inflate, values omitted>", id="corrupt"),
        ],
    )
    def test_other_encodings_are_metadata(self, redactor: Redactor, encoding: str, body: bytes, expected: str) -> None:
        """Encodings that are not inflated (or do not inflate) are logged as metadata only."""
        fields = summarize(redactor, body, "text/plain", extra_headers=[("Content-Encoding", encoding)])

        assert fields["body"] == expected

    def test_log_body_off(self, redactor: Redactor) -> None:
        """With log_body=False the record has no body fields."""
        assert "body" not in summarize(redactor, b"x", "text/plain", log_body=False)


class TestTruncationHelpers:
    """The helpers that make a prefix safe to scrub."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("hello wor", "hello"),
            ('{"a": "alice@exa', '{"a": "'),
            ("call +44 20 79", "call"),
            ("ssn 123-45-67", "ssn"),
            ("a=1&b=2", "a=1&b="),
            ("nodelimiter", ""),
            ("", ""),
        ],
    )
    def test_trim_partial_token(self, text: str, expected: str) -> None:
        """The token the cut ran into, and digit groups before it, are dropped."""
        assert trim_partial_token(text) == expected

    @given(text=st.text(alphabet="ab1 2\t\n\"',;&<>(){}[]=:|+-./@é٣²\u2003\x0b", max_size=40))
    def test_trim_partial_token_is_the_two_trailing_runs(self, text: str) -> None:
        """What is dropped is the trailing run of token characters, then the run of number characters before it."""
        delimiters = "\"',;&<>(){}[]=:|"
        kept = text
        while kept and not kept[-1].isspace() and kept[-1] not in delimiters:
            kept = kept[:-1]
        while kept and (kept[-1].isdecimal() or kept[-1].isspace() or kept[-1] in "+().-/"):
            kept = kept[:-1]

        assert trim_partial_token(text) == kept

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ('"password": "correct horse', '"password": "correct horse"'),
            ('"a": "b"', '"a": "b"'),
            ('"a": "b\\"c', '"a": "b\\"c"'),
            ("no quotes", "no quotes"),
        ],
    )
    def test_close_open_string(self, text: str, expected: str) -> None:
        """An unterminated double-quoted string is closed."""
        assert close_open_string(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ('{"a": 1, "b": "x', {"a": 1, "b": "x"}),
            ('{"a": [1, 2, ', {"a": [1, 2]}),
            ('{"a": ', {"a": None}),
            ('{"a": 1, "b"', {"a": 1, "b": None}),
            ('[{"a": {"b": "c"}}, {"d": "e', [{"a": {"b": "c"}}, {"d": "e"}]),
            ('{"a": "b\\', {"a": "b"}),
            ('{"a": 1}', None),
            ('{"a": 1}}', None),
            ("not json {", None),
        ],
    )
    def test_repair_json(self, text: str, expected: object) -> None:
        """A JSON prefix is closed and parsed; what cannot be repaired gives None."""
        assert repair_json(text) == expected


class TestSummaries:
    """summarize_request and summarize_response as a whole."""

    def test_path_is_scrubbed_and_decoded(self, redactor: Redactor, pii: Secrets) -> None:
        """Emails and tokens in the path are masked, also when still percent-encoded."""
        path = f"/users/{pii.email.replace('@', '%40')}/tokens/{pii.token}"

        fields = summarize_request(
            redactor,
            RequestLogSettings(),
            method="GET",
            path=path,
            query_string=b"",
            headers=[],
            body=b"",
            body_complete=True,
        )

        assert pii.email not in str(fields["path"])
        assert pii.token not in str(fields["path"])
        assert str(fields["path"]).startswith("/users/[REDACTED:email]/tokens/")

    def test_one_failing_part_does_not_lose_the_others(self, pii: Secrets) -> None:
        """A scrubber failure in one part yields a placeholder there; the rest is still logged."""

        class Exploding(Redactor):
            __slots__ = ()

            def redact(self, text: str, /) -> str:
                if "@" in text:
                    raise RuntimeError(text)
                return super().redact(text)

        fields = summarize(Exploding(), json.dumps({"email": pii.email}).encode(), "application/json")

        assert fields["body"] == "<not logged: scrubbing failed>"
        assert fields["method"] == "POST"
        assert fields["headers"] == {"content-type": "application/json"}

    @pytest.mark.parametrize(
        ("status", "duration", "exception", "expected"),
        [
            (200, 0.0123456, None, {"status": 200, "duration_ms": 12.346}),
            (
                None,
                0.5,
                KeyError("secret@example.com"),
                {"status": None, "duration_ms": 500.0, "exception": "KeyError"},
            ),
            (
                500,
                0.001,
                json.JSONDecodeError("m", "doc", 0),
                {"status": 500, "duration_ms": 1.0, "exception": "json.decoder.JSONDecodeError"},
            ),
        ],
    )
    def test_summarize_response(
        self, status: int | None, duration: float, exception: BaseException | None, expected: dict[str, object]
    ) -> None:
        """The end record has status, duration in ms and the exception's type, never its message."""
        assert summarize_response(status=status, duration_s=duration, exception=exception) == expected

    @pytest.mark.parametrize(
        "options",
        [
            pytest.param({"body_cap": -1}, id="negative-cap"),
            pytest.param({"body_cap": 1.5}, id="float-cap"),
            pytest.param({"header_allowlist": "content-type"}, id="string-not-set"),
        ],
    )
    def test_invalid_settings(self, options: dict[str, Any]) -> None:
        """Invalid settings fail when built."""
        with pytest.raises(ConfigurationError):
            RequestLogSettings(**options)

    def test_settings_copy_caller_sets(self) -> None:
        """Settings copy and lower-case the name sets they are given."""
        names = {"X-Tenant"}
        settings = RequestLogSettings(header_allowlist=names)
        names.add("x-other")

        assert settings.header_allowlist == frozenset({"x-tenant"})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class TestEventSink:
    """The sink writes structured records and never raises."""

    @pytest.fixture(name="collected")
    def fixture_collected(self, log: logging.Logger) -> _Collect:
        handler = _Collect()
        log.addHandler(handler)
        return handler

    def test_stdlib_fields_as_extra(self, log: logging.Logger, collected: _Collect) -> None:
        """Fields become record attributes; clashing names are prefixed; the message is readable."""
        EventSink(log).emit("http.request.start", {"method": "GET", "path": "/x", "name": "clash"})

        record = collected.records[0]
        assert (record.event, record.method, record.path, record.http_name) == (
            "http.request.start",
            "GET",
            "/x",
            "clash",
        )  # type: ignore[attr-defined]
        assert record.getMessage() == "http.request.start GET /x"
        assert record.name == log.name

    def test_json_formatter_sees_top_level_fields(self, log: logging.Logger) -> None:
        """A JSON formatter (python-json-logger) renders each field as a top-level key."""
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter("%(levelname)s %(message)s"))
        log.addHandler(handler)

        EventSink(log).emit("http.request.start", {"method": "GET", "path": "/", "headers": {"host": "x"}})

        record = json.loads(stream.getvalue())
        assert record["event"] == "http.request.start"
        assert record["headers"] == {"host": "x"}
        assert record["message"] == "http.request.start GET /"

    def test_end_message_and_level(self, log: logging.Logger, collected: _Collect) -> None:
        """The end message shows status, duration and exception type at the given level."""
        EventSink(log).emit(
            "http.request.end", {"status": 500, "duration_ms": 1.5, "exception": "KeyError"}, level=logging.ERROR
        )

        record = collected.records[0]
        assert record.getMessage() == "http.request.end 500 1.5ms KeyError"
        assert record.levelno == logging.ERROR

    def test_logger_adapter_keeps_fields_and_context(self, log: logging.Logger, collected: _Collect) -> None:
        """A LoggerAdapter adds its context; the request fields are not replaced by it."""

        class Prefixed(logging.LoggerAdapter):  # type: ignore[type-arg]
            def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
                msg, kwargs = super().process(msg, kwargs)
                return f"[svc] {msg}", kwargs

        adapter = logging.LoggerAdapter(Prefixed(log, {"service": "api"}), {"region": "eu"})

        EventSink(adapter).emit("http.request.end", {"status": 200})

        record = collected.records[0]
        assert (record.status, record.service, record.event) == (200, "api", "http.request.end")  # type: ignore[attr-defined]
        assert record.getMessage() == "[svc] http.request.end 200"

    def test_percent_in_fields_is_not_a_format(self, log: logging.Logger, collected: _Collect) -> None:
        """A '%' in a scrubbed path reaches the message as is."""
        EventSink(log).emit("http.request.start", {"method": "GET", "path": "/100%25/%s"})

        assert collected.records[0].getMessage() == "http.request.start GET /100%25/%s"

    def test_structlog_like_logger(self) -> None:
        """Any non-stdlib logger is called as logger.<level>(event, **fields)."""
        calls: list[tuple[str, str, dict[str, object]]] = []

        class Structured:
            def info(self, event: str, **fields: object) -> None:
                calls.append(("info", event, fields))

            def error(self, event: str, **fields: object) -> None:
                calls.append(("error", event, fields))

        sink = EventSink(Structured())
        sink.emit("e1", {"a": 1})
        sink.emit("e2", {"b": 2}, level=logging.ERROR)

        assert calls == [("info", "e1", {"a": 1}), ("error", "e2", {"b": 2})]
        assert sink.is_enabled()

    def test_never_raises(self) -> None:
        """A logger that raises, or is not a logger at all, is swallowed."""

        class Broken:
            def info(self, *args: object, **kwargs: object) -> None:
                raise RuntimeError

        EventSink(Broken()).emit("e", {})
        EventSink(object()).emit("e", {})

    def test_default_logger(self) -> None:
        """Without a logger the sink uses the stdlib logger 'redactlog.http'."""
        assert EventSink().logger is logging.getLogger("redactlog.http")

    def test_is_enabled_follows_the_level(self, log: logging.Logger) -> None:
        """is_enabled lets adapters skip all work when the record would be dropped."""
        log.setLevel(logging.WARNING)

        assert not EventSink(log).is_enabled(logging.INFO)
        assert EventSink(log).is_enabled(logging.ERROR)


def _json_documents(words: list[str]) -> st.SearchStrategy[object]:
    """JSON documents of up to twelve leaves: *words* as strings and keys, numbers, booleans and null."""
    strings = st.sampled_from(words)
    scalars = st.one_of(strings, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(strings, inner, max_size=4)),
        max_leaves=12,
    )


def _logged(redactor: Redactor, text: str) -> object:
    """The document the request loggers log for the JSON *text*, parsed back."""
    return json.loads(redact_json_text(redactor, text, json.loads(text)))


class TestBatchAndJsonHelpers:
    """One engine call for many strings gives the same result as one call per string."""

    @pytest.mark.parametrize(
        "texts",
        [
            pytest.param([], id="none"),
            pytest.param(["plain"], id="one-clean"),
            pytest.param(["a", "b", "c"], id="clean"),
            pytest.param(["x", "{email}", "y"], id="one-email"),
            pytest.param(["token={token}", "z"], id="pair-reaching-the-separator"),
            pytest.param(["nul\x00inside", "{email}"], id="separator-inside"),
            pytest.param(["call", "{phone}", "{email}"], id="several"),
            pytest.param(["bob@corp", "{email}"], id="earlier-at-sign-in-another-string"),
            pytest.param(["a", "b@c", "d", "{email}", "e"], id="at-signs-mixed-with-plain"),
            pytest.param(["x", "mail%40corp", "y", "c&#64;d", "\\u0040e", "{email}"], id="encoded-at-signs"),
            pytest.param(["nul\x00@inside", "y", "{email}"], id="separator-and-at-sign-inside"),
            pytest.param(["a@b@c", "x", "@" * 50, "d%40e", "{email}", "@"], id="many-at-signs"),
        ],
    )
    def test_redact_many_matches_one_by_one(self, redactor: Redactor, pii: Secrets, texts: list[str]) -> None:
        """redact_many returns what redact gives string by string (the same list when clean)."""
        filled = [t.format(email=pii.email, token=pii.token, phone=pii.phone) for t in texts]

        result = redact_many(redactor, filled)

        assert result == [redactor.redact(t) for t in filled]
        if result == filled:
            assert result is filled

    @staticmethod
    def redact_document(redactor: Redactor, document: object) -> object:
        return _logged(redactor, json.dumps(document))

    def test_redact_json_masks_keys_values_and_key_names(self, redactor: Redactor, pii: Secrets) -> None:
        """Sensitive keys mask whole values (also containers); keys holding PII are redacted too."""
        document = {
            "token": {"nested": "x"},
            pii.email: 1,
            "list": [pii.email, {"password": 42}, None],
            "flag": True,
            "empty_secret": "",
        }

        result = self.redact_document(redactor, document)

        assert result == {
            "token": "[REDACTED:secret]",
            "[REDACTED:email]": 1,
            "list": ["[REDACTED:email]", {"password": "[REDACTED:secret]"}, None],
            "flag": True,
            "empty_secret": "",
        }

    def test_redact_json_keeps_clean_documents(self, redactor: Redactor) -> None:
        """A document with nothing to mask is logged as its own text, whitespace between tokens removed."""
        text = '{"a": [1, "b c", {"c": null}],\n "n": 2.50}'

        assert redact_json_text(redactor, text, json.loads(text)) == '{"a":[1,"b c",{"c":null}],"n":2.50}'

    def test_redact_json_bounds_depth(self, redactor: Redactor) -> None:
        """Nesting deeper than the redactor's max_depth is masked, not walked."""
        document: object = {"secret_at_the_bottom": "x"}
        for _ in range(redactor.limits.max_depth + 5):
            document = [document]

        text = json.dumps(self.redact_document(redactor, document))

        assert "too_deep" in text
        assert "secret_at_the_bottom" not in text

    def test_redact_json_bounds_depth_of_documents_without_sensitive_keys(
        self, redactor: Redactor, pii: Secrets
    ) -> None:
        """A deep document whose only finding is a value is masked below max_depth as well."""
        document: object = {"note": pii.email}
        for _ in range(redactor.limits.max_depth + 5):
            document = [document]

        text = json.dumps(self.redact_document(redactor, document))

        assert "too_deep" in text
        assert pii.email not in text

    @settings(max_examples=150)
    @given(data=st.data())
    def test_redact_json_equals_the_walk(self, redactor: Redactor, data: st.DataObject) -> None:
        """Whichever way the body is logged (its own text or the walked document), it is what a walk gives."""
        pii = make_secrets()
        words = ["a", "sku-1", pii.email, pii.phone, f"mail {pii.email} now", "password", 'q"uote', "é", "x@y", pii.ssn]
        document = data.draw(_json_documents(words))
        text = json.dumps(document, ensure_ascii=data.draw(st.booleans()))

        expected = _Rebuild(redactor, {}).value(json.loads(text), 0)

        assert _logged(redactor, text) == expected

    @settings(max_examples=100)
    @given(data=st.data())
    def test_field_names_from_the_parser_change_nothing(self, redactor: Redactor, data: st.DataObject) -> None:
        """The names parse_json collects are the keys found in the text: the logged body is the same."""
        pii = make_secrets()
        words = ["a", "phone", pii.email, "password", 'q"uote', "é", " :", "x@y"]
        document = data.draw(_json_documents(words))
        text = json.dumps(document, ensure_ascii=data.draw(st.booleans()), indent=data.draw(st.sampled_from([None, 2])))

        value, names = parse_json(text)

        assert value == json.loads(text)
        assert redact_json_text(redactor, text, value, names=names) == redact_json_text(redactor, text, value)

    @settings(max_examples=150)
    @given(data=st.data())
    def test_redact_json_text_is_the_compact_redacted_document(self, redactor: Redactor, data: st.DataObject) -> None:
        """The logged text is the redacted document written compactly, whichever way it was made."""
        pii = make_secrets()
        words = ["a", "b c", pii.email, f"call {pii.phone}", "token", 'q"uote', "é", "x@y", "[REDACTED:email]"]
        document = data.draw(_json_documents(words))
        text = json.dumps(document, ensure_ascii=data.draw(st.booleans()), indent=data.draw(st.sampled_from([None, 2])))

        logged = redact_json_text(redactor, text, json.loads(text))

        expected = _Rebuild(redactor, {}).value(json.loads(text), 0)
        assert logged == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))

    @pytest.mark.parametrize("spelling", ["{card}e0", "{card}0e-1", "{card}.0", "{card}.00"])
    def test_redact_json_text_never_spells_out_a_card_sent_as_a_number(self, redactor: Redactor, spelling: str) -> None:
        """A card number sent as a whole number, however spelt, never reaches the logged text in one run."""
        card = luhn_number()
        text = '{"n": ' + spelling.replace("{card}", card) + "}"

        logged = redact_json_text(redactor, text, json.loads(text))

        assert card not in logged

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param('{"a": 1.50,\n "b": [-0, "x  y"]}  ', '{"a":1.50,"b":[-0,"x  y"]}', id="spelling-kept"),
            pytest.param('{"a": [1E3, 2.5e-1]}', '{"a":[1000.0,0.25]}', id="exponents-serialised"),
            pytest.param('{"a": "{email}", "n": 1.0}', '{"a":"[REDACTED:email]","n":1.0}', id="finding-in-a-value"),
            pytest.param('{"a": 1, "a": 2}', '{"a":1,"a":2}', id="duplicate-keys-as-sent"),
        ],
    )
    def test_redact_json_text_keeps_the_text_as_sent(
        self, redactor: Redactor, pii: Secrets, text: str, expected: str
    ) -> None:
        """Without escapes or exponents, findings only in values: the text is logged as sent, minus whitespace."""
        filled = text.replace("{email}", pii.email)

        assert redact_json_text(redactor, filled, json.loads(filled)) == expected

    def test_redact_json_escapes_a_mask_with_quotes(self, pii: Secrets) -> None:
        """A mask that writes quotes or backslashes still yields the document the walk gives."""
        redactor = Redactor(mask=FixedMask('<"hidden"\\>'))
        text = json.dumps({"note": f"mail {pii.email}", "items": [1, "a"]})

        result = _logged(redactor, text)

        assert result == {"note": 'mail <"hidden"\\>', "items": [1, "a"]}

    def test_colliding_redacted_keys_keep_both_values(self, redactor: Redactor, pii: Secrets) -> None:
        """Two keys that redact to the same placeholder both keep their values."""
        other = pii.email.replace("alice", "bob")

        result = self.redact_document(redactor, {pii.email: 1, other: 2})

        assert result == {"[REDACTED:email]": 1, "[REDACTED:email]#2": 2}

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param('{"a": "b", "n": [1, "two"]}', {"a": "b", "n": [1, "two"]}, id="clean"),
            pytest.param('{"password": "x"}', {"password": "[REDACTED:secret]"}, id="sensitive-key"),
            pytest.param('{"a": "{email}"}', {"a": "[REDACTED:email]"}, id="email-value"),
            pytest.param('{"a": "alice\\u0040example.com"}', {"a": "[REDACTED:email]"}, id="escaped-email"),
            pytest.param('{"{email}": 1}', {"[REDACTED:email]": 1}, id="email-key"),
            pytest.param('"{email}"', "[REDACTED:email]", id="top-level-string"),
            pytest.param(
                '{"user": "bob@corp", "email": "{email}"}',
                {"user": "bob@corp", "email": "[REDACTED:email]"},
                id="address-after-an-unrelated-at-sign",
            ),
            pytest.param(
                '{"card": {card}, "n": 1234567, "f": 1.5}',
                {"card": "[REDACTED:credit_card]", "n": 1234567, "f": 1.5},
                id="long-integer",
            ),
            pytest.param(
                '{"sku": "SKU-16502530000"}', {"sku": "SKU-16502530000"}, id="digits-inside-a-string-stay-a-string"
            ),
            pytest.param(
                '{"card": {card}e0, "big": 1e300, "small": 2.5e3}',
                {"card": "[REDACTED:credit_card].0", "big": 1e300, "small": 2500.0},
                id="a-card-with-an-exponent",
            ),
            pytest.param(
                '{"card": {card}.0, "t": 1733170000.5}',
                {"card": "[REDACTED:credit_card].0", "t": 1733170000.5},
                id="a-whole-float",
            ),
        ],
    )
    def test_redact_json_from_text(self, redactor: Redactor, pii: Secrets, text: str, expected: object) -> None:
        """Strings are taken from the text (escapes decoded) and masked by key and by value."""
        filled = text.replace("{email}", pii.email).replace("{card}", luhn_number())

        assert _logged(redactor, filled) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param('{"a": -12345678, "b": [1234567,7654321]}', ["-12345678", "1234567", "7654321"], id="ints"),
            pytest.param('{"f": 12345678.5, "e": 2.5e3}', [], id="floats"),
            pytest.param('{"e": 12345678e3}', ["12345678000.0"], id="a-whole-float-with-an-exponent"),
            pytest.param('{"short": 123456}', [], id="short"),
            pytest.param('{"s": "order 99999999"}', [], id="inside-a-string"),
            pytest.param("12345678", ["12345678"], id="top-level"),
            pytest.param('{"n": "é", "a": 12345678}', ["12345678"], id="non-ascii-text"),
            pytest.param('{"a": 1234567890123456789012}', ["1234567890123456789012"], id="a-long-run"),
            pytest.param('{"a":1234567,"b":[7654321 ,\n 12345678.00]}', ["1234567", "7654321", "12345678.00"], id="ws"),
        ],
    )
    def test_long_integers(self, text: str, expected: list[str]) -> None:
        """JSON integers of seven digits or more are found by what surrounds them."""
        assert _long_integers(text) == expected

    @pytest.mark.parametrize(
        ("outside", "expected"),
        [
            pytest.param('{"": true, "": false}', False, id="literals"),
            pytest.param('{"": 2e5}', True, id="lower"),
            pytest.param('{"": [1.5E-3]}', True, id="upper-after-a-fraction"),
            pytest.param("e1", False, id="leading-e"),
            pytest.param("", False, id="empty"),
        ],
    )
    def test_has_exponent(self, outside: str, expected: bool) -> None:
        """A number with an exponent is told by a digit before an "e"; "true" and "false" are not one."""
        assert _has_exponent(outside) is expected


class TestCapProperties:
    """Wherever the cap falls, no fragment of a secret is logged (Hypothesis)."""

    @staticmethod
    def fragments(secret: str, size: int) -> set[str]:
        return {secret[i : i + size] for i in range(len(secret) - size + 1)}

    @given(
        local=st.text(alphabet=string.ascii_lowercase, min_size=8, max_size=12),
        filler=st.text(alphabet=string.ascii_uppercase + " ,.", max_size=60),  # never part of a secret
        phone=st.sampled_from(["+44 20 7946 0958", "+1 650 253 0000"]),
        cut=st.integers(min_value=0, max_value=200),
        as_json=st.booleans(),
    )
    @settings(max_examples=150, deadline=None)
    def test_no_fragment_at_any_cut(  # noqa: PLR0913, PLR0917 - Hypothesis arguments
        self, redactor: Redactor, local: str, filler: str, phone: str, cut: int, as_json: bool
    ) -> None:
        """An e-mail or phone number cut anywhere by the cap leaves no 6-character fragment."""
        email = f"{local}@example.com"
        if as_json:
            body = json.dumps({"note": filler, "contact": email, "phone": phone, "end": filler}).encode()
        else:
            body = f"{filler} mail {email} or call {phone} {filler}".encode()
        content_type = "application/json" if as_json else "text/plain"

        logged = str(summarize(redactor, body, content_type, body_cap=min(cut, len(body)))["body"])
        logged = re.sub(r"\[REDACTED[^\]]*\]", "", logged.removesuffix(TRUNCATED_MARKER))  # our own words

        for secret in (email, phone):
            assert not any(fragment in logged for fragment in self.fragments(secret, 6)), logged


class TestSignatureSchemes:
    """The start record names the signature schemes present, checked by shape, never their values."""

    @pytest.mark.parametrize(
        ("headers", "query", "expected"),
        [
            pytest.param([("X-Hub-Signature-256", "sha256={hex}")], "", ["github"], id="github"),
            pytest.param([("X-Hub-Signature-256", "{hex}")], "", ["github:malformed"], id="github-no-label"),
            pytest.param([("Stripe-Signature", "t=1700000000,v1={hex},v0={hex}")], "", ["stripe"], id="stripe"),
            pytest.param([("Stripe-Signature", "v1={hex}")], "", ["stripe:malformed"], id="stripe-no-timestamp"),
            pytest.param([("X-Slack-Signature", "v0={hex}")], "", ["slack"], id="slack"),
            pytest.param([("X-Shopify-Hmac-Sha256", "{b64_44}")], "", ["shopify"], id="shopify"),
            pytest.param([("X-Twilio-Signature", "{b64_28}")], "", ["twilio"], id="twilio"),
            pytest.param([("webhook-signature", "v1,{b64_44} v1,{b64_44}")], "", ["standard_webhooks"], id="std"),
            pytest.param([("svix-signature", "garbage")], "", ["svix:malformed"], id="svix-malformed"),
            pytest.param(
                [
                    (
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, "
                        "SignedHeaders=host;x-amz-date, Signature={hex}",
                    )
                ],
                "",
                ["aws_sigv4"],
                id="sigv4",
            ),
            pytest.param(
                [("Signature-Input", 'sig1=("@method");created=1'), ("Signature", "sig1=:{b64_44}:")],
                "",
                ["http_message_signatures"],
                id="rfc9421",
            ),
            pytest.param([], "X-Amz-Signature={hex}&X-Amz-Date=1", ["aws_sigv4_presigned"], id="presigned"),
            pytest.param([], "shop=x&hmac={hex}", ["shopify_oauth"], id="shopify-oauth"),
            pytest.param([("Authorization", "Bearer x"), ("Content-Type", "text/plain")], "a=1", [], id="none"),
        ],
    )
    def test_schemes(self, redactor: Redactor, headers: list[tuple[str, str]], query: str, expected: list[str]) -> None:
        """Each scheme is recognised by header name and value shape; garbage is ':malformed'."""
        fill = {"hex": "ab" * 32, "b64_44": "QUJD" * 10 + "QUI=", "b64_28": "QUJD" * 6 + "QUI="}
        filled = [(name, value.format(**fill)) for name, value in headers]

        fields = summarize_request(
            redactor,
            RequestLogSettings(),
            method="POST",
            path="/",
            query_string=query.format(**fill),
            headers=filled,
            body=b"",
            body_complete=True,
        )

        assert fields.get("signature_schemes", []) == expected
        assert "ab" * 32 not in repr(fields)


class TestHostileBodies:
    """Bodies built to make a pattern backtrack come back in linear time (a generous hang guard, no timing)."""

    HANG_GUARD = 20.0

    @pytest.mark.parametrize(
        "body",
        [
            # A long digit run ending in a fraction, beside a number with an exponent:
            # the exponent search once tried the run from each of its digits.
            pytest.param(b'{"a":[' + b"1" * 200_000 + b".5,1e5]}", id="digit-run-then-fraction"),
            pytest.param(b'{"a":"\\u0040",' + b'"b":[' + b"7" * 200_000 + b".5,2E-3]}", id="with-escapes"),
            pytest.param(b'{"a":[' + b"-1" * 100_000 + b"]}", id="minus-runs"),
        ],
    )
    def test_long_digit_runs(self, redactor: Redactor, body: bytes) -> None:
        """A 200 KB body of digits with a body cap that admits it is scrubbed, not stuck."""
        started = time.perf_counter()
        fields = summarize(redactor, body, "application/json", body_cap=len(body))

        assert time.perf_counter() - started < self.HANG_GUARD
        assert isinstance(fields["body"], str)

    @pytest.mark.parametrize("content_type", ["application/json", "text/plain", ""])
    @pytest.mark.parametrize(
        "body",
        [
            # Cut inside one long word: the search for the partial token at the cut once
            # ran from every position to the end of the word (quadratic time).
            pytest.param(b"a" * 200_000 + b" tail", id="one-long-word"),
            pytest.param(b"1 " * 100_000 + b"; tail", id="digit-groups"),
            pytest.param(b'{"a": "' + b"b" * 200_000 + b' tail"}', id="json-string"),
            pytest.param(b'{"a": "' + b'\\"' * 100_000 + b" tail", id="escaped-quotes"),
            pytest.param(b"[" * 200_000 + b"1, tail", id="open-brackets"),
        ],
    )
    def test_a_cut_inside_a_long_run(self, redactor: Redactor, body: bytes, content_type: str) -> None:
        """A body cut at a cap of 200 KB inside a long run is trimmed at the cut, not stuck."""
        started = time.perf_counter()
        fields = summarize(redactor, body, content_type, body_cap=200_001)

        assert time.perf_counter() - started < self.HANG_GUARD
        assert fields["body_truncated"] is True

    def test_a_long_stripe_signature_header(self, redactor: Redactor) -> None:
        """A Stripe-Signature of 20,000 digests and a trailing comma is judged malformed, not stuck."""
        value = "t=1" + (",v1=" + "a" * 64) * 20_000 + ","
        started = time.perf_counter()
        fields = summarize(redactor, b"", extra_headers=[("Stripe-Signature", value)])

        assert time.perf_counter() - started < self.HANG_GUARD
        assert fields["signature_schemes"] == ["stripe:malformed"]
