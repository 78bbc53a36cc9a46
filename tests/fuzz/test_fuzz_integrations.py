"""Fuzz targets for the logging filter, the structlog processor and the request summarizer.

Same invariants as the engine targets: never raise, never drop a record,
leak no generated secret placed between separators. Run longer with::

    HYPOTHESIS_PROFILE=long FUZZ_EXAMPLES=100000 .venv/bin/pytest tests/fuzz -x
"""

from __future__ import annotations

import io
import json
import logging
import os

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from redactlog import RedactingFilter, RedactingProcessor, Redactor
from redactlog._http.summary import RequestLogSettings, summarize_request
from tests.strategies import nested_values, noise, plain_separators, sample_in_context, samples

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
REDACTOR = Redactor()

TRIGGERS = "@%=:,-_./+\\\"'<>[]{}()#&;|~ \t\n0123456789"
any_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(TRIGGERS), max_size=300),
    st.lists(st.one_of(noise, samples().map(lambda s: s.text)), max_size=8).map(" ".join),
)
# Format strings with stray and mismatched % directives, the classic logging crash.
templates = st.lists(
    st.one_of(noise, st.sampled_from(["%s", "%d", "%r", "%(key)s", "%", "%%", "%5.2f"])), max_size=6
).map(
    "".join,
)
arguments = st.one_of(
    st.tuples(),
    st.lists(st.one_of(any_text, st.integers(), st.floats(), st.none(), nested_values()), max_size=4).map(tuple),
    st.dictionaries(st.sampled_from(["key", "password", "user"]), any_text, max_size=3),
)
extras = st.dictionaries(
    st.one_of(
        st.sampled_from(["token", "password", "user", "payload", "headers", "ssn"]), st.from_regex(r"[a-z]{3,8}")
    ),
    nested_values(),
    max_size=4,
).filter(lambda d: not set(d) & set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) - {"msg", "args"})


def text_of(value: object) -> str:
    """Return everything *value* holds as one text (JSON where possible, repr otherwise)."""
    try:
        return json.dumps(value, default=repr, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def record(msg: object, args: object, extra: dict[str, object]) -> logging.LogRecord:
    """Build a record as ``logger.info(msg, *args, extra=extra)`` would."""
    # Logger._log passes a single mapping argument as a one-tuple; LogRecord unwraps it.
    packed = (args,) if isinstance(args, dict) else args
    made = logging.LogRecord("fuzz", logging.INFO, __file__, 1, msg, packed, None)  # type: ignore[arg-type]
    for key, value in extra.items():
        setattr(made, key, value)
    return made


class TestFuzzLoggingFilter:
    """RedactingFilter on records with fuzzed messages, arguments and extras."""

    @settings(max_examples=EXAMPLES)
    @given(msg=st.one_of(templates, any_text), args=arguments, extra=extras)
    def test_filter_never_raises_and_keeps_the_record(self, msg, args, extra):
        """filter() returns True, and a record that formatted before redaction still formats after it."""
        item = record(msg, args, extra)
        try:
            item.getMessage()
        except (TypeError, ValueError, KeyError):
            formats = False  # the caller's own bug: logging reports it (handleError) and drops the line
        else:
            formats = True
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(RedactingFilter(REDACTOR))

        assert RedactingFilter(REDACTOR).filter(item) is True
        if formats:
            handler.handle(item)

            assert stream.getvalue().endswith("\n")

    @settings(max_examples=EXAMPLES)
    @given(data=st.data(), msg=templates, place=st.sampled_from(["msg", "arg", "extra", "nested"]))
    def test_secret_in_any_part_of_a_record_is_masked(self, data, msg, place):
        """A secret in the message, an argument, an extra or a nested extra never reaches the output."""
        text, sample = data.draw(sample_in_context(seps=plain_separators))
        assume(sample.secret not in msg)
        if place == "msg":
            item = record(msg.replace("%", "%%") + " " + text.replace("%", "%%"), (), {})
        elif place == "arg":
            item = record("value %s", (text,), {})
        elif place == "extra":
            item = record("event", (), {"detail": text})
        else:
            item = record("event", (), {"payload": {"items": [text], "meta": (1, text)}})
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(RedactingFilter(REDACTOR))
        handler.handle(item)

        assert sample.secret not in stream.getvalue()
        assert sample.secret not in text_of({k: v for k, v in vars(item).items() if k not in {"exc_info"}})


class TestFuzzStructlogProcessor:
    """RedactingProcessor on fuzzed event dicts."""

    @settings(max_examples=EXAMPLES)
    @given(event=any_text, fields=extras, data=st.data())
    def test_processor_never_raises_and_masks(self, event, fields, data):
        """The processor returns a mapping for any event dict and leaks no secret in it."""
        text, sample = data.draw(sample_in_context(seps=plain_separators))
        assume(sample.secret not in text_of(fields) and sample.secret not in event)
        event_dict = {"event": event, **fields, "detail": text, "nested": {"list": [text]}}

        out = RedactingProcessor(REDACTOR)(None, "info", event_dict)

        assert isinstance(out, dict)
        assert sample.secret not in text_of(out)


class TestFuzzRequestSummary:
    """summarize_request on fuzzed requests."""

    @settings(max_examples=EXAMPLES)
    @given(
        method=st.one_of(st.sampled_from(["GET", "POST", "PUT"]), st.text(max_size=40)),
        path=any_text,
        query=st.one_of(st.binary(max_size=300), any_text),
        headers=st.lists(
            st.tuples(st.one_of(st.sampled_from(["Content-Type", "Authorization", "Cookie"]), noise), any_text)
        ),
        body=st.one_of(st.binary(max_size=600), any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
        content_type=st.sampled_from(
            ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=b"],
        ),
        complete=st.booleans(),
        cap=st.integers(0, 700),
    )
    def test_never_raises(self, method, path, query, headers, body, content_type, complete, cap):  # noqa: PLR0913, PLR0917
        """summarize_request returns JSON-serialisable fields for any request."""
        fields = summarize_request(
            REDACTOR,
            RequestLogSettings(body_cap=cap),
            method=method,
            path=path,
            query_string=query,
            headers=[("Content-Type", content_type), *headers],
            body=body,
            body_complete=complete,
        )

        assert {"method", "path", "headers"} <= set(fields)
        json.dumps(fields, default=str)

    @settings(max_examples=EXAMPLES)
    @given(data=st.data(), place=st.sampled_from(["path", "query", "json", "form", "text", "header"]))
    def test_secret_in_any_part_of_a_request_is_masked(self, data, place):
        """A secret in the path, query, body or an allow-listed header never reaches the summary."""
        text, sample = data.draw(sample_in_context(seps=plain_separators))
        path, query, headers, body = "/hook", b"", [("Content-Type", "text/plain")], b""
        if place == "path":
            path = "/users/" + text
        elif place == "query":
            query = b"q=" + text.encode().replace(b"&", b"%26").replace(b" ", b"+")
        elif place == "json":
            headers = [("Content-Type", "application/json")]
            body = json.dumps({"note": text, "list": [text]}).encode()
        elif place == "form":
            headers = [("Content-Type", "application/x-www-form-urlencoded")]
            body = b"note=" + text.encode().replace(b"&", b"%26")
        elif place == "text":
            body = text.encode()
        else:
            headers = [("Content-Type", "text/plain"), ("User-Agent", text.replace("\n", " "))]
        fields = summarize_request(
            REDACTOR,
            RequestLogSettings(header_allowlist=frozenset({"content-type", "user-agent"})),
            method="POST",
            path=path,
            query_string=query,
            headers=headers,
            body=body,
            body_complete=True,
        )

        assert sample.secret not in text_of(fields)
