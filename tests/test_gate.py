"""Tests for the gate that lets clean texts skip every detector."""

from __future__ import annotations

import secrets
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactlog import Redactor, RegexDetector, _gate
from redactlog._gate import Gate, _digit_shape_search, _has_digit_shape, _Literals
from redactlog._skeleton import decode, hex_words_collapsed, skeleton, zero_digits
from redactlog.detectors import DIGITS, KeyValueDetector
from tests.strategies import CONTEXT_WORDS, noise, samples


@pytest.fixture(name="gate", scope="module")
def fixture_gate() -> Gate:
    return Gate(Redactor().detectors)


class TestMightMatch:
    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("user 42 logged in from 10.0.0.1", id="short-record"),
            pytest.param("Processed request for customer account in the billing service", id="prose"),
            pytest.param("retry 3 of 5 after 250 ms", id="small-numbers"),
        ],
    )
    def test_clean_prose_skips_everything(self, gate, text):
        """Texts without any trigger never reach a detector."""
        assert not gate.might_match(text)

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("mail alice@example.com", id="at-sign"),
            pytest.param("to alice%40example.com", id="percent-encoded-at"),
            pytest.param("call +44 20 7946 0958", id="phone"),
            pytest.param("phone=%2B1%20650%20253%200000", id="url-encoded-phone"),
            pytest.param("FR 06 12 34 56 78", id="paired-digits"),
            pytest.param("ssn 536-22-8761", id="ssn"),
            pytest.param("password=hunter2", id="key-value"),
            pytest.param("sent Bearer abcdef0123456789", id="bearer-in-prose"),
            pytest.param("key AKIA" + "A" * 16, id="aws-key-id"),
        ],
    )
    def test_candidates_pass(self, gate, text):
        """Texts that could hold a secret go on to the detectors."""
        assert gate.might_match(text)


_DIGIT_DETECTORS = {"phone", "us_ssn", "credit_card"}


class TestDigitShapes:
    """Which digit runs wake the phone, SSN and card detectors."""

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("2026-11-24T10:00:01.123456Z request done", id="timestamp-with-microseconds"),
            pytest.param("2026-11-24 10:00:01,123 worker idle", id="leading-timestamp"),
            pytest.param("client 192.168.100.200 connected", id="ipv4"),
            pytest.param("upstream 10.0.123.45:8080 ok", id="ipv4-with-port"),
            # Two bare groups of seven or eight digits need a phone context word.
            pytest.param('10.0.3.7 - - [24/Nov/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 59015 "-"', id="access-log"),
            pytest.param("status 404 23456", id="two-bare-groups"),
            # One bare group of seven to eleven digits needs context too.
            pytest.param("stripe t=1700000000,v1=abc", id="unix-time"),
            pytest.param("order 12345678 shipped", id="order-number"),
            pytest.param("id 123456789 ok", id="nine-digits-without-ssn-context"),
            # Digits glued to a word can only be a bare SSN after its context.
            pytest.param("user1231000 logged in", id="glued-to-letters"),
            pytest.param("batch id_20261124 done", id="glued-to-underscore"),
            pytest.param("request abc1234567890 ok", id="glued-hex-like"),
            # After a dot, only a bare SSN after its context can start.
            pytest.param("version .1234567 ok", id="after-a-dot-without-ssn-context"),
        ],
    )
    def test_skip(self, gate, text):
        assert not {d.name for d in gate.select(text)} & _DIGIT_DETECTORS

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("call 200 59015", id="pair-after-context-word"),
            pytest.param("Mobile: 555 1234", id="pair-after-capitalised-context-word"),
            pytest.param("dial +44 20 7946", id="plus"),
            pytest.param("at (020) 7946095", id="parenthesis"),
            pytest.param("at %2B4420 794609", id="url-encoded-plus-before-a-pair"),
            pytest.param("at 0201 234567", id="trunk-zero"),
            pytest.param("at 4155 552671", id="ten-digits-in-two-groups"),
            pytest.param("at 1 200 59015", id="three-groups"),
            pytest.param("at 1-200 59015", id="joined-before"),
            pytest.param("at 200 59015-1", id="joined-after"),
            pytest.param("200 59015 and 536-22-8761", id="another-shape-later"),
            pytest.param("mobile 4155552671", id="number-after-phone-context"),
            pytest.param("ssn 536228761", id="nine-digits-after-ssn-context"),
            pytest.param("SSN: 536228761", id="nine-digits-after-capitalised-ssn-context"),
            pytest.param("card 4111111111111111", id="sixteen-digits"),
            pytest.param("to +4155552671", id="number-after-plus"),
            pytest.param("to (415)5552671", id="number-after-parenthesis"),
            pytest.param("q=%2B14155552671&x=1", id="url-encoded-plus"),
            pytest.param("q=%2b14155552671&x=1", id="url-encoded-plus-lower-case"),
            pytest.param("to %2B 14155552671", id="url-encoded-plus-and-space"),
            pytest.param("to + 4155552671", id="plus-and-space"),
            pytest.param("2026-11-24 10:00:01 415 555 2671", id="after-seconds"),
            pytest.param("2026-11-24T10:00:01 +44 20 7946 0958", id="after-iso-seconds"),
            pytest.param("2026-11-24 10:00:01,123 card 4111 1111 1111 1111", id="after-fraction"),
            pytest.param("ssn123456789", id="glued-to-ssn"),
            pytest.param("SocialSecurityNo536228761", id="glued-to-social-security"),
            pytest.param("id7 415 555 2671", id="phone-later-in-a-glued-run"),
            pytest.param("tel: \uff102079460958", id="after-a-fullwidth-digit"),
            pytest.param("ssn 12345678\u0669", id="before-an-arabic-indic-digit"),
            pytest.param("my ssn is .536228761", id="after-a-dot-after-ssn-context"),
            pytest.param("call (415).555.2671", id="after-a-dot-after-a-parenthesis"),
        ],
    )
    def test_wake(self, gate, text):
        assert _DIGIT_DETECTORS <= {d.name for d in gate.select(text)}

    @given(st.text(alphabet="0123456789", max_size=14))
    def test_lone_digit_runs_decided_as_the_search_decides(self, digits):
        """The shortcut for a text of digits only agrees with the full search."""
        assert _has_digit_shape(digits) == _digit_shape_search(digits)


class TestSelect:
    def test_only_triggered_detectors_run(self, gate):
        """select() returns just the detectors whose triggers occur."""
        names = [d.name for d in gate.select("mail alice@example.com")]

        assert names == ["email"]

    def test_detector_without_triggers_always_runs(self):
        """A detector with triggers=None is called on every text, and disables the fast path."""
        always = RegexDetector("always", r"zzz", triggers=None)
        gate = Gate([always])

        assert gate.might_match("anything")
        assert gate.select("anything") == (always,)

    @pytest.mark.parametrize(("text", "runs"), [("my zebra", True), ("my Zebra", True), ("my horse", False)])
    def test_detector_without_triggers_but_with_keywords_needs_one(self, text, runs):
        """A detector with triggers=None and keywords runs on every text that holds one of them."""
        always = RegexDetector("always", r"zebra", triggers=None, keywords=("zebra",))
        gate = Gate([always])

        assert (gate.select(text) == (always,)) is runs

    def test_digit_trigger(self):
        """The DIGITS trigger selects a detector only for phone-like digit runs."""
        digits = RegexDetector("digits", r"\d{7}", triggers=(DIGITS,))
        gate = Gate([digits])

        assert gate.select("id 123-4567") == (digits,)
        assert gate.select("tel 1234567") == (digits,)
        assert gate.select("id 1234567") == ()
        assert gate.select("id 12") == ()


def _everything_found(detectors, text):
    """The names of the detectors that find something in *text* when called directly."""
    return {d.name for d in detectors if list(d.detect(text))}


class TestNeverDropsAFinding:
    """The gate may let a detector run for nothing, never skip one that would find something."""

    @given(
        text=st.text(alphabet=st.sampled_from(list("ab=:\"' \\t\n_-@.,%0123456789kKeEyYpPsStTok+()nlB")), max_size=120)
    )
    def test_arbitrary_structured_text(self, text):
        redactor = Redactor()
        selected = {d.name for d in redactor._gate.select(text)}

        assert _everything_found(redactor.detectors, text) <= selected

    @given(sample=samples(), before=noise, after=noise)
    def test_secret_in_noise(self, sample, before, after):
        redactor = Redactor()
        text = before + sample.text + after
        selected = {d.name for d in redactor._gate.select(text)}

        assert _everything_found(redactor.detectors, text) <= selected


class TestSkeletonMemo:
    """Decisions remembered per skeleton (digits written as 0) never leak between texts."""

    def test_digit_values_are_checked_on_each_text(self, gate):
        """A date and a same-shaped number share a skeleton, not a verdict."""
        assert not {d.name for d in gate.select("2026-11-24 10:00:01 ok")} & {"phone"}
        assert "phone" in {d.name for d in gate.select("2026-13-45 10:00:01 ok")}

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("phone=%2B1%20650%20253%200000", id="url-encoded"),
            pytest.param("to 0044%2020%207946%200958", id="url-encoded-spaces"),
        ],
    )
    def test_url_encoded_separators_join_digits_in_a_skeleton(self, gate, text):
        """ "%20" and "%2B" read "%00" and "%0B" in a skeleton and still join digit groups."""
        assert "phone" in {d.name for d in gate.select(text)}

    def test_literals_with_digits_wake_their_detector_after_a_look_alike(self, gate):
        gate.select("hash sha999=abc")

        assert "signatures" in {d.name for d in gate.select("hash sha256=abc")}

    @given(first=samples(), second=samples(), glue=noise)
    def test_a_shared_gate_never_drops_a_finding(self, gate, first, second, glue):
        for text in (first.text + glue, second.text + glue, glue + first.text):
            selected = {d.name for d in gate.select(text)}

            assert _everything_found(gate._detectors, text) <= selected


_DIGIT_TOKENS = st.one_of(
    st.sampled_from(["tel ", "ssn ", "SSN: ", "call ", "+", "+ ", "(", ") ", " ", "-", ".", "%2B", "%20", "t=", "id"]),
    st.text(alphabet="0123456789", min_size=1, max_size=12),
)


@given(tokens=st.lists(_DIGIT_TOKENS, max_size=12))
def test_digit_runs_never_lose_a_finding(tokens):
    """Numbers, separators, prefixes and context words: the gate never skips a digit detector that finds something."""
    redactor = Redactor()
    text = "".join(tokens)
    selected = {d.name for d in redactor._gate.select(text)}

    assert _everything_found(redactor.detectors, text) <= selected


@given(
    prefix=st.sampled_from(["0000-00-00 00:00:", "0000-00-00T00:00:", "0000-00-00 00:0", ""]),
    rest=st.lists(_DIGIT_TOKENS, max_size=12).map("".join).map(zero_digits),
)
def test_shape_starts_after_a_leading_timestamp_are_those_of_the_whole_search(prefix, rest):
    """The starts remembered for a leading timestamp are the ones the search finds there."""
    zeroed = prefix + rest
    pattern = _gate._SHAPE_START if "%" in zeroed else _gate._SHAPE_START_PLAIN
    every = tuple(match.start() for match in pattern.finditer(zeroed))
    starts = _gate._shape_starts(zeroed)

    if starts is None:
        assert len(every) > _gate._MAX_STARTS
    elif starts:
        assert starts == every


# Context words and their near misses, hex words (ids, hashes, UUIDs), digits and separators.
_CONTEXT_NEAR_MISSES = [
    "Phone", "whats app", "phone_id", "call-duration", "phoneNumber", "ssn", "SSN", "soc", "ss", "s", "hotel",
    "iPhone", "callback", "excellent", "_", "-", ".", " ", "%", "id", "ids", "time", "ms",
]  # fmt: skip
_CONTEXT_TOKENS = st.one_of(
    st.sampled_from([*CONTEXT_WORDS, *_CONTEXT_NEAR_MISSES]),
    st.text(alphabet="0123456789abcdef", min_size=1, max_size=10),
    st.text(alphabet="0123456789", min_size=1, max_size=8),
)


@given(tokens=st.lists(_CONTEXT_TOKENS, max_size=14))
def test_context_words_are_the_same_in_a_skeleton(tokens):
    """Digits written as 0 and hex words collapsed change no context word: the gate may remember them per skeleton."""
    text = "".join(tokens)
    key = hex_words_collapsed(skeleton(text))

    assert _gate._contexts(decode(key).lower()) == _gate._contexts(text.lower())


class TestContextMemo:
    """Context words for digit shapes remembered per skeleton of clean texts."""

    @pytest.mark.parametrize("size", ["23507", "2350"])
    def test_access_log_lines_stay_clean_and_a_context_word_still_wakes(self, size):
        """Lines of one access log skip the digit detectors; one with "call" in it does not."""
        gate = Redactor()._gate
        line = '10.0.3.7 - - [24/Nov/2026:10:00:01 +0000] "GET /app.{}.js HTTP/1.1" 200 {} "-" "{}"'
        for asset in ("3fa2b9c1", "77e0d1aa", "0b1c2d3e"):
            assert not {"phone", "us_ssn"} & {d.name for d in gate.select(line.format(asset, size, "curl"))}

        assert "phone" in {d.name for d in gate.select(line.format("5d4c3b2a", size, "call"))}


def _all_triggers() -> dict[str, int]:
    """Every trigger literal of the default detectors, digits written as "0" as the gate matches them, and its bits."""
    literals: dict[str, int] = {}
    for index, detector in enumerate(Redactor().detectors):
        for trigger in detector.triggers or ():
            if trigger and trigger != DIGITS:
                key = zero_digits(trigger)
                literals[key] = literals.get(key, 0) | 1 << index
    return literals


_TRIGGERS = _all_triggers()
# Pieces of the triggers and the characters around them in logs, so that
# generated texts hold whole literals, near misses and their anchors.
_TRIGGER_PIECES = sorted({*_TRIGGERS, *(t[:-1] for t in _TRIGGERS if len(t) > 1), *(t[1:] for t in _TRIGGERS)} - {""})


class TestLiteralBits:
    """The literal search gives exactly the bits of the literals that occur, whatever the text."""

    @staticmethod
    def expected(text: str, literals: dict[str, int]) -> int:
        bits = 0
        for literal, literal_bits in literals.items():
            if literal in text:
                bits |= literal_bits
        return bits

    @given(
        pieces=st.lists(
            st.sampled_from(_TRIGGER_PIECES) | st.text(alphabet="a0 -_:=,.@/Ké€\u0301", max_size=4), max_size=16
        )
    )
    def test_default_triggers(self, pieces):
        text = "".join(pieces)
        found = _Literals(_TRIGGERS).bits(text)

        assert found == self.expected(text, _TRIGGERS)

    @given(text=st.text(max_size=40))
    def test_non_ascii_and_single_character_literals(self, text):
        literals = {"€": 1, "é": 2, "=": 4, "=>": 8, "ab": 16, "a€": 32, "K_x": 64, "\\": 128}

        assert _Literals(literals).bits(text) == self.expected(text, literals)


class TestMemoHoldsNoSecret:
    """The gate remembers skeletons of texts that woke no detector only."""

    def test_a_text_with_a_secret_is_not_remembered(self):
        redactor = Redactor()
        address = "alice.example@example.com"

        redactor.redact(f"user={address} status=ok")
        redactor.redact("job=sync-1 status=ok")

        remembered = b"".join(redactor._gate._static)
        assert address.encode() not in remembered
        assert b"job=sync-0 status=ok" in remembered

    def test_a_text_with_a_secret_is_remembered_by_hash_only(self):
        redactor = Redactor()
        address = "alice.example@example.com"
        text = f"user={address} status=ok"

        first = redactor._gate.select(text)

        assert redactor._gate.select(text) == first
        assert redactor.redact(text) == "user=[REDACTED:email] status=ok"
        assert all(type(h) is int and type(n) is int for h, n in redactor._gate._woken)

    def test_an_address_used_as_a_key_is_not_remembered(self):
        detector = KeyValueDetector()

        detector.might_match("{'alice.example@example.com': 3}")

        assert not any("@" in "".join(key) for key in detector._clean_keys)


class TestKeyValueCheck:
    """The key/value detector's own check: a sensitive key right before a separator."""

    @pytest.fixture(name="detector")
    def fixture_detector(self) -> KeyValueDetector:
        return KeyValueDetector()

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("password=x", id="bare"),
            pytest.param("login ok user_password = x", id="spaces-and-compound-key"),
            pytest.param('{"api_key": "x"}', id="json"),
            pytest.param('{"my password data": "x"}', id="quoted-key-with-spaces"),
            pytest.param('"msg": "{\\"token\\": \\"x\\"}"', id="escaped-json"),
            pytest.param("{'Authorization': 'x'}", id="python-repr"),
            pytest.param("X-Api-Key: x", id="header"),
            pytest.param("$password => 'x'", id="fat-arrow"),
            pytest.param('"' + "a" * 70 + ' token=x": 1', id="pair-inside-a-long-quoted-key"),
            pytest.param("xAccessToken=x", id="camel-case"),
        ],
    )
    def test_sensitive_keys_pass(self, detector, text):
        assert detector.might_match(text)

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("job=sync-1 status=ok duration_ms=12 queue=default", id="logfmt"),
            pytest.param('{"level": "info", "event": "request.finished", "status": 200}', id="json"),
            pytest.param("token expired for user 42", id="probe-without-separator"),
        ],
    )
    def test_clean_keys_fail(self, detector, text):
        assert not detector.might_match(text)

    def test_clean_keys_are_remembered_without_changing_answers(self, detector):
        text = "job=sync-1 status=ok"

        assert [detector.might_match(text) for _ in range(3)] == [False] * 3
        assert detector.might_match(text + " password=x")


@pytest.mark.parametrize(
    ("text", "wakes"),
    [
        pytest.param("Authorization: Bearer abc.def-123", True, id="bearer-header"),
        pytest.param("Authorization: token\tabc.def-123", True, id="token-scheme-and-tab"),
        pytest.param("auth=Basic dXNlcjpwYXNz", True, id="basic-after-equals"),
        pytest.param("job=sync token=abc.def-123 ok", False, id="token-key"),
        pytest.param("csrf_token: abc.def-123", False, id="token-in-a-key-name"),
        pytest.param("basic_auth=on digest=sha256", False, id="scheme-words-in-pairs"),
    ],
)
def test_the_authorization_detector_needs_a_scheme_and_a_blank(gate, text, wakes):
    """Its pattern takes a scheme only before a blank: "token=..." lines never reach it."""
    assert ("authorization" in {d.name for d in gate.select(text)}) is wakes


_PROSE = "nightly export finished for every tenant in the west region "


def _hex_word(length: int) -> str:
    """Random hex characters with no two digits in a row, so they hold no digit shape of their own."""
    return "".join(secrets.choice("0123456789") + secrets.choice("abcdef") for _ in range(length // 2))


def _hex_id() -> str:
    """A random UUID-shaped hex word (see _hex_word)."""
    text = _hex_word(32)
    return "-".join((text[:8], text[8:12], text[12:16], text[16:20], text[20:]))


_HEX = _hex_word(64)


class TestQuietSkeletons:
    """Long texts without "=", ":", "," or "@" are looked up by skeleton before their literals are searched."""

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            pytest.param(
                *(_PROSE + f"token dop_v{version}_" + _HEX for version in (2, 1)),
                id="literal-with-a-digit",
            ),
            pytest.param(_PROSE + "on 2026-11-24 at noon", _PROSE + "on 2026-13-45 at noon", id="digits"),
            pytest.param(
                _PROSE + f"request {_hex_id()} on 2026-11-24 at noon",
                _PROSE + f"request {_hex_id()} on 2026-13-45 at noon",
                id="hex-words-and-digits",
            ),
        ],
    )
    def test_a_remembered_skeleton_never_hides_what_its_digits_make(self, first, second):
        """Two texts with one skeleton: the first is clean, the second holds a literal or a shape of its own."""
        gate = Gate(Redactor().detectors)

        assert (gate.might_match(first), gate.might_match(first)) == (False, False)
        assert gate.might_match(second)

    def test_a_skeleton_that_may_hold_a_literal_is_not_remembered(self):
        gate = Gate(Redactor().detectors)

        gate.might_match(_PROSE + "token dop_v2_" + secrets.token_hex(32))

        assert gate._quiet == {}

    def test_the_search_still_runs_on_a_new_skeleton(self):
        token = "ghp_" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(36))

        assert Redactor().redact(_PROSE + "with " + token) == _PROSE + "with [REDACTED:api_key]"

    @given(sample=samples(), before=noise, after=noise)
    def test_a_shared_gate_never_drops_a_finding(self, gate, sample, before, after):
        for text in (_PROSE + before + sample.text + after, _PROSE + after + before):
            if gate.might_match(text):
                continue

            assert _everything_found(gate._detectors, text) == set()
