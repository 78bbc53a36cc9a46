"""A request logger's core is set up once and remembers clean strings: none of that may change a record."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactlog import Redactor
from redactlog._http.batch import CleanTexts, redact_many
from redactlog._http.headers import HeaderRules
from redactlog._http.jsonvalue import redact_json_text
from redactlog._http.summary import RequestLogSettings, RequestSummarizer, summarize_request
from redactlog._keys import holds_no_secret
from redactlog._structured import NAMED_RECORD_SIZE, named_value, phone_field_value
from redactlog.detectors._digits import names_a_phone
from tests.strategies import Sample, noise, samples

Secrets = Any

_KEYS = st.sampled_from(["user", "id", "note", "items", "password", "api_key", "contact", "sku", "phone"])
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**6, max_value=10**17),
    st.sampled_from(["updated", "platform", "SKU-0042", "a:b", " : ", "x,y"]),
    noise,
)


def _documents(secret: Sample) -> st.SearchStrategy[object]:
    leaves = st.one_of(_LEAVES, st.just(secret.text))
    return st.recursive(
        leaves,
        lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=4)),
        max_leaves=12,
    )


def _request(summarizer: RequestSummarizer, body: bytes, headers: list[tuple[str, str]]) -> dict[str, object]:
    return summarizer.request_fields(
        method="POST", path="/hooks", query_string=b"", headers=headers, body=body, body_complete=True
    )


class TestSummarizerReuse:
    """One RequestSummarizer, request after request, logs what a fresh one logs."""

    @given(data=st.data())
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_reused_summarizer_matches_a_fresh_one(self, redactor: Redactor, data: st.DataObject) -> None:
        """Bodies and headers come out the same whatever the memo holds, and no secret survives."""
        secret = data.draw(samples())
        summarizer = RequestSummarizer(redactor, RequestLogSettings())
        for _ in range(4):
            document = data.draw(_documents(secret))
            body = json.dumps(document, indent=data.draw(st.sampled_from([None, 1]))).encode()
            headers = [("content-type", "application/json"), ("user-agent", data.draw(st.sampled_from(["a/1", "b/2"])))]

            reused = _request(summarizer, body, headers)
            fresh = summarize_request(
                redactor,
                RequestLogSettings(),
                method="POST",
                path="/hooks",
                query_string=b"",
                headers=headers,
                body=body,
                body_complete=True,
            )

            assert reused == fresh
            assert secret.secret not in json.dumps(reused, ensure_ascii=False)

    def test_a_secret_under_a_known_key_is_masked_every_time(self, redactor: Redactor, pii: Secrets) -> None:
        """A key seen clean before still masks its value; an address seen before is still found."""
        summarizer = RequestSummarizer(redactor, RequestLogSettings())
        headers = [("content-type", "application/json")]

        first = _request(summarizer, json.dumps({"note": "hello", "password": "x"}).encode(), headers)
        second = _request(summarizer, json.dumps({"note": pii.email, "password": pii.password}).encode(), headers)
        third = _request(summarizer, json.dumps({"note": pii.email}).encode(), headers)

        assert first["body"] == '{"note":"hello","password":"[REDACTED:secret]"}'
        assert second["body"] == '{"note":"[REDACTED:email]","password":"[REDACTED:secret]"}'
        assert third["body"] == '{"note":"[REDACTED:email]"}'

    def test_values_under_sensitive_keys_are_not_remembered(self, redactor: Redactor, pii: Secrets) -> None:
        """A password is clean as text; a document holding one adds nothing to the memo."""
        summarizer = RequestSummarizer(redactor, RequestLogSettings())
        headers = [("content-type", "application/json")]

        _request(summarizer, json.dumps({"password": pii.password, "note": "hello"}).encode(), headers)

        assert summarizer._clean.unknown([pii.password, "hello"]) == sorted([pii.password, "hello"])  # the memo itself


class TestCleanTexts:
    """The memo holds only what the redactor returned unchanged, and stays bounded."""

    def test_only_unchanged_strings_are_remembered(self, redactor: Redactor, pii: Secrets) -> None:
        """Clean strings are skipped next time; secrets are never remembered."""
        clean = CleanTexts()
        texts = ["plain", pii.email, "call me", pii.token, "plain"]

        result = redact_many(redactor, texts, clean)

        assert result == [redactor.redact(text) for text in texts]
        assert clean.unknown(texts) == sorted([pii.email, pii.token])

    def test_known_strings_come_back_unscanned(self, pii: Secrets) -> None:
        """A list of known strings is returned as it is, without an engine call."""

        class Counting(Redactor):
            __slots__ = ("calls",)

            def redact(self, text: str, /) -> str:
                self.calls += 1
                return super().redact(text)

        counting = Counting()
        counting.calls = 0
        clean = CleanTexts()
        texts = ["alpha", "beta", "gamma"]
        redact_many(counting, texts, clean)
        calls = counting.calls

        assert redact_many(counting, texts, clean) is texts
        assert counting.calls == calls

    def test_a_string_that_held_a_secret_is_redacted_alone_next_time(self, redactor: Redactor, pii: Secrets) -> None:
        """Its neighbours in the batch stay clean and are remembered; the secret itself is kept by hash only."""
        clean = CleanTexts()
        first = ["SKU-1001", pii.phone, "order 17", pii.ssn]
        second = ["SKU-2002", pii.phone, "order 18", pii.ssn]

        assert redact_many(redactor, first, clean) == [redactor.redact(text) for text in first]
        assert clean.held(second) == {1, 3}
        assert redact_many(redactor, second, clean) == [redactor.redact(text) for text in second]
        assert clean.unknown(second) == sorted([pii.phone, pii.ssn])
        assert all(type(item) is int for item in clean._held)

    @given(
        first=st.lists(st.one_of(samples().map(lambda sample: sample.text), noise), max_size=6),
        second=st.lists(st.one_of(samples().map(lambda sample: sample.text), noise), max_size=6),
    )
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_strings_redacted_alone_give_what_one_call_each_gives(
        self, redactor: Redactor, first: list[str], second: list[str]
    ) -> None:
        clean = CleanTexts()
        redact_many(redactor, first, clean)
        texts = second + first

        assert redact_many(redactor, texts, clean) == [redactor.redact(text) for text in texts]

    def test_memo_is_bounded(self, redactor: Redactor) -> None:
        """Strings a client makes up cannot grow the memo without bound; long strings are not kept."""
        clean = CleanTexts()
        for start in range(0, 20_000, 500):
            redact_many(redactor, [f"word{n}" for n in range(start, start + 500)], clean)
        redact_many(redactor, ["long " * 100], clean)

        assert len(clean.unknown([f"word{n}" for n in range(20_000)])) >= 20_000 - 4096
        assert clean.unknown(["long " * 100]) == ["long " * 100]

    def test_held_memo_is_bounded(self) -> None:
        clean = CleanTexts()
        for start in range(0, 20_000, 500):
            clean.remember_held([f"word{n}" for n in range(start, start + 500)])

        assert len(clean._held) <= 4096

    def test_field_name_verdicts_keep_no_name_that_could_hold_data(self, redactor: Redactor) -> None:
        """Verdicts on a body's set of field names are kept only for sets of plain words."""
        summarizer = RequestSummarizer(redactor, RequestLogSettings())
        headers = [("content-type", "application/json")]

        _request(summarizer, b'{"sku": "a", "quantity": 1}', headers)
        _request(summarizer, b'{"sku": "a", "quantity": 2}', headers)
        _request(summarizer, b'{"mobile": "x"}', headers)
        _request(summarizer, b'{"phone_1": "x"}', headers)

        _request(summarizer, b'{"note": "a", "alice@example.com": 1}', headers)

        memo = summarizer._clean.field_names
        assert memo == {
            frozenset({"sku", "quantity"}): (False, frozenset()),
            frozenset({"mobile"}): (False, frozenset({"mobile"})),
        }


class TestHeaderRules:
    """Header names are classified once; the memo of unknown names is bounded."""

    def test_unknown_names_are_classified_like_known_ones(self, redactor: Redactor, pii: Secrets) -> None:
        """A name outside the tables still masks by the name rule, first time and later."""
        rules = HeaderRules()
        headers = [("x-my-session", pii.token), ("accept", "*/*"), ("content-type", "text/plain")]

        first = rules.scrub(redactor, headers)
        second = rules.scrub(redactor, headers)

        assert first == second == {"x-my-session": "[REDACTED:secret]", "content-type": "text/plain"}

    def test_memo_is_bounded(self, redactor: Redactor) -> None:
        """Thousands of made-up header names do not grow the table without bound."""
        rules = HeaderRules()
        for n in range(5000):
            rules.scrub(redactor, [(f"x-made-up-{n}", "v")])

        assert len(rules._kinds) <= 512  # the bound is the point of the test


def _reference(redactor: Redactor, value: object) -> object:
    """redact_json_text's rules spelt out: one engine call per string, sensitive keys masked."""
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, list):
        return [_reference(redactor, item) for item in value]
    if isinstance(value, dict):
        result = {}
        named = named_value(value, redactor.sensitive_keys.kind_of) if len(value) <= NAMED_RECORD_SIZE else None
        for key, item in value.items():
            kind = named[1] if named is not None and key is named[0] else redactor.sensitive_keys.kind_of(key)
            if (
                kind is not None
                and item is not None
                and type(item) is not bool
                and not (type(item) is str and holds_no_secret(item))
            ):
                secret = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
                result[redactor.redact(key)] = redactor.mask(secret, kind)
            elif type(item) in (str, int) and names_a_phone(key):
                result[redactor.redact(key)] = phone_field_value(redactor.redact, redactor.mask, item)
            else:
                result[redactor.redact(key)] = _reference(redactor, item)
        return result
    if type(value) is int and not -(10**6) < value < 10**6:
        text = str(value)
        redacted = redactor.redact(text)
        return value if redacted == text else redacted
    return value


class TestJsonPaths:
    """With or without escapes and whitespace, a document is redacted as string-by-string rules say."""

    @given(
        data=st.data(),
        ensure_ascii=st.booleans(),
        indent=st.sampled_from([None, 0, 2]),
        separators=st.sampled_from([None, (",", ":"), (" , ", " : ")]),
    )
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_matches_the_reference(
        self,
        redactor: Redactor,
        data: st.DataObject,
        ensure_ascii: bool,
        indent: int | None,
        separators: tuple[str, str] | None,
    ) -> None:
        """Batched, deduplicated and memoised redaction equals one call per string."""
        document = data.draw(_documents(data.draw(samples())))
        text = json.dumps(document, ensure_ascii=ensure_ascii, indent=indent, separators=separators)
        value = json.loads(text)

        assert json.loads(redact_json_text(redactor, text, value, CleanTexts())) == _reference(redactor, value)

    def test_key_before_a_spaced_colon(self, redactor: Redactor, pii: Secrets) -> None:
        """A key followed by whitespace before its colon is still a key."""
        text = '{"password" \n :  "' + pii.password + '", "a": "b"}'

        logged = json.loads(redact_json_text(redactor, text, json.loads(text)))

        assert logged == {"password": "[REDACTED:secret]", "a": "b"}
