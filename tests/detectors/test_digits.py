"""Tests for redactlog.detectors._digits: the shared digit-run helpers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactlog.detectors._digits import PHONE_CONTEXT, has_phone_context

_WORDS = st.sampled_from(
    [
        "tele",
        "phone",
        "tel",
        "mobile",
        "cell",
        "sms",
        "call",
        "fax",
        "whats",
        "app",
        " ",
        "contact",
        "msisdn",
        "dial",
        "ed",
        "ing",
        "_num",
        "ber",
        "no",
        "s",
        "x",
        "ho",
        "iphone",
    ]
)


@given(text=st.lists(_WORDS, max_size=12).map("".join))
def test_stem_prefilter_agrees_with_the_pattern(text: str) -> None:
    """The substring prefilter never rejects a text the context pattern matches."""
    assert has_phone_context(text) == (PHONE_CONTEXT.search(text) is not None)


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
