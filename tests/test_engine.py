"""Tests for redactlog.Redactor: configuration, merging, fail-closed behaviour."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator

import pytest

import redactlog
from redactlog import ConfigurationError, Finding, FixedMask, LabelMask, Limits, PseudonymMask, Redactor, RegexDetector


def fake_token(prefix: str, length: int = 36) -> str:
    """Build a token-shaped string at run time, so no secret-looking literal is committed."""
    rng = random.Random(prefix)
    return prefix + "".join(rng.choices(string.ascii_letters + string.digits, k=length))


class ExplodingDetector:
    """A detector that always raises."""

    name = "exploding"
    triggers = None
    priority = 0

    def detect(self, text: str, /) -> Iterator[Finding]:
        raise RuntimeError(text)


class TestConfiguration:
    def test_default_has_every_builtin_detector(self):
        """Redactor() uses the full default detector set."""
        names = {d.name for d in Redactor().detectors}

        assert {"email", "phone", "us_ssn", "credit_card", "jwt", "signatures", "sensitive_keys"} <= names

    def test_disable_removes_by_name(self):
        """disable= removes a built-in detector by name."""
        redactor = Redactor(disable=["phone"])

        assert "phone" not in {d.name for d in redactor.detectors}
        assert redactor.redact("call +44 20 7946 0958") == "call +44 20 7946 0958"

    def test_disable_unknown_name_is_an_error(self):
        """A typo in disable= fails at start-up, not silently."""
        with pytest.raises(ConfigurationError, match="unknown detector 'phon'"):
            Redactor(disable=["phon"])

    def test_add_with_same_name_replaces(self):
        """A detector added under a built-in name replaces the built-in one."""
        custom = RegexDetector("email", r"\bEMP-\d{6}\b", kind="employee_id", triggers=("EMP-",))
        redactor = Redactor(add=[custom])

        assert redactor.redact("EMP-123456 alice@example.com") == "[REDACTED:employee_id] alice@example.com"

    def test_custom_regex_detector(self):
        """A named regex with a validator is a detector in one line."""
        detector = RegexDetector(
            "order_secret", r"\bOS-(\d{4})\b", kind="order_secret", triggers=("OS-",), validate=lambda s: s != "OS-0000"
        )
        redactor = Redactor(add=[detector])

        assert redactor.redact("OS-1234 OS-0000") == "[REDACTED:order_secret] OS-0000"

    def test_rejects_non_detector(self):
        """An object without the Detector shape is refused with a clear message."""
        with pytest.raises(ConfigurationError, match="is not a detector"):
            Redactor(add=[object()])  # type: ignore[list-item]

    def test_detectors_argument_replaces_the_defaults(self):
        """detectors= gives exactly the detectors to use."""
        redactor = Redactor(detectors=[redactlog.detectors.EmailDetector()])

        assert redactor.redact("a@example.com ssn 536-22-8761") == "[REDACTED:email] ssn 536-22-8761"

    def test_repr_names_detectors(self):
        """The repr lists detector names, never configuration secrets."""
        key = b"k" * 32
        redactor = Redactor(mask=PseudonymMask(key=key))

        assert "email" in repr(redactor)
        assert "kkkk" not in repr(redactor.__slots__)


class TestRedact:
    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("user 42 logged in from 10.0.0.1", id="short-clean-record"),
            pytest.param("", id="empty"),
            pytest.param("2026-11-24 10:00:01,123 INFO worker job=sync status=ok", id="structured-clean"),
            pytest.param("commit 3f9a2b1c4d5e6f708192a3b4c5d6e7f801234567 merged", id="git-sha"),
        ],
    )
    def test_clean_text_is_returned_unchanged(self, text):
        """A text with nothing sensitive comes back as the very same object."""
        assert Redactor().redact(text) is text

    def test_masks_each_kind(self):
        """Findings of several detectors are masked in one pass, text between them kept."""
        token = fake_token("ghp_")
        text = f"mail alice@example.com token {token} phone +44 20 7946 0958 end"

        assert Redactor().redact(text) == ("mail [REDACTED:email] token [REDACTED:api_key] phone [REDACTED:phone] end")

    def test_non_string_input_is_converted(self):
        """redact() accepts any object and redacts its str()."""
        assert Redactor().redact(12345) == "12345"  # type: ignore[arg-type]

    def test_hostile_str_does_not_raise(self):
        """An object whose __str__ raises becomes a placeholder."""

        class Hostile:
            def __str__(self) -> str:
                raise ValueError("alice@example.com")

        assert Redactor().redact(Hostile()) == "[REDACTED:unrepresentable]"  # type: ignore[arg-type]

    def test_idempotent(self):
        """Redacting a redacted text changes nothing."""
        redactor = Redactor()
        once = redactor.redact('password=hunter2 {"token": "abc"} mail a@example.com Authorization: Bearer x1y2z3w4v5')

        assert redactor.redact(once) == once

    def test_placeholder_inside_value_is_kept_but_surroundings_masked(self):
        """A value that embeds a placeholder has its other parts masked, never leaked."""
        out = Redactor().redact("password=abc[REDACTED:x]def")

        assert "abc" not in out
        assert "def" not in out
        assert "[REDACTED:x]" in out

    def test_oversize_tail_is_masked(self):
        """Text beyond max_length is replaced, not passed through."""
        redactor = Redactor(limits=Limits(max_length=50))
        text = "x" * 50 + " alice@example.com"

        assert redactor.redact(text + " a@b.co") == "x" * 50 + "[REDACTED:oversize]"

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            pytest.param("paid with card 4111 1111 1111 1111 today", "4111 1111", id="card"),
            pytest.param("mail alice.smith@example.com today", "alice", id="email"),
            pytest.param("call +44 20 7946 0958 today", "7946", id="phone-groups"),
            pytest.param("ssn 536-84-7293 today", "536", id="ssn"),
            pytest.param("token=" + "a1B2c3D4" * 6 + " today", "a1B2", id="key-value"),
        ],
    )
    def test_secret_cut_at_max_length_leaves_no_fragment(self, text, fragment):
        """A secret that straddles max_length loses its head with its tail: no fragment is left next to the cut."""
        start = text.index(fragment)
        for length in range(start + 1, start + 12):
            out = Redactor(limits=Limits(max_length=length)).redact(text)

            assert fragment not in out, length
            assert out.endswith("[REDACTED:oversize]")

    def test_oversize_placeholder_may_be_a_str_subclass(self):
        """A mask may return a str subclass (a StrEnum member, say), for the oversize tail too."""

        class Label(str):
            pass

        class SubclassMask:
            def __call__(self, secret: str, kind: str, /) -> str:
                return Label(f"[REDACTED:{kind}]")

            def placeholders(self, text: str, /) -> Iterator[tuple[int, int]]:
                return LabelMask().placeholders(text)

        redactor = Redactor(mask=SubclassMask(), limits=Limits(max_length=20))

        assert redactor.redact("x" * 20 + " " + "x" * 29 + " a@b.co") == "x" * 20 + "[REDACTED:oversize]"
        assert redactor.failures == 0


class TestCleanMemo:
    def test_repeated_clean_value_skips_detection(self):
        """A short clean text seen before is answered from the memo, as the same object."""
        redactor = Redactor()
        text = "2026-11-24 10:00:01,123 status=ok"

        assert redactor.redact(text) is text
        assert redactor.redact(text) is text

    def test_text_cut_at_max_length_is_never_remembered_as_clean(self):
        """A text scanned only up to max_length is masked the same way every time."""
        redactor = Redactor(limits=Limits(max_length=50))
        text = "x" * 50 + " " + "x" * 9 + " password=hunter2"

        assert redactor.redact(text) == redactor.redact(text) == "x" * 50 + "[REDACTED:oversize]"

    def test_memo_never_holds_a_secret(self):
        """Only texts found clean are remembered: a secret is redacted every time."""
        redactor = Redactor()

        assert redactor.redact("a@example.com") == "[REDACTED:email]"
        assert redactor.redact("a@example.com") == "[REDACTED:email]"


class TestFailClosed:
    def test_raising_detector_masks_whole_text(self):
        """A detector that raises never lets the text through."""
        redactor = Redactor(add=[ExplodingDetector()])

        assert redactor.redact("anything at all") == "[REDACTED:redaction_failed]"
        assert redactor.failures == 1

    def test_scan_reports_failure(self):
        """scan() reports a failed text as one redaction_failed finding."""
        redactor = Redactor(add=[ExplodingDetector()])

        assert redactor.scan("abc") == [Finding(0, 3, "redaction_failed", "")]

    def test_redact_value_fails_closed(self):
        """redact_value() never raises either."""
        redactor = Redactor(add=[ExplodingDetector()])

        failed = "[REDACTED:redaction_failed]"

        assert redactor.redact_value({"a": "b"}) == {failed: failed}

    def test_timeout_fails_closed(self):
        """A pattern that exceeds its time bound masks the text."""
        slow = RegexDetector("slow", r"^(a|aa)+$", triggers=("a",), timeout=0.01)
        redactor = Redactor(detectors=[slow])

        assert redactor.redact("a" * 5000 + "b") == "[REDACTED:redaction_failed]"
        assert redactor.failures == 1


class TestScan:
    def test_findings_carry_no_value(self):
        """Findings hold positions, kind and detector name only."""
        text = "to alice@example.com"
        findings = Redactor().scan(text)

        assert findings == [Finding(3, 20, "email", "email")]
        assert "alice" not in repr(findings)

    def test_overlaps_merge_into_one_finding(self):
        """Overlapping findings become one span with the highest priority kind."""
        token = fake_token("ghp_")
        findings = Redactor().scan(f"token={token}")

        assert [(f.kind, f.start, f.end) for f in findings] == [("api_key", 6, 6 + len(token))]

    def test_redact_with_findings_matches_scan(self):
        """redact_with_findings() returns what scan() finds and what redact() writes."""
        redactor = Redactor()
        text = "a@example.com and b@example.org"
        redacted, findings = redactor.redact_with_findings(text)

        assert redacted == redactor.redact(text)
        assert findings == redactor.scan(text)


class TestMasksByKind:
    def test_masks_mapping_overrides_per_kind(self):
        """masks= sets a mask for one kind; the others keep the default."""
        redactor = Redactor(masks={"email": FixedMask("<email>")})

        assert redactor.redact("a@example.com ssn 536-22-8761") == "<email> ssn [REDACTED:us_ssn]"

    def test_pseudonyms_are_stable_and_idempotent(self):
        """The same value gives the same pseudonym; redacting twice changes nothing."""
        redactor = Redactor(mask=PseudonymMask(key=b"0123456789abcdef0123", key_id="k1"))
        once = redactor.redact("a@example.com then A@Example.com then b@example.com")
        first, second, third = once.split(" then ")

        assert first == second
        assert first != third
        assert redactor.redact(once) == once
