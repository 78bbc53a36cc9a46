"""Tests for redactlog.detectors._digits: the shared digit-run helpers."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactlog.detectors import _digits
from redactlog.detectors._digits import PHONE_CONTEXT, DigitRuns, has_phone_context, names_a_phone
from tests.strategies import CONTEXT_WORDS

# The context stems, their suffixes and near misses.
_WORDS = st.sampled_from(
    [*CONTEXT_WORDS, "tele", "app", " ", "ed", "ing", "_num", "ber", "no", "s", "x", "ho", "iphone"]
)


@given(text=st.lists(_WORDS, max_size=12).map("".join))
def test_stem_prefilter_agrees_with_the_pattern(text: str) -> None:
    """The substring prefilter never rejects a text the context pattern matches."""
    assert has_phone_context(text) == (PHONE_CONTEXT.search(text) is not None)


@given(text=st.text(alphabet="0123456789 .()/+-x:", max_size=60))
def test_unrolled_run_pattern_finds_the_same_runs(text: str) -> None:
    """Without a "%", the unrolled digit-run pattern finds exactly the runs of the general one."""
    general = [match.span() for match in _digits._RUN.finditer(text)]
    assert [match.span() for match in _digits._RUN_PLAIN.finditer(text)] == general


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me at", True),
        ("whatsapp", True),
        ("telephone", True),
        ("excellent callback", False),
        ("get /static/app.js http/1.1 200 68636", False),
    ],
)
def test_phone_context(text: str, expected: bool) -> None:
    """A stem followed by another letter is not context (the phone detector checks the start of the word)."""
    assert has_phone_context(text) is expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("phone", True),
        ("mobile_number", True),
        ("phoneNumber", True),
        ("smsTo", True),
        ("contactPhone", True),
        ("msisdn", True),
        ("X-Phone", True),
        ("phone_verified", False),
        ("phone_2", True),
        ("sms_timestamp", False),
        ("mobile_users", False),
        ("callerId", False),
        ("call_id", False),
        ("iphone_model", False),
        ("order", False),
        ("telemetry", False),
    ],
)
def test_names_a_phone(key: str, expected: bool) -> None:
    """A field name is phone context when, split at case changes and separators, it holds a context word."""
    assert names_a_phone(key) is expected


def _uk_number() -> str:
    """A London number built at run time (the 020 7946 0xxx range is reserved for drama)."""
    return f"+44 20 7946 0{random.randrange(1000):03d}"


def test_runs_are_remembered_without_the_text() -> None:
    """The shared scan keeps the runs of the last text, never the text (it may hold the number)."""
    runs = DigitRuns()
    text = f"call {_uk_number()} today"

    windows = runs.windows(text)

    assert windows == [(0, len(text))]
    assert not any(isinstance(part, str) for part in runs._last)  # private: what the memo holds


def test_an_equal_text_reuses_the_runs_and_another_is_scanned() -> None:
    """Texts equal in content share the scan (slices of a long text are new objects); others do not."""
    runs = DigitRuns()
    number = _uk_number()
    first = f"call {number} today"
    same = "".join(["call ", number, " today"])  # equal, not identical
    other = "x" * len(first)

    assert runs.windows(first) == runs.windows(same) == [(0, len(first))]
    assert runs.windows(other) == []


@pytest.mark.parametrize(
    ("text", "windows"),
    [
        pytest.param("2026-11-24 10:00:01,123 worker idle", [], id="leading-date-and-hour"),
        pytest.param('{"ts": "2026-11-24T10:00:16.123Z"}', [], id="quoted-iso-date"),
        pytest.param("at=2026-11-24T10:00:16Z", [], id="date-after-a-separator"),
        pytest.param("+2026-11-24T10:00:16Z", [(0, 19)], id="a-plus-may-start-a-number"),
        pytest.param("(2026-11-24 10:00", [(0, 17)], id="a-parenthesis-may-start-a-number"),
        pytest.param("2026-11-24 100:00", [(0, 17)], id="not-an-hour"),
        pytest.param("2026-11-24 10 5551234:00", [(0, 24)], id="a-number-in-the-same-run"),
        pytest.param("2026-21-24T10:00", [(0, 16)], id="not-a-month"),
    ],
)
def test_timestamp_dates_open_no_window(text: str, windows: list[tuple[int, int]]) -> None:
    """The date (and hour) of an ISO timestamp, a whole digit run, is no number; a run that may be one still is."""
    assert DigitRuns().windows(text) == windows
