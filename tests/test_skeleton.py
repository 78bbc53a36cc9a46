"""Skeletons and their hex words: what is collapsed, and that nothing a detector needs is."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactlog import Redactor, RegexDetector, SensitiveKeys
from redactlog._gate import Gate
from redactlog._skeleton import hex_words_collapsed, may_overlap_hex_word, skeleton, zero_digits
from redactlog.detectors import KeyValueDetector
from tests.strategies import noise, samples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("GET /static/app.d7210dff.js", "GET /static/app.ffffffff.js", id="asset-hash"),
        pytest.param(
            "id=041fea60-9ceb-4ff3-b624-9170280c86ae ok", "id=ffffffff-ffff-ffff-ffff-ffffffffffff ok", id="uuid"
        ),
        pytest.param("a1b2c3d4e5", "ffffffffff", id="at-the-start"),
        pytest.param("sha 3fa2", "sha ffff", id="four-characters"),
        pytest.param("x%3d7210dffabc", "x%0d0000dffabc", id="percent-encoding"),
        pytest.param("user_3fa2b9c1", "user_0fa0b0c0", id="glued-to-a-word"),
        pytest.param("3fa2b9c1X", "0fa0b0c0X", id="glued-before-a-word"),
        pytest.param("ssn 123456789abc", "ssn 000000000abc", id="seven-digits-before-the-letter"),
        pytest.param("call 415-555-0123abc", "call 000-000-fffffff", id="digits-glued-to-a-letter"),
        pytest.param("2026-11-24 10:00:01 ok", "0000-00-00 00:00:00 ok", id="digits-only"),
        pytest.param("deadbeef", "deadbeef", id="letters-only"),
        pytest.param("a1b", "a0b", id="too-short"),
        pytest.param("b624-917", "ffff-000", id="short-group-after-a-dash"),
    ],
)
def test_hex_words_collapsed(text, expected):
    assert hex_words_collapsed(skeleton(text)) == expected.encode()


def test_a_skeleton_without_hex_words_is_returned_as_it_is():
    key = skeleton("job=sync-1 status=ok")

    assert hex_words_collapsed(key) is key


@given(st.text(alphabet="0123456789abcdefgxyzABC_%-. :", max_size=60))
def test_collapsing_keeps_the_length_and_every_byte_outside_hex_words(text):
    key = skeleton(text)
    collapsed = hex_words_collapsed(key)

    assert len(collapsed) == len(key)
    kept_or_collapsed = (
        old == new or (chr(old) in "0abcdef" and new == ord("f")) for old, new in zip(key, collapsed, strict=True)
    )
    assert all(kept_or_collapsed)


@pytest.mark.parametrize(
    ("literal", "overlaps"),
    [
        pytest.param("ghp_", False, id="no-hex-edge"),
        pytest.param("bearer", False, id="glued-to-a-letter"),
        pytest.param("%3d", False, id="after-percent"),
        pytest.param("(b'", False, id="short-inside"),
        pytest.param("face", True, id="all-hex"),
        pytest.param("x-ad", True, id="hex-at-the-end"),
        pytest.param("be.x", True, id="hex-at-the-start"),
        pytest.param("x.cafe.x", True, id="whole-word-inside"),
    ],
)
def test_may_overlap_hex_word(literal, overlaps):
    assert may_overlap_hex_word(literal) is overlaps


class TestGateCollapses:
    def test_default_detectors_allow_it(self):
        assert Redactor()._gate._collapses_hex_words

    def test_a_hex_literal_forbids_it(self):
        assert not Gate([RegexDetector("cafe", r"cafe\d+", triggers=("cafe",))])._collapses_hex_words

    def test_a_hex_key_name_forbids_it(self):
        detector = KeyValueDetector(SensitiveKeys(extra_names=frozenset({"deadbeef"})))

        assert not detector.might_match_ignores_hex_words
        assert not Gate([detector])._collapses_hex_words

    def test_a_digit_blind_check_without_the_promise_forbids_it(self):
        class Blind(RegexDetector):
            might_match_ignores_digits = True

            def might_match(self, text: str) -> bool:
                return "k" in text

        assert not Gate([Blind("blind", r"k\d", triggers=("k",))])._collapses_hex_words

    def test_keyvalue_literals_reach_into_no_hex_word(self):
        """The words the key/value detector's own check looks for on a skeleton."""
        from redactlog.detectors import keyvalue

        words = [word for word, _ in keyvalue._STATEMENT_STARTS] + ["machine", "alue", "ALUE", "%0D", "%0d", "</"]
        assert not [word for word in words if may_overlap_hex_word(zero_digits(word))]


_HEX_WORD_SHAPES = st.sampled_from(["8", "4", "12", "8-4-4-4-12", "40", "2-4"])


def _hex_word(rng: random.Random, shape: str) -> str:
    return "-".join("".join(rng.choices("0123456789abcdef", k=int(n))) for n in shape.split("-"))


def _everything_found(detectors, text):
    return {d.name for d in detectors if list(d.detect(text))}


@given(
    pieces=st.lists(
        st.one_of(samples().map(lambda s: s.text), noise, _HEX_WORD_SHAPES.map(lambda s: "\x00" + s)), max_size=6
    ),
    glue=st.sampled_from([" ", "", "-", ".", "/", "=", ":", "%", "_"]),
    seeds=st.tuples(st.integers(0, 2**32), st.integers(0, 2**32)),
)
def test_a_gate_warmed_with_other_hex_words_never_drops_a_finding(pieces, glue, seeds):
    """Two texts that differ only in their hex words share a collapsed skeleton, never a missed finding."""
    gate = Redactor()._gate
    texts = []
    for seed in seeds:
        rng = random.Random(seed)
        texts.append(glue.join(_hex_word(rng, piece[1:]) if piece.startswith("\x00") else piece for piece in pieces))
    for text in texts:
        gate.might_match(text)
        gate.select(text)
    for text in texts:
        found = _everything_found(gate._detectors, text)
        assert found <= {d.name for d in gate.select(text)}
        assert gate.might_match(text) or not found
