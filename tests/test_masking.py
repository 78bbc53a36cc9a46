"""Tests for the masks: LabelMask, FixedMask, PartialMask, PseudonymMask."""

from __future__ import annotations

import pytest

from redactlog import ConfigurationError, FixedMask, LabelMask, Mask, PartialMask, PseudonymMask

KEY = bytes(range(32))


class TestLabelMask:
    def test_label_names_the_kind(self):
        """The default placeholder names the kind."""
        assert LabelMask()("alice@example.com", "email") == "[REDACTED:email]"

    def test_odd_kind_is_normalised(self):
        """A kind with characters that would break the placeholder becomes 'secret'."""
        assert LabelMask()("x", "bad kind]") == "[REDACTED:secret]"

    def test_finds_its_placeholders(self):
        """placeholders() yields the ranges of every built-in placeholder."""
        text = "a [REDACTED:email] b [REDACTED:phone:*4567] c"

        assert list(LabelMask().placeholders(text)) == [(2, 18), (21, 43)]


class TestFixedMask:
    def test_replaces_with_fixed_text(self):
        """Every secret becomes the same text."""
        assert FixedMask("***")("hunter2", "secret") == "***"

    @pytest.mark.parametrize("text", ["", "   "])
    def test_rejects_invisible_text(self, text):
        """An empty mask would silently delete data, so it is refused."""
        with pytest.raises(ConfigurationError):
            FixedMask(text)

    def test_finds_fixed_placeholders(self):
        """placeholders() finds each occurrence of the fixed text."""
        assert list(FixedMask("***").placeholders("a *** b ***")) == [(2, 5), (8, 11)]


class TestPartialMask:
    @pytest.mark.parametrize(
        ("secret", "kind", "expected"),
        [
            pytest.param("4111 1111 1111 1111", "credit_card", "[REDACTED:credit_card:*1111]", id="card-keeps-last-4"),
            pytest.param("+44 20 7946 0958", "phone", "[REDACTED:phone:*0958]", id="phone-keeps-last-4"),
            pytest.param("hunter2", "phone", "[REDACTED:phone]", id="too-short-masked-whole"),
            pytest.param("correct-horse-battery", "secret", "[REDACTED:secret]", id="secrets-never-partial"),
            pytest.param("0123456789abcdef", "signature", "[REDACTED:signature]", id="signatures-never-partial"),
        ],
    )
    def test_keeps_tail_only_where_safe(self, secret, kind, expected):
        """The tail is kept only for long enough values of kinds where that is safe."""
        assert PartialMask()(secret, kind) == expected

    def test_rejects_bad_configuration(self):
        """keep must be positive and enough characters must stay hidden."""
        with pytest.raises(ConfigurationError):
            PartialMask(keep=0)


class TestPseudonymMask:
    def test_same_value_same_pseudonym(self):
        """Pseudonyms are stable, so records can be correlated."""
        mask = PseudonymMask(key=KEY, key_id="k1")

        assert mask("alice@example.com", "email") == mask("alice@example.com", "email")

    def test_email_case_is_ignored(self):
        """E-mail addresses are compared case-insensitively."""
        mask = PseudonymMask(key=KEY)

        assert mask("Alice@Example.com", "email") == mask("alice@example.com", "email")

    def test_key_changes_pseudonym(self):
        """Without the key, a pseudonym cannot be recomputed from a guess."""
        first = PseudonymMask(key=KEY)("536-22-8761", "us_ssn")
        second = PseudonymMask(key=bytes(32))("536-22-8761", "us_ssn")

        assert first != second

    def test_shape(self):
        """A pseudonym names kind and key id and holds a hex digest of the chosen length."""
        value = PseudonymMask(key=KEY, key_id="k2026", length=12)("x", "email")

        assert value.startswith("[REDACTED:email:k2026:")
        assert len(value.rsplit(":", 1)[1].rstrip("]")) == 12

    @pytest.mark.parametrize(
        "kwargs",
        [
            pytest.param({"key": b"short"}, id="short-key"),
            pytest.param({"key": "not-bytes-but-long-enough"}, id="str-key"),
            pytest.param({"key": KEY, "key_id": "has space"}, id="bad-key-id"),
            pytest.param({"key": KEY, "length": 4}, id="digest-too-short"),
        ],
    )
    def test_rejects_bad_configuration(self, kwargs):
        """Weak keys and odd key ids are refused at start-up."""
        with pytest.raises(ConfigurationError):
            PseudonymMask(**kwargs)

    def test_repr_hides_key(self):
        """The key never appears in a repr (and so never in a log)."""
        assert KEY.hex() not in repr(PseudonymMask(key=KEY))
        assert repr(KEY) not in repr(PseudonymMask(key=KEY))


@pytest.mark.parametrize("mask", [LabelMask(), FixedMask(), PartialMask(), PseudonymMask(key=KEY)])
def test_every_mask_satisfies_the_protocol(mask):
    """Each built-in mask is a redactlog.Mask."""
    assert isinstance(mask, Mask)


@pytest.mark.parametrize("mask", [LabelMask(), PartialMask(), PseudonymMask(key=KEY)])
def test_placeholders_recognise_own_output(mask):
    """A mask recognises every placeholder it produces."""
    placeholder = mask("4111 1111 1111 1111", "credit_card")

    assert list(mask.placeholders(f"x {placeholder} y")) == [(2, 2 + len(placeholder))]
