"""Engine invariants as Hypothesis properties (STYLE B2): nothing leaks, redaction is stable.

Profiles live in ``tests/conftest.py``: ``ci`` by default, ``HYPOTHESIS_PROFILE=long`` locally.
"""

from __future__ import annotations

import copy
import string

import pytest
from hypothesis import assume, example, given, note
from hypothesis import strategies as st

from redactlog import Finding, Limits, Redactor
from redactlog.typing import Mask
from tests.strategies import (
    KINDS,
    MASKS,
    Sample,
    masks,
    nested_values,
    noise,
    plain_separators,
    sample_in_context,
    samples,
    strings_in,
)

REDACTORS: dict[str, Redactor] = {name: Redactor(mask=mask) for name, mask in MASKS.items()}
# Masks whose placeholder does not depend on the value: masking one again gives it back.
VALUE_BLIND_MASKS = ["label", "fixed", "fixed_stars"]
"""One shared redactor per masking policy (a Redactor is immutable and thread-safe)."""

DEFAULT = REDACTORS["label"]


def rebuild(text: str, findings: list[Finding], mask: Mask) -> str:
    """Return *text* with each finding replaced by its placeholder, everything else kept."""
    pieces: list[str] = []
    position = 0
    for finding in findings:
        pieces.append(text[position : finding.start])
        pieces.append(mask(text[finding.start : finding.end], finding.kind))
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


class TestNoSecretSurvives:
    """No generated secret survives redaction, for every kind and every masking policy."""

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data(), mask_name=masks())
    def test_secret_in_context_is_masked(self, kind, data, mask_name):
        """redact(prefix + secret + suffix) never contains the secret."""
        text, sample = data.draw(sample_in_context(kind))
        out = REDACTORS[mask_name].redact(text)
        note(f"out={out!r}")

        assert sample.secret not in out

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data(), mask_name=masks())
    def test_secret_after_plain_separator_is_masked(self, kind, data, mask_name):
        """redact(prefix + secret + suffix) never contains the secret when no ':' precedes it."""
        text, sample = data.draw(sample_in_context(kind, plain_separators))
        out = REDACTORS[mask_name].redact(text)
        note(f"out={out!r}")

        assert sample.secret not in out

    @given(parts=st.lists(samples(), min_size=2, max_size=6), glue=st.lists(noise, min_size=7, max_size=7))
    def test_many_secrets_in_one_line_are_all_masked(self, parts, glue):
        """Several secrets of different kinds in one line are all masked."""
        text = glue[0] + " | " + " | ".join(f"{p.text} | {g}" for p, g in zip(parts, glue[1:], strict=False))
        assume(all(text.count(p.secret) == 1 for p in parts))
        out = DEFAULT.redact(text)

        for part in parts:
            assert part.secret not in out

    @given(sample=samples(), mask_name=masks())
    def test_secret_alone_is_masked(self, sample, mask_name):
        """A secret that is the whole record is masked."""
        assume(sample.text.count(sample.secret) == 1)

        assert sample.secret not in REDACTORS[mask_name].redact(sample.text)


class TestIdempotence:
    """Redacting a redacted text changes nothing."""

    @given(text=st.text(max_size=200), mask_name=masks())
    def test_arbitrary_text(self, text, mask_name):
        """redact(redact(x)) == redact(x) for any text."""
        redactor = REDACTORS[mask_name]
        once = redactor.redact(text)

        assert redactor.redact(once) == once

    @given(data=st.data(), mask_name=masks())
    def test_text_with_secrets(self, data, mask_name):
        """redact(redact(x)) == redact(x) for lines holding secrets of any kind."""
        text, _ = data.draw(sample_in_context())
        redactor = REDACTORS[mask_name]
        once = redactor.redact(text)

        assert redactor.redact(once) == once


class TestPlaceholders:
    """Placeholders are never re-detected."""

    @given(
        kind=st.sampled_from((*KINDS, "redaction_failed", "oversize", "too_deep", "cycle", "truncated")),
        secret=st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=40),
        mask_name=masks(),
    )
    def test_placeholder_alone_is_not_a_finding(self, kind, secret, mask_name):
        """scan(placeholder) finds nothing and redact(placeholder) returns it unchanged."""
        redactor = REDACTORS[mask_name]
        placeholder = MASKS[mask_name](secret, kind)

        assert redactor.scan(placeholder) == []
        assert redactor.redact(placeholder) == placeholder

    @given(data=st.data(), mask_name=masks())
    def test_placeholder_in_context_is_kept(self, data, mask_name):
        """A placeholder in a line, even after a sensitive key, survives a second redaction."""
        text, sample = data.draw(sample_in_context())
        redactor = REDACTORS[mask_name]
        placeholder = MASKS[mask_name](sample.secret, sample.kind)
        line = text.replace(sample.secret, placeholder)
        note(f"line={line!r}")

        assert placeholder in redactor.redact(line)


class TestOutsideSpans:
    """Text outside detected spans is unchanged."""

    @given(text=st.text(max_size=300), mask_name=masks())
    def test_arbitrary_text(self, text, mask_name):
        """The output is the input with exactly the reported findings masked."""
        redactor = REDACTORS[mask_name]
        out, findings = redactor.redact_with_findings(text)

        assert rebuild(text, findings, MASKS[mask_name]) == out
        assert redactor.redact(text) == out

    @given(data=st.data(), mask_name=masks())
    def test_text_with_secrets(self, data, mask_name):
        """Around generated secrets, only the reported findings change."""
        text, _ = data.draw(sample_in_context())
        redactor = REDACTORS[mask_name]
        out, findings = redactor.redact_with_findings(text)

        assert rebuild(text, findings, MASKS[mask_name]) == out
        assert redactor.redact(text) == out

    @given(text=st.text(max_size=300))
    def test_findings_are_sorted_disjoint_and_in_bounds(self, text):
        """scan() returns sorted, non-overlapping findings inside the text."""
        findings = DEFAULT.scan(text)
        previous_end = 0

        for finding in findings:
            assert previous_end <= finding.start < finding.end <= len(text)
            previous_end = finding.end


class TestRedactValue:
    """redact_value never mutates its input, never leaks and always terminates."""

    @given(value=nested_values())
    def test_input_is_never_mutated(self, value):
        """The input compares equal to a deep copy taken before the call."""
        before = copy.deepcopy(value)
        DEFAULT.redact_value(value)

        assert before == value

    @given(value=nested_values(), sample=samples(), key=st.sampled_from(["msg", "detail", "note"]))
    def test_secret_values_never_survive(self, value, sample, key):
        """A secret anywhere among the values of a nested structure is masked."""
        out = DEFAULT.redact_value({"payload": value, key: [sample.text, (sample.text,)]})

        for text in strings_in(out):
            assert sample.secret not in text

    @given(sample=samples())
    @example(sample=Sample("email", "alice.example@example.com", "alice.example@example.com"))
    def test_secret_keys_never_survive(self, sample):
        """A secret used as a dict key is masked too."""
        out = DEFAULT.redact_value({sample.text: 1, "nested": {sample.text: "x"}})

        for text in strings_in(out):
            assert sample.secret not in text

    @given(value=nested_values(), mask_name=st.sampled_from(VALUE_BLIND_MASKS))
    def test_redacted_value_is_stable(self, value, mask_name):
        """Redacting a redacted value changes nothing (same strings, same shape), with masks that ignore the value.

        A pseudonym or a partial mask of a placeholder is another placeholder:
        RedactingFilter redacts each record once instead (see test_stdlib).
        """
        redactor = REDACTORS[mask_name]
        once = redactor.redact_value(value)

        assert redactor.redact_value(once) == once

    @given(depth=st.integers(1, 5_000), wrap=st.sampled_from(["list", "dict", "tuple"]))
    def test_deep_values_terminate(self, depth, wrap):
        """Nesting far beyond max_depth ends in a too_deep placeholder, not a RecursionError."""
        value: object = "payload"
        for _ in range(depth):
            value = [value] if wrap == "list" else {"k": value} if wrap == "dict" else (value,)
        out = DEFAULT.redact_value(value)

        # max_depth containers are walked; the next one down becomes the placeholder.
        assert out == value if depth <= DEFAULT.limits.max_depth else "[REDACTED:too_deep]" in repr(out)

    @given(size=st.integers(0, 50_000), sample=samples())
    def test_huge_containers_are_truncated(self, size, sample):
        """Containers beyond max_items are cut with a truncated marker; secrets never pass."""
        redactor = Redactor(limits=Limits(max_items=1_000))
        value = [sample.text] * size
        out = redactor.redact_value(value)

        assert isinstance(out, list)
        assert len(out) == min(size, 1_001)
        assert all(sample.secret not in item for item in out)

    @given(shape=st.sampled_from(["list", "dict", "mutual", "set-tuple", "deep"]), sample=samples())
    def test_cyclic_values_terminate(self, shape, sample):
        """Self-referencing values end in a cycle placeholder; secrets beside the cycle are masked."""
        value: object
        if shape == "list":
            items: list[object] = [sample.text]
            items.append(items)
            value = items
        elif shape == "dict":
            mapping: dict[str, object] = {"msg": sample.text}
            mapping["self"] = mapping
            value = mapping
        elif shape == "mutual":
            left: dict[str, object] = {"msg": sample.text}
            right: list[object] = [left]
            left["right"] = right
            value = right
        elif shape == "set-tuple":
            holder: list[object] = []
            value = (sample.text, holder)
            holder.append(value)
        else:
            chain: list[object] = [sample.text]
            node = chain
            for _ in range(10):
                child: list[object] = [sample.text]
                node.append(child)
                node = child
            node.append(chain)
            value = chain
        out = DEFAULT.redact_value(value)

        assert "[REDACTED:cycle]" in repr(out) or "[REDACTED:too_deep]" in repr(out)
        assert sample.secret not in repr(out)

    @given(size=st.integers(0, 5_000), sample=samples())
    def test_huge_strings_are_bounded(self, size, sample):
        """A secret beyond max_length is masked with the rest of the tail; the head is kept but for the word cut."""
        redactor = Redactor(limits=Limits(max_length=2_000))
        head = "xxxxxxxxx " * (size // 10) + " "
        out = redactor.redact_value({"msg": head + sample.text})

        assert isinstance(out, dict)
        assert sample.secret not in out["msg"]
        assert out["msg"].startswith(head[: 2_000 - 10])


class TestRegressions:
    """Minimal examples of the properties above, as plain tests."""

    @pytest.mark.parametrize("prefix", ["x@ ", "0@\nA ", "user@ then "])
    def test_address_after_a_stray_at_sign_is_masked(self, prefix):
        """'x@ <address>' masks the address."""
        address = "bob" + "@" + "example.com"

        assert address not in DEFAULT.redact(prefix + address)

    @pytest.mark.parametrize("prefix", ["login failed: ", "a: ", "msg=x:"])
    def test_pair_after_a_colon_is_masked(self, prefix):
        """'login failed: password=<value>' masks the value."""
        value = "hunter" + "2" * 3

        assert value not in DEFAULT.redact(prefix + "password=" + value)

    def test_standard_webhooks_signature_is_idempotent(self):
        """Redacting a redacted 'webhook-signature: v1,<digest>' header changes nothing."""
        once = DEFAULT.redact("webhook-signature: v1," + "0" * 43 + "=")

        assert DEFAULT.redact(once) == once

    def test_national_phone_at_line_start_is_masked(self):
        """A national phone number that starts a line of a multi-line text is masked."""
        number = "07400 " + "123" + "000"

        assert number not in DEFAULT.redact("x\n" + number)

    def test_line_break_before_a_phone_is_kept(self):
        """Masking a phone number at the start of a line keeps the line break."""
        assert DEFAULT.redact("x\n020 7946 " + "0958") == "x\n[REDACTED:phone]"

    @pytest.mark.parametrize(
        ("prefix", "pair"),
        [
            pytest.param("a: ", "password: ", id="password-header-form"),
            pytest.param("error: ", "X-Api-Key: ", id="api-key-header"),
            pytest.param("A: ", "X-Slack-Signature: v0=", id="slack-signature"),
        ],
    )
    def test_header_pair_after_a_colon_is_masked(self, prefix, pair):
        """'error: X-Api-Key: <value>' masks the value."""
        value = "0123456789abcdef" * 4

        assert value not in DEFAULT.redact(prefix + pair + value)

    @pytest.mark.parametrize("quote", ['"', "'"])
    def test_quoted_pair_after_a_colon_is_masked(self, quote):
        """'error: "token": "<value>"' masks the value."""
        value = "0123456789abcdef" * 2
        q = quote

        assert value not in DEFAULT.redact(f"error: {q}token{q}: {q}{value}{q}")

    @pytest.mark.parametrize(
        "line",
        [
            pytest.param("password: {}: rejected", id="password"),
            pytest.param("X-Api-Key: {}: invalid", id="api-key-header"),
            pytest.param("A X-Slack-Signature: v0={}: A", id="slack-signature"),
        ],
    )
    def test_value_followed_by_a_colon_is_masked(self, line):
        """'password: <value>: rejected' masks the value."""
        value = "0123456789abcdef" * 4

        assert value not in DEFAULT.redact(line.format(value))

    def test_email_as_dict_key_is_masked(self):
        """{'<email>': 1} does not log the e-mail address."""
        address = "bob" + "@" + "example.org"
        out = DEFAULT.redact_value({address: 1})

        assert address not in repr(out)
