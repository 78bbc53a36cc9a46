"""Fuzz targets for ``Redactor.redact``, ``scan``, ``redact_with_findings`` and ``redact_value``.

The targets are Hypothesis tests: they never raise, always return the right
type, terminate, and leak no generated secret placed between separators.

CI runs them briefly with the suite (``FUZZ_EXAMPLES`` defaults to 50 per
target, derandomized by the ``ci`` profile). For a real fuzzing session::

    HYPOTHESIS_PROFILE=long FUZZ_EXAMPLES=100000 .venv/bin/pytest tests/fuzz -x

Failures are saved in ``.hypothesis/`` and replayed first on the next run.
"""

from __future__ import annotations

import os

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from redactlog import Finding, Redactor
from tests.strategies import (
    MASKS,
    masks,
    nested_values,
    noise,
    plain_separators,
    sample_in_context,
    samples,
    strings_in,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
REDACTORS = {name: Redactor(mask=mask) for name, mask in MASKS.items()}

# Anything a log line can hold: every Unicode category (surrogates, controls, format
# characters), and the characters the detectors key on, much more often than chance.
TRIGGERS = "@%=:,-_./+\\\"'<>[]{}()#&;|~ \t\n0123456789eyJ"
any_text = st.one_of(
    st.text(max_size=500),
    st.text(alphabet=st.sampled_from(TRIGGERS), max_size=500),
    st.text(alphabet=st.characters(), max_size=200),
    st.lists(st.one_of(noise, samples().map(lambda s: s.text), st.sampled_from(list(TRIGGERS))), max_size=20).map(
        "".join,
    ),
)


class TestFuzzRedact:
    """redact(), scan() and redact_with_findings() on arbitrary text."""

    @settings(max_examples=EXAMPLES)
    @given(text=any_text, mask_name=masks())
    def test_never_raises_and_agrees(self, text, mask_name):
        """The three text entry points never raise, agree with each other and report sane findings."""
        redactor = REDACTORS[mask_name]

        out = redactor.redact(text)
        with_findings, findings = redactor.redact_with_findings(text)
        scanned = redactor.scan(text)

        assert isinstance(out, str)
        assert out == with_findings
        assert scanned == findings
        assert all(isinstance(f, Finding) and 0 <= f.start < f.end <= len(text) for f in findings)
        assert redactor.failures == 0

    @settings(max_examples=EXAMPLES)
    @given(data=st.data(), left=any_text, right=any_text, mask_name=masks())
    def test_secret_between_fuzzed_text_is_masked(self, data, left, right, mask_name):
        """A secret between separators is masked whatever fuzzed text surrounds it."""
        text, sample = data.draw(sample_in_context(seps=plain_separators))
        line = left + "\n" + text + "\n" + right
        assume(line.count(sample.secret) == 1)

        assert sample.secret not in REDACTORS[mask_name].redact(line)

    @settings(max_examples=EXAMPLES)
    @given(value=st.one_of(st.integers(), st.floats(), st.binary(), st.none(), st.booleans(), st.complex_numbers()))
    def test_non_text_input(self, value):
        """redact() of a non-str value returns a str and never raises."""
        assert isinstance(REDACTORS["label"].redact(value), str)


class TestFuzzRedactValue:
    """redact_value() on arbitrary nested values."""

    @settings(max_examples=EXAMPLES)
    @given(value=nested_values(st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), any_text, st.binary())))
    def test_never_raises(self, value):
        """redact_value() returns for any nested value and counts no failure."""
        redactor = REDACTORS["label"]

        redactor.redact_value(value)

        assert redactor.failures == 0

    @settings(max_examples=EXAMPLES)
    @given(value=nested_values(), data=st.data())
    def test_secret_inside_fuzzed_value_is_masked(self, value, data):
        """A secret among fuzzed values is masked wherever it sits."""
        text, sample = data.draw(sample_in_context(seps=plain_separators))
        assume(all(sample.secret not in s for s in strings_in(value)))

        out = REDACTORS["label"].redact_value([value, {"msg": text}, (text,), text.encode()])

        assert all(sample.secret not in s for s in strings_in(out))
