"""Tests for the stdlib logging integration: RedactingFilter, RedactingFormatter and install().

Every test logs through real handlers (StreamHandler to a buffer, FileHandler,
QueueHandler and QueueListener, python-json-logger) and inspects what they
wrote.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import json
import logging
import logging.config
import logging.handlers
import queue
import random
import re
import runpy
import string
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pythonjsonlogger.json import JsonFormatter

import redactlog
from redactlog import (
    ConfigurationError,
    Limits,
    RedactingFilter,
    RedactingFormatter,
    Redactor,
    install,
)
from tests.logging_helpers import (
    PLAIN_FORMAT,
    Secrets,
    assert_clean,
    buffer_handler,
    fixture_isolated_logger,  # noqa: F401 - a fixture
    fixture_secrets,  # noqa: F401 - a fixture
    luhn_card_number,
    make_logger,
    make_secrets,
)
from tests.strategies import Sample, clean_words, noise, plain_separators, sample_in_context

KINDS = [
    "email",
    "phone",
    "us_ssn",
    "github_token",
    "aws_access_key_id",
    "jwt",
    "webhook_signature",
    "stripe_signature",
]
DOCS = Path(__file__).resolve().parent.parent / "docs" / "logging.md"


def json_formatter() -> JsonFormatter:
    return JsonFormatter("%(levelname)s %(name)s %(message)s", json_default=str)


def guarded(logger: logging.Logger, *formatters: logging.Formatter) -> list[io.StringIO]:
    """Attach one filtered buffer handler per formatter; return the buffers."""
    buffers = []
    redacting = RedactingFilter()
    for formatter in formatters or (logging.Formatter(PLAIN_FORMAT), json_formatter()):
        handler, buffer = buffer_handler(formatter)
        handler.addFilter(redacting)
        logger.addHandler(handler)
        buffers.append(buffer)
    return buffers


def output_of(buffers: list[io.StringIO]) -> str:
    return "\n".join(buffer.getvalue() for buffer in buffers)


def raise_with(secret: str) -> None:
    msg = f"could not parse {secret} in request"
    raise ValueError(msg)


# Each places a secret somewhere a log call can carry one.
def in_msg(logger: logging.Logger, secret: str) -> None:
    logger.warning(f"payload {secret} end")


def in_args(logger: logging.Logger, secret: str) -> None:
    logger.warning("payload %s end", secret)


def in_dict_args(logger: logging.Logger, secret: str) -> None:
    logger.warning("payload %(value)s end", {"value": secret})


def in_object_arg(logger: logging.Logger, secret: str) -> None:
    logger.warning("payload %s end", {"items": [secret]})


def in_extra(logger: logging.Logger, secret: str) -> None:
    logger.warning("payload", extra={"detail": secret})


def in_nested_extra(logger: logging.Logger, secret: str) -> None:
    logger.warning("payload", extra={"request": {"headers": [("X-Trace", secret)], "body": {"items": [secret]}}})


def in_exception(logger: logging.Logger, secret: str) -> None:
    try:
        raise_with(secret)
    except ValueError:
        logger.exception("failed")


def in_chained_exception(logger: logging.Logger, secret: str) -> None:
    try:
        try:
            raise_with(secret)
        except ValueError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError:
        logger.error("failed", exc_info=True)


def in_exception_message(logger: logging.Logger, secret: str) -> None:
    logger.error(KeyError(secret))


def in_stack_info(logger: logging.Logger, secret: str) -> None:
    stack = f'Stack (most recent call last):\n  File "app.py", line 3, in handler\n    charge({secret!r})'
    logger.handle(logger.makeRecord(logger.name, logging.WARNING, "app.py", 3, "charging", (), None, sinfo=stack))


def in_adapter(logger: logging.Logger, secret: str) -> None:
    logging.LoggerAdapter(logger, {"customer": secret}).warning("adapted")


def in_dict_msg(logger: logging.Logger, secret: str) -> None:
    logger.warning({"event": "payload", "customer": {"contact": secret}})


LOCATIONS = [
    in_msg,
    in_args,
    in_dict_args,
    in_object_arg,
    in_extra,
    in_nested_extra,
    in_exception,
    in_chained_exception,
    in_exception_message,
    in_stack_info,
    in_adapter,
    in_dict_msg,
]


class TestSecretsNeverReachOutput:
    @pytest.mark.parametrize("place", LOCATIONS, ids=lambda f: f.__name__)
    @pytest.mark.parametrize("kind", KINDS)
    def test_text_and_json_handlers(self, isolated_logger, secrets, kind, place):
        """A secret of any kind, wherever a log call carries it, reaches neither a text nor a JSON handler."""
        buffers = guarded(isolated_logger)

        place(isolated_logger, secrets[kind])

        output = output_of(buffers)
        assert "[REDACTED" in output
        assert_clean(output, secrets)

    @pytest.mark.parametrize("place", LOCATIONS, ids=lambda f: f.__name__)
    def test_record_itself_is_redacted(self, isolated_logger, secrets, place):
        """After the filter, no attribute of the record holds the secret, for later handlers too."""
        seen: list[logging.LogRecord] = []
        guarded(isolated_logger)
        isolated_logger.addHandler(RecordingHandler(seen))

        place(isolated_logger, secrets["email"])

        (record,) = seen
        assert_clean(repr(vars(record)), secrets)


@pytest.fixture(name="seen")
def fixture_seen(isolated_logger: logging.Logger) -> list[logging.LogRecord]:
    """The records that reach a recording handler with a RedactingFilter on *isolated_logger*."""
    seen: list[logging.LogRecord] = []
    handler = RecordingHandler(seen)
    handler.addFilter(RedactingFilter())
    isolated_logger.addHandler(handler)
    return seen


def filtered_after_an_unfiltered_handler(logger: logging.Logger) -> list[logging.LogRecord]:
    """Attach an unfiltered handler (which formats, and so caches record.message) and then a filtered one."""
    first, _ = buffer_handler()
    logger.addHandler(first)
    seen: list[logging.LogRecord] = []
    second = RecordingHandler(seen)
    second.addFilter(RedactingFilter())
    logger.addHandler(second)
    return seen


class RecordingHandler(logging.Handler):
    """A real handler that keeps the records it is given."""

    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class TestKeyAware:
    @pytest.mark.parametrize(
        "call",
        [
            pytest.param(lambda lg, pw: lg.info("login", extra={"password": pw}), id="extra-key"),
            pytest.param(lambda lg, pw: lg.info("login", extra={"request": {"Authorization": pw}}), id="nested-header"),
            pytest.param(lambda lg, pw: lg.info("login %(password)s", {"password": pw}), id="dict-args"),
            pytest.param(lambda lg, pw: lg.info("login %s", {"api_token": pw}), id="dict-in-args"),
            pytest.param(lambda lg, pw: lg.info(f"login password={pw}"), id="key-value-text"),
            pytest.param(lambda lg, pw: lg.info({"event": "login", "client_secret": pw}), id="dict-message"),
            pytest.param(lambda lg, pw: logging.LoggerAdapter(lg, {"session_id": pw}).info("login"), id="adapter"),
        ],
    )
    def test_values_under_sensitive_keys_are_masked(self, isolated_logger, secrets, call):
        """A value under a sensitive key is masked even though nothing about it looks secret."""
        buffers = guarded(isolated_logger)

        call(isolated_logger, secrets.password)

        output = output_of(buffers)
        assert secrets.password not in output
        assert "[REDACTED:secret]" in output


def emit_clean(logger: logging.Logger, case: str) -> None:
    """Log one clean record of the given shape, always from this line's function."""
    if case == "text":
        logger.info("user logged in from the office")
    elif case == "args":
        logger.info("user %s from %s took %d ms (%.1f%%)", "alice", "10.0.0.1", 42, 99.5)
    elif case == "dict-args":
        logger.info("user %(user)s at %(when)s", {"user": "alice", "when": "noon"})
    elif case == "extra":
        logger.info("done", extra={"request_id": "abc123", "attempt": 3, "tags": ["x", "y"], "meta": {"k": "v"}})
    elif case == "object-msg":
        logger.info(ValueError("plain failure"))
    elif case == "exception":
        try:
            raise_with("nothing sensitive")
        except ValueError:
            logger.exception("it failed")
    elif case == "stack":
        # pytest's own frames hold "session=session", which is a key=value
        # secret by its shape; a fresh thread's stack is only threading's.
        worker = threading.Thread(target=logger.info, args=("where am I",), kwargs={"stack_info": True})
        worker.start()
        worker.join()
    elif case == "adapter":
        logging.LoggerAdapter(logger, {"request_id": "r-1"}).info("adapted %s", "call")
    elif case == "percent":
        logger.info("100%% done, %s", "ok")


CLEAN_CASES = ["text", "args", "dict-args", "extra", "object-msg", "exception", "stack", "adapter", "percent"]


def render(case: str, formatter: logging.Formatter, *, redact: bool) -> str:
    logger = make_logger("redactlog-tests.byte-identical")
    handler, buffer = buffer_handler(formatter)
    if redact:
        handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    try:
        emit_clean(logger, case)
    finally:
        logger.removeHandler(handler)
    return buffer.getvalue()


class TestLikeRedactValue:
    def test_card_number_logged_as_an_integer(self, isolated_logger):
        """A long integer extra is checked as text, as Redactor.redact_value does."""
        card = luhn_card_number(random.Random())
        (buffer,) = guarded(isolated_logger, json_formatter())

        isolated_logger.info("charged", extra={"amount_cents": 1250, "reference": card})

        document = json.loads(buffer.getvalue())
        assert (document["amount_cents"], document["reference"]) == (1250, "[REDACTED:credit_card]")

    def test_card_number_logged_as_a_whole_float(self, isolated_logger):
        """A card number that became a float is masked; a unix time as a float is kept."""
        card = luhn_card_number(random.Random())
        (buffer,) = guarded(isolated_logger, json_formatter())

        isolated_logger.info("charged", extra={"at": 1733170000.25, "reference": float(card)})

        document = json.loads(buffer.getvalue())
        assert (document["at"], document["reference"]) == (1733170000.25, "[REDACTED:credit_card].0")

    def test_extra_named_after_a_phone_is_context(self, isolated_logger):
        """A bare number in ``extra={"phone": ...}`` is masked on every record (the name is never plain)."""
        (buffer,) = guarded(isolated_logger, json_formatter())

        for _ in range(2):
            isolated_logger.info("sms sent", extra={"phone": "4155552671", "order": "4155552671"})

        for line in buffer.getvalue().splitlines():
            document = json.loads(line)
            assert (document["phone"], document["order"]) == ("[REDACTED:phone]", "4155552671")

    def test_extra_named_after_data(self, isolated_logger, secrets):
        """An extra whose *name* is an e-mail address is renamed, since JSON formatters print names."""
        (buffer,) = guarded(isolated_logger, json_formatter())

        isolated_logger.info("scores", extra={secrets["email"]: 3, f"password_of_{secrets['email']}": "pw"})

        document = json.loads(buffer.getvalue())
        assert {k: v for k, v in document.items() if k.startswith("[")} == {
            "[REDACTED:email]": 3,
            "[REDACTED:email]#2": "[REDACTED:secret]",
        }
        assert_clean(buffer.getvalue(), secrets)

    def test_a_key_that_is_data_is_not_remembered(self, secrets):
        """The memo of key verdicts keeps names only, never an address used as a key."""
        redacting = RedactingFilter()
        record = logging.LogRecord("t", logging.INFO, __file__, 1, "scores", (), None)
        record.__dict__[secrets["email"]] = 3

        redacting.filter(record)

        assert not any(secrets["email"] in str(key) for key in redacting._scrubber._kinds)
        assert not any(secrets["email"] in str(key) for key in redacting.redactor.sensitive_keys._memo)

    def test_a_template_holding_a_secret_is_not_remembered(self, secrets):
        """An f-string template with an address in it is not kept by the template memo."""
        redacting = RedactingFilter()
        plain = logging.LogRecord("t", logging.INFO, __file__, 1, "user %s logged in", (secrets["email"],), None)
        fstring = logging.LogRecord("t", logging.INFO, __file__, 1, f"user {secrets['email']} did %s", ("login",), None)

        redacting.filter(plain)
        redacting.filter(fstring)

        assert list(redacting._scrubber._templates) == ["user %s logged in"]
        assert secrets["email"] not in fstring.getMessage()


class TestCleanRecordsUnchanged:
    @pytest.mark.parametrize("case", CLEAN_CASES)
    @pytest.mark.parametrize(
        "make_formatter",
        [
            pytest.param(lambda: logging.Formatter(PLAIN_FORMAT), id="text"),
            pytest.param(lambda: logging.Formatter("{levelname}|{message}|{args}", style="{"), id="brace-args"),
            pytest.param(lambda: JsonFormatter("%(levelname)s %(name)s %(message)s", json_default=str), id="json"),
        ],
    )
    def test_output_is_byte_identical(self, case, make_formatter):
        """A clean record produces exactly the output it produces without the filter."""
        bare = render(case, make_formatter(), redact=False)

        assert bare == render(case, make_formatter(), redact=True)

    def test_clean_record_attributes_are_untouched(self, isolated_logger, seen):
        """The filter leaves msg, args and exc_info of a clean record as they were."""
        args = ("alice", {"k": "v"})

        isolated_logger.info("user %s with %s", *args)

        (record,) = seen
        assert ("user %s with %s", args) == (record.msg, record.args)
        assert record.args[1] is args[1]


class TestRecordEditing:
    def test_args_keep_their_shape_when_masking_them_suffices(self, isolated_logger, seen, secrets):
        """Formatters that read record.args (uvicorn's access log) still get a tuple of the same length."""

        isolated_logger.info('%s - "%s %s" %d', "10.0.0.1", "GET", f"/hook?to={secrets['email']}", 200)

        (record,) = seen
        assert (record.msg, record.args) == ('%s - "%s %s" %d', ("10.0.0.1", "GET", "/hook?to=[REDACTED:email]", 200))

    def test_secret_named_by_the_template_is_masked_in_its_argument(self, isolated_logger, seen, secrets):
        """A value that is secret only because of the template ("password=%s") is masked; args keep their shape."""

        isolated_logger.info("login password=%s ok", secrets.password)

        (record,) = seen
        assert (record.msg, record.args) == ("login password=%s ok", ("[REDACTED:secret]",))
        assert record.getMessage() == "login password=[REDACTED:secret] ok"

    @pytest.mark.parametrize(
        ("template", "split"),
        [
            pytest.param("mail %s@example.com", lambda s: (s.split("@")[0],), id="template-and-argument"),
            pytest.param("mail %s%s", lambda s: (s[:4], s[4:]), id="two-arguments"),
            pytest.param("mail %r", lambda s: (s,), id="repr-conversion"),
        ],
    )
    def test_message_is_merged_when_a_finding_is_not_inside_one_argument(
        self, isolated_logger, seen, secrets, template, split
    ):
        """A secret spanning template text or two arguments is masked in the merged text, and args become ()."""
        args = split(secrets["email"])

        isolated_logger.info(template, *args)

        (record,) = seen
        expected = Redactor().redact(template % args)
        assert "[REDACTED:email]" in expected
        if template == "mail %r":  # masking the argument alone still gives the same text
            assert (record.msg, record.args) == (template, ("[REDACTED:email]",))
        else:
            assert (record.msg, record.args) == (expected, ())
        assert record.getMessage() == expected
        assert_clean(repr(vars(record)), secrets)

    def test_sensitive_traceback_drops_exc_info(self, isolated_logger, seen, secrets):
        """A traceback holding a secret leaves only the redacted exc_text, so nothing re-renders the exception."""

        in_exception(isolated_logger, secrets["email"])

        (record,) = seen
        assert record.exc_info is None
        assert record.exc_text.endswith("ValueError: could not parse [REDACTED:email] in request")

    def test_clean_traceback_keeps_exc_info(self, isolated_logger, seen):
        """A clean exception stays available to other handlers (Sentry, say)."""

        emit_clean(isolated_logger, "exception")

        (record,) = seen
        assert record.exc_info is not None
        assert record.exc_info[0] is ValueError

    def test_message_cached_by_an_earlier_formatter_is_redacted(self, isolated_logger, secrets):
        """record.message left by a handler that formatted first is an extra like any other."""
        seen = filtered_after_an_unfiltered_handler(isolated_logger)

        isolated_logger.info("contact %s", secrets["email"])

        (record,) = seen
        assert record.message == "contact [REDACTED:email]"

    def test_uvicorn_access_formatter_still_formats(self, isolated_logger, secrets):
        """uvicorn's AccessFormatter unpacks five args; a token in the path is masked and the line still renders."""
        from uvicorn.logging import AccessFormatter

        (buffer,) = guarded(isolated_logger, AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s'))

        isolated_logger.info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            f"/callback?access_token={secrets['github_token']}",
            "1.1",
            200,
        )

        assert '127.0.0.1:5000 - "GET /callback?access_token=[REDACTED' in buffer.getvalue()
        assert_clean(buffer.getvalue(), secrets)


# Literal text of plain %-templates ("%" only as "%%"), with a separator at
# both ends so that no secret is glued to its neighbours.
_literals = st.tuples(plain_separators, noise, plain_separators).map(lambda t: "".join(t).replace("%", "%%"))


@st.composite
def plain_records(draw: st.DrawFn) -> tuple[str, tuple[object, ...], Sample]:
    """A template of literals and %s/%d conversions, its arguments, and the sample one argument carries."""
    text, sample = draw(sample_in_context(seps=plain_separators))
    count = draw(st.integers(1, 4))
    secret_at = draw(st.integers(0, count - 1))
    conversions: list[str] = []
    args: list[object] = []
    for position in range(count):
        if position == secret_at:
            conversions.append("%s")
            args.append(draw(st.sampled_from([text, sample.text])))
        else:
            value = draw(st.one_of(clean_words, st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()))
            conversions.append("%d" if type(value) is int and draw(st.booleans()) else "%s")
            args.append(value)
    template = draw(_literals) + "".join(conversion + draw(_literals) for conversion in conversions)
    assume(sample.secret not in template)
    return template, tuple(args), sample


class TestArgumentsMaskedFromOneDetection:
    """The filter detects once in the merged message and masks the findings inside the arguments."""

    @given(case=plain_records())
    def test_message_is_exactly_whole_message_redaction(self, case):
        """Whatever the arguments hold, the record formats to Redactor.redact() of the merged message."""
        template, args, sample = case
        redactor = Redactor()
        item = logging.LogRecord("t", logging.INFO, __file__, 1, template, args, None)
        expected = redactor.redact(template % args)

        RedactingFilter(redactor).filter(item)

        assert item.getMessage() == expected
        assert sample.secret not in repr((item.msg, item.args))
        assert item.args == () or (item.msg, len(item.args)) == (template, len(args))

    def test_several_findings_with_a_mask_that_counts(self, secrets):
        """A mask need not give one placeholder twice: with several findings the message stays the whole-message one."""

        class Counting:
            def __init__(self) -> None:
                self.calls = 0

            def __call__(self, secret: str, kind: str, /) -> str:
                self.calls += 1
                return f"<X{self.calls}>"

            def placeholders(self, text: str, /) -> Iterator[tuple[int, int]]:
                return ((m.start(), m.end()) for m in re.finditer(r"<X\d+>", text))

        redactor = Redactor(mask=Counting())
        other = secrets["email"].replace("@", ".b@", 1)
        item = logging.LogRecord("t", logging.INFO, __file__, 1, "%s and %s", (secrets["email"], other), None)

        RedactingFilter(redactor).filter(item)

        message = item.getMessage()
        assert secrets["email"] not in message
        assert other not in message
        assert re.fullmatch(r"<X\d+> and <X\d+>", message)

    def test_message_longer_than_the_scanned_length_is_merged(self, secrets):
        """Past Limits.max_length nothing is scanned: the arguments are not trusted, the cut message is logged."""
        redactor = Redactor(limits=Limits(max_length=60))
        item = logging.LogRecord("t", logging.INFO, __file__, 1, "%s then %s", (secrets["email"], "x" * 100), None)

        RedactingFilter(redactor).filter(item)

        assert item.args == ()
        assert item.getMessage() == redactor.redact(f"{secrets['email']} then {'x' * 100}")
        assert item.getMessage().endswith("[REDACTED:oversize]")

    @pytest.mark.parametrize("kind", KINDS)
    def test_each_argument_keeps_its_place(self, isolated_logger, seen, secrets, kind):
        """Secrets in several arguments are each masked in place; clean arguments stay the very same objects."""
        args = ("alice", secrets[kind], 42, secrets["email"], None)

        isolated_logger.info("%s sent %s, %d times, to %s: %s", *args)

        (record,) = seen
        assert record.msg == "%s sent %s, %d times, to %s: %s"
        assert record.args[0] is args[0]
        assert record.args[2:5:2] == (42, None)
        assert "[REDACTED" in record.args[1]
        assert record.args[3] == "[REDACTED:email]"
        assert_clean(repr(vars(record)), secrets)

    def test_long_template(self, isolated_logger, seen, secrets):
        """A template too long to be remembered is parsed each time and works the same."""
        template = "padding " * 200 + "to %s and %s"

        for _ in range(2):
            isolated_logger.info(template, secrets["email"], "alice")

        assert [(record.msg, record.args) for record in seen] == [(template, ("[REDACTED:email]", "alice"))] * 2

    def test_number_formatted_with_d_is_merged(self, isolated_logger, seen):
        """A card number passed to %d cannot be masked and still fit %d: the message is merged."""
        card = luhn_card_number(random.Random())

        isolated_logger.info("card %d charged", card)

        (record,) = seen
        assert (record.msg, record.args) == ("card [REDACTED:credit_card] charged", ())


def guarded_by(way: str, logger: logging.Logger, *formatters: logging.Formatter) -> list[io.StringIO]:
    """:func:`guarded`, or with *way* ``"formatter"`` one handler per formatter wrapped in a RedactingFormatter."""
    if way == "filter":
        return guarded(logger, *formatters)
    buffers = []
    redactor = Redactor()
    for formatter in formatters:
        handler, buffer = buffer_handler(RedactingFormatter(formatter, redactor=redactor))
        logger.addHandler(handler)
        buffers.append(buffer)
    return buffers


@pytest.mark.parametrize("way", ["filter", "formatter"])
class TestKnownCleanRecords:
    """Records whose merged message was seen clean skip detection; nothing else does."""

    def test_same_template_with_a_secret_after_clean_calls(self, isolated_logger, secrets, way):
        """A remembered clean message says nothing about the same template with other arguments."""
        (buffer,) = guarded_by(way, isolated_logger, logging.Formatter("%(message)s"))

        for _ in range(3):
            isolated_logger.info("user %s from %s", "alice", "10.0.0.1")
            isolated_logger.info("user %s from %s", secrets["email"], "10.0.0.1")

        assert buffer.getvalue().count("user [REDACTED:email] from 10.0.0.1\n") == 3
        assert_clean(buffer.getvalue(), secrets)

    def test_equal_numbers_of_another_type_are_formatted_again(self, isolated_logger, way):
        """A float and an int compare equal but print differently: only str arguments skip formatting."""
        (buffer,) = guarded_by(way, isolated_logger, logging.Formatter("%(message)s"))
        card = int(luhn_card_number(random.Random()))

        for _ in range(2):
            isolated_logger.info("amount %s", float(card))
            isolated_logger.info("amount %s", card)

        assert buffer.getvalue().count("amount [REDACTED:credit_card]\n") == 2

    @pytest.mark.parametrize(
        "call",
        [
            pytest.param(lambda lg, s: lg.info("user %s", "alice", extra={"contact": s}), id="extra"),
            pytest.param(lambda lg, s: lg.info("user %s", "alice", stack_info=True, stacklevel=1), id="stack"),
            pytest.param(lambda lg, s: lg.info("user %s", {"contact": s}), id="dict-arg"),
            pytest.param(lambda lg, s: lg.info("user %s", "alice", exc_info=ValueError(s)), id="exception"),
        ],
    )
    def test_clean_message_with_something_else_is_still_redacted(self, isolated_logger, secrets, call, way):
        """A remembered message does not cover extras, stacks, exceptions or arguments that are not plain values."""
        buffers = guarded_by(way, isolated_logger, json_formatter())
        # Twice: the second time the call itself is remembered as clean.
        for _ in range(2):
            isolated_logger.info("user %s", "alice")

        call(isolated_logger, secrets["email"])

        assert_clean(output_of(buffers), secrets)


def test_secret_in_an_earlier_handlers_message_is_redacted(isolated_logger, secrets):
    """A message attribute cached by an unfiltered handler is not a remembered message (filters only)."""
    seen = filtered_after_an_unfiltered_handler(isolated_logger)

    for _ in range(2):
        isolated_logger.info("contact %s", "alice")
        isolated_logger.info("contact %s", secrets["email"])

    assert [record.message for record in seen] == ["contact alice", "contact [REDACTED:email]"] * 2


class TestTimestampExtras:
    def test_only_the_clocks_own_timestamp_passes_unscanned(self, isolated_logger):
        """An extra that is now in TimeStamper's ISO format is left alone; another day's date is scanned."""
        dates = redactlog.RegexDetector("iso_date", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", kind="date", triggers=("-",))
        handler, buffer = buffer_handler(json_formatter())
        handler.addFilter(RedactingFilter(Redactor(add=[dates])))
        isolated_logger.addHandler(handler)
        now = datetime.datetime.now(tz=datetime.UTC).isoformat().replace("+00:00", "Z")

        isolated_logger.info("tick", extra={"at": now, "born": "1990-01-02T03:04:05.000006Z"})

        document = json.loads(buffer.getvalue())
        assert (document["at"], document["born"]) == (now, "[REDACTED:date]T03:04:05.000006Z")


class TestCleanMemo:
    def test_repeated_values_are_redacted_every_time(self, isolated_logger, secrets):
        """Only clean strings are remembered: the same secret logged again is masked again."""
        (buffer,) = guarded(isolated_logger, json_formatter())

        for _ in range(3):
            isolated_logger.info(secrets["email"], extra={"contact": secrets["phone"], "note": "same"})

        assert buffer.getvalue().count("[REDACTED:phone]") == 3
        assert_clean(buffer.getvalue(), secrets)

    def test_memo_is_bounded(self, isolated_logger, secrets):
        """Many distinct clean values neither grow the memo without bound nor stop redaction."""
        redacting = RedactingFilter()
        handler, buffer = buffer_handler(logging.Formatter("%(message)s %(value)s"))
        handler.addFilter(redacting)
        isolated_logger.addHandler(handler)

        for number in range(5000):
            isolated_logger.info(f"step {number}", extra={"value": f"v{number}"})
        isolated_logger.info("last", extra={"value": secrets["jwt"]})

        assert len(redacting._scrubber.clean_texts) <= 4096
        assert buffer.getvalue().endswith("last [REDACTED:jwt]\n")


class TestIdempotence:
    def test_shared_record_through_several_filtered_handlers(self, isolated_logger, secrets):
        """Handlers sharing one record each print the same redacted line."""
        buffers = guarded(isolated_logger, *(logging.Formatter(PLAIN_FORMAT) for _ in range(3)))

        in_args(isolated_logger, secrets["jwt"])

        first, *others = (buffer.getvalue() for buffer in buffers)
        assert [first, first] == others
        assert_clean(first, secrets)

    @pytest.mark.parametrize("place", LOCATIONS, ids=lambda f: f.__name__)
    def test_filtering_twice_changes_nothing_more(self, secrets, place):
        """A second pass over a redacted record leaves every attribute as the first pass left it."""
        logger = make_logger("redactlog-tests.idempotence")
        seen: list[logging.LogRecord] = []
        handler = RecordingHandler(seen)
        logger.addHandler(handler)
        try:
            place(logger, secrets["phone"])
        finally:
            logger.removeHandler(handler)
        (record,) = seen
        redacting = RedactingFilter()
        redacting.filter(record)
        once = {k: v for k, v in vars(record).items() if k != "exc_info"}

        redacting.filter(record)

        assert once == {k: v for k, v in vars(record).items() if k != "exc_info"}

    def test_no_marker_attribute_is_added(self, isolated_logger, seen):
        """The filter adds no attribute, so JSON formatters print nothing new."""
        before = set(vars(isolated_logger.makeRecord("n", logging.INFO, "p", 1, "m", (), None)))

        isolated_logger.info("plain")

        assert before == set(vars(seen[0]))


class HostileStr:
    """An argument whose str() raises, as buggy user objects do."""

    def __str__(self) -> str:
        raise RuntimeError("no str for you")

    __repr__ = __str__


class BrokenExcInfo:
    """An exc_info value that cannot even be tested for truth, as a buggy filter might leave."""

    def __bool__(self) -> bool:
        raise TypeError("no truth value")


class TestNeverRaisesNeverDrops:
    def test_bad_format_arguments_are_reported_without_leaking(self, isolated_logger, secrets, capsys):
        """A %d given a string makes logging report the error as usual, but with redacted arguments."""
        (buffer,) = guarded(isolated_logger, logging.Formatter(PLAIN_FORMAT))

        isolated_logger.warning("%d items for %s", "many", secrets["email"])

        printed = capsys.readouterr().err
        assert "--- Logging error ---" in printed
        assert "[REDACTED:email]" in printed
        assert_clean(printed + buffer.getvalue(), secrets)

    def test_hostile_argument_is_masked(self, isolated_logger):
        """An argument whose str() raises is replaced, and the record is still written."""
        (buffer,) = guarded(isolated_logger, logging.Formatter("%(message)s"))

        isolated_logger.warning("value %s", HostileStr())

        assert buffer.getvalue() == "value [REDACTED:unrepresentable]\n"

    def test_failure_masks_the_whole_record(self, isolated_logger, secrets):
        """When redaction itself fails, message and extras become placeholders and the failure is counted."""
        redactor = Redactor()
        handler, buffer = buffer_handler(JsonFormatter("%(message)s"))
        handler.addFilter(lambda record: setattr(record, "exc_info", BrokenExcInfo()) or True)
        handler.addFilter(RedactingFilter(redactor))
        isolated_logger.addHandler(handler)

        isolated_logger.warning("mail %s", secrets["email"], extra={"owner": secrets["email"]})

        assert json.loads(buffer.getvalue()) == {
            "message": "[REDACTED:redaction_failed]",
            "owner": "[REDACTED:redaction_failed]",
        }
        assert redactor.failures == 1

    @pytest.mark.parametrize("attribute", ["exc_info", "exc_text", "stack_info"])
    def test_broken_attribute_of_a_known_clean_call_masks_it(self, attribute):
        """The check for calls known clean never raises either: the record is masked, and kept."""
        redactor = Redactor()
        redacting = RedactingFilter(redactor)
        for _ in range(2):  # the second time the call is remembered as clean
            redacting.filter(logging.LogRecord("n", logging.INFO, "p", 1, "user %s", ("alice",), None))
        record = logging.LogRecord("n", logging.INFO, "p", 1, "user %s", ("alice",), None)
        setattr(record, attribute, BrokenExcInfo())

        assert redacting.filter(record) is True
        assert (record.msg, record.args) == ("[REDACTED:redaction_failed]", ())
        assert redactor.failures == 1

    @pytest.mark.parametrize("place", [*LOCATIONS, lambda lg, s: lg.error("%s %s", s)], ids=lambda f: f.__name__)
    def test_filter_always_returns_true(self, secrets, place):
        """The filter keeps every record, whatever it holds."""
        results: list[bool] = []
        redacting = RedactingFilter()
        logger = make_logger("redactlog-tests.keep")
        handler = RecordingHandler([])
        handler.addFilter(lambda record: results.append(redacting.filter(record)) or True)
        logger.addHandler(handler)
        try:
            place(logger, secrets["us_ssn"])
        finally:
            logger.removeHandler(handler)

        assert results == [True]


class TestHandlers:
    def test_file_handler(self, isolated_logger, secrets, tmp_path):
        """A FileHandler with the filter writes no secret to disk."""
        path = tmp_path / "app.log"
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter(PLAIN_FORMAT))
        handler.addFilter(RedactingFilter())
        isolated_logger.addHandler(handler)

        for place in LOCATIONS:
            place(isolated_logger, secrets["aws_access_key_id"])
        handler.close()

        written = path.read_text(encoding="utf-8")
        assert "[REDACTED" in written
        assert_clean(written, secrets)

    def test_queue_handler_redacts_before_the_queue(self, isolated_logger, secrets):
        """With the filter on the QueueHandler, neither the queued record nor the listener's output holds a secret."""
        records: queue.Queue[logging.LogRecord] = queue.Queue()
        queue_handler = logging.handlers.QueueHandler(records)
        queue_handler.addFilter(RedactingFilter())
        isolated_logger.addHandler(queue_handler)
        handler, buffer = buffer_handler(json_formatter())
        tapped: list[logging.LogRecord] = []
        listener = logging.handlers.QueueListener(TapQueue(records, tapped), handler)
        listener.start()
        try:
            for place in LOCATIONS:
                place(isolated_logger, secrets["github_token"])
        finally:
            listener.stop()

        assert len(LOCATIONS) == len(tapped) == len(buffer.getvalue().splitlines())
        assert_clean(repr([vars(record) for record in tapped]) + buffer.getvalue(), secrets)

    @pytest.mark.parametrize("kind", KINDS)
    def test_json_formatter_extras_redacted_before_serialisation(self, isolated_logger, secrets, kind):
        """python-json-logger serialises extras that are already redacted, nested ones included."""
        (buffer,) = guarded(isolated_logger, json_formatter())

        isolated_logger.info("order", extra={"customer": {"contact": [secrets[kind]], "password": secrets.password}})

        document = json.loads(buffer.getvalue())
        assert document["customer"]["password"] == "[REDACTED:secret]"
        assert document["customer"]["contact"][0].startswith(("[REDACTED", "t=", "v1,"))
        assert_clean(buffer.getvalue(), secrets)

    def test_redacting_formatter_on_a_queue_handler_leaves_extras_raw(self, isolated_logger, secrets):
        """The documented limit: QueueHandler.prepare() copies the original record's extras past the formatter."""
        records: queue.Queue[logging.LogRecord] = queue.Queue()
        queue_handler = logging.handlers.QueueHandler(records)
        queue_handler.setFormatter(RedactingFormatter())
        isolated_logger.addHandler(queue_handler)

        isolated_logger.warning("to %s", secrets["email"], extra={"contact": secrets["phone"]})

        record = records.get_nowait()
        assert (record.msg, record.contact) == ("to [REDACTED:email]", secrets["phone"])

    def test_logger_filter_misses_propagated_records(self, secrets):
        """A filter on a parent *logger* never sees a child's records: the reason to attach it to handlers."""
        # Registered loggers are needed for the hierarchy; fresh names keep pytest's handler off them.
        name = f"redactlog-tests.parent-{uuid.uuid4().hex}"
        parent = logging.getLogger(name)
        parent.propagate = False
        handler, buffer = buffer_handler(logging.Formatter("%(message)s"))
        parent.addHandler(handler)
        redacting = RedactingFilter()
        parent.addFilter(redacting)
        try:
            logging.getLogger(f"{name}.child").warning("mail %s", secrets["email"])
        finally:
            parent.removeHandler(handler)
            parent.removeFilter(redacting)

        assert f"mail {secrets['email']}\n" == buffer.getvalue()


class TapQueue:
    """A queue wrapper that keeps each record the listener takes off the queue."""

    def __init__(self, inner: queue.Queue[logging.LogRecord], tapped: list[logging.LogRecord]) -> None:
        self.inner = inner
        self.tapped = tapped

    def get(self, block: bool = True) -> logging.LogRecord:
        record = self.inner.get(block)
        if record is not None:
            self.tapped.append(record)
        return record

    def put_nowait(self, item: object) -> None:
        self.inner.put_nowait(item)

    def task_done(self) -> None:
        self.inner.task_done()


class TestConcurrency:
    def test_threads(self, isolated_logger):
        """Eight threads logging different secrets at once leak none of them and lose no line."""
        (buffer,) = guarded(isolated_logger, logging.Formatter("%(threadName)s %(message)s"))
        per_thread = [make_secrets() for _ in range(8)]
        barrier = threading.Barrier(8)

        def work(secrets: Secrets) -> None:
            barrier.wait()
            for _ in range(25):
                isolated_logger.info("user %s", secrets["email"], extra={"token": secrets["github_token"]})
                isolated_logger.info("call %s", secrets["phone"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(work, per_thread))

        assert len(buffer.getvalue().splitlines()) == 8 * 50
        for secrets in per_thread:
            assert_clean(buffer.getvalue(), secrets)

    def test_asyncio_tasks(self, isolated_logger):
        """Concurrent tasks on one event loop, each with its own secrets, leak none of them."""
        (buffer,) = guarded(isolated_logger, json_formatter())
        per_task = [make_secrets() for _ in range(20)]

        async def work(secrets: Secrets) -> None:
            for kind in KINDS:
                isolated_logger.info("task", extra={"value": secrets[kind]})
                await asyncio.sleep(0)

        async def main() -> None:
            await asyncio.gather(*(work(s) for s in per_task))

        asyncio.run(main())

        assert 20 * len(KINDS) == len(buffer.getvalue().splitlines())
        for secrets in per_task:
            assert_clean(buffer.getvalue(), secrets)


class TestInstall:
    def test_attaches_to_every_handler(self, isolated_logger):
        """Each handler of the logger gets the returned filter."""
        handlers = [buffer_handler()[0] for _ in range(3)]
        for handler in handlers:
            isolated_logger.addHandler(handler)

        installed = install(logger=isolated_logger)

        assert [[installed]] * 3 == [handler.filters for handler in handlers]

    def test_is_idempotent(self, isolated_logger):
        """Installing twice leaves one redacting filter per handler."""
        handler, _ = buffer_handler()
        isolated_logger.addHandler(handler)

        first = install(logger=isolated_logger)
        install(logger=isolated_logger)

        assert [first] == handler.filters

    def test_accepts_a_name_and_a_redactor(self):
        """The logger may be given by name, and the filter uses the given redactor."""
        name = f"redactlog-tests.by-name-{uuid.uuid4().hex}"
        handler, _ = buffer_handler()
        logging.getLogger(name).addHandler(handler)
        redactor = Redactor(disable=["phone"])
        try:
            installed = install(redactor, name)
        finally:
            logging.getLogger(name).removeHandler(handler)

        assert (installed.redactor, [installed]) == (redactor, handler.filters)

    @pytest.mark.usefixtures("restore_logging")
    def test_root_logger_by_default(self, secrets):
        """Without a logger, the root logger's handlers are guarded, so child loggers' records are redacted."""
        root = logging.getLogger()
        handler, buffer = buffer_handler(logging.Formatter("%(name)s %(message)s"))
        root.addHandler(handler)
        try:
            install()
            logging.getLogger("redactlog-tests.app.db").warning("row for %s", secrets["email"])
        finally:
            root.removeHandler(handler)

        assert buffer.getvalue() == "redactlog-tests.app.db row for [REDACTED:email]\n"

    def test_logger_without_handlers_is_an_error(self, isolated_logger):
        """A logger without handlers would be guarded by nothing: say so at start-up."""
        with pytest.raises(ConfigurationError, match="has no handlers"):
            install(logger=isolated_logger)


def docs_block(marker: str) -> str:
    """Return the first python code block after *marker* in docs/logging.md."""
    text = DOCS.read_text(encoding="utf-8")
    after = text[text.index(marker) :]
    match = re.search(r"```python\n(.*?)```", after, re.DOTALL)
    assert match is not None
    return match.group(1)


@pytest.fixture(name="restore_logging")
def fixture_restore_logging():
    """Put the root logger, its handlers' filters and the loggers a dictConfig touched back as they were."""
    root = logging.getLogger()
    saved_root = (list(root.handlers), root.level)
    saved_filters = {handler: list(handler.filters) for handler in root.handlers}
    names = ["app", "uvicorn", "uvicorn.error", "uvicorn.access"]
    saved = {name: (list(lg.handlers), lg.level, lg.propagate) for name in names for lg in [logging.getLogger(name)]}
    yield
    for handler in root.handlers:
        if handler not in saved_root[0]:
            handler.close()
    root.handlers[:] = saved_root[0]
    root.setLevel(saved_root[1])
    for handler, filters in saved_filters.items():
        handler.filters[:] = filters
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


class TestDictConfig:
    @pytest.mark.usefixtures("restore_logging")
    def test_documented_recipe(self, secrets):
        """The dictConfig recipe in docs/logging.md loads and redacts every handler it defines."""
        namespace: dict[str, object] = {}
        exec(docs_block("<!-- recipe: dictconfig -->"), namespace)  # noqa: S102 - our own documentation
        buffer = io.StringIO()
        for handler in logging.getLogger().handlers:
            assert any(isinstance(f, RedactingFilter) for f in handler.filters)
            handler.setStream(buffer)  # type: ignore[attr-defined]

        logging.getLogger("app.payments").error("refund for %s", secrets["email"], extra={"card_token": "x"})
        in_exception(logging.getLogger("app"), secrets["jwt"])

        assert buffer.getvalue().count("[REDACTED") >= 3
        assert_clean(buffer.getvalue(), secrets)

    def test_example_matches_the_documented_recipe(self):
        """examples/logging_dictconfig.py uses the very dict the documentation shows."""
        documented: dict[str, object] = {}
        exec(docs_block("<!-- recipe: dictconfig -->").replace("logging.config.dictConfig(LOGGING)", ""), documented)  # noqa: S102

        example = runpy.run_path(str(DOCS.parent.parent / "examples" / "logging_dictconfig.py"), run_name="example")

        assert example["LOGGING"] == documented["LOGGING"]

    @pytest.mark.usefixtures("restore_logging")
    def test_formatter_factory(self, secrets):
        """RedactingFormatter can be built by dictConfig's "()" factory with format and datefmt."""
        logging.config.dictConfig(
            {
                "version": 1,
                "disable_existing_loggers": False,
                "formatters": {"redacted": {"()": "redactlog.RedactingFormatter", "format": "%(name)s %(message)s"}},
                "handlers": {"buffer": {"class": "logging.StreamHandler", "formatter": "redacted"}},
                "loggers": {"app": {"handlers": ["buffer"], "level": "INFO", "propagate": False}},
            }
        )
        (handler,) = logging.getLogger("app").handlers
        buffer = io.StringIO()
        handler.setStream(buffer)  # type: ignore[attr-defined]

        logging.getLogger("app").info("mail %s", secrets["email"])

        assert buffer.getvalue() == "app mail [REDACTED:email]\n"

    @pytest.mark.usefixtures("restore_logging")
    def test_uvicorn_recipe(self, secrets):
        """uvicorn's own LOGGING_CONFIG with the documented filter added redacts both of its handlers."""
        namespace: dict[str, object] = {}
        exec(docs_block("<!-- recipe: uvicorn -->"), namespace)  # noqa: S102 - our own documentation
        config = namespace["LOG_CONFIG"]
        logging.config.dictConfig(config)
        buffer = io.StringIO()
        for name in ("uvicorn", "uvicorn.access"):
            for handler in logging.getLogger(name).handlers:
                handler.setStream(buffer)  # type: ignore[attr-defined]

        logging.getLogger("uvicorn.error").info("Started for %s", secrets["email"])
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "10.0.0.1:1", "GET", f"/?token={secrets['github_token']}", "1.1", 200
        )

        assert '"GET /?token=[REDACTED' in buffer.getvalue()
        assert_clean(buffer.getvalue(), secrets)


class CountingFormatter(logging.Formatter):
    """A formatter with its own one-line traceback format."""

    def formatException(self, ei) -> str:
        return "ONE-LINE " + super().formatException(ei).replace("\n", " | ")


class TestRedactingFormatter:
    @pytest.mark.parametrize("place", LOCATIONS, ids=lambda f: f.__name__)
    def test_wrapped_json_formatter(self, isolated_logger, secrets, place):
        """Wrapping a JSON formatter keeps secrets out of its output wherever the log call carried them."""
        handler, buffer = buffer_handler(RedactingFormatter(json_formatter()))
        isolated_logger.addHandler(handler)

        place(isolated_logger, secrets["email"])

        assert "[REDACTED" in buffer.getvalue()
        assert_clean(buffer.getvalue(), secrets)

    def test_original_record_is_untouched(self, isolated_logger, secrets):
        """Other handlers see the record as it was logged: only the copy is redacted."""
        seen: list[logging.LogRecord] = []
        handler, buffer = buffer_handler(RedactingFormatter(fmt="%(message)s"))
        isolated_logger.addHandler(handler)
        isolated_logger.addHandler(RecordingHandler(seen))

        isolated_logger.info("mail %s", secrets["email"])

        assert buffer.getvalue() == "mail [REDACTED:email]\n"
        assert ("mail %s", (secrets["email"],)) == (seen[0].msg, seen[0].args)

    def test_copies_only_records_that_change(self, isolated_logger, secrets):
        """A clean record goes to the wrapped formatter as it is; one holding a secret as a redacted copy."""
        received: list[logging.LogRecord] = []

        class Keeping(logging.Formatter):
            def format(self, record: logging.LogRecord) -> str:
                received.append(record)
                return super().format(record)

        seen: list[logging.LogRecord] = []
        handler, buffer = buffer_handler(RedactingFormatter(Keeping("%(message)s")))
        isolated_logger.addHandler(handler)
        isolated_logger.addHandler(RecordingHandler(seen))

        for _ in range(2):
            isolated_logger.info("user %s", "alice")
            isolated_logger.info("user %s", secrets["email"])

        assert [record is original for record, original in zip(received, seen, strict=True)] == [True, False] * 2
        assert buffer.getvalue() == "user alice\nuser [REDACTED:email]\n" * 2
        assert [(record.msg, record.args) for record in seen[1::2]] == [("user %s", (secrets["email"],))] * 2

    def test_message_cached_by_an_earlier_handler_is_redacted(self, isolated_logger, secrets):
        """A raw message attribute left by an unredacted handler is redacted in the copy, not in the original."""
        first, _ = buffer_handler()
        isolated_logger.addHandler(first)
        seen: list[logging.LogRecord] = []
        handler, buffer = buffer_handler(RedactingFormatter(json_formatter()))
        isolated_logger.addHandler(handler)
        isolated_logger.addHandler(RecordingHandler(seen))

        isolated_logger.info("contact %s", secrets["email"])

        assert json.loads(buffer.getvalue())["message"] == "contact [REDACTED:email]"
        assert seen[0].message == f"contact {secrets['email']}"

    @pytest.mark.parametrize("case", CLEAN_CASES)
    def test_clean_output_is_byte_identical(self, case):
        """For a clean record the output is exactly the wrapped formatter's."""
        bare = render(case, logging.Formatter(PLAIN_FORMAT), redact=False)

        assert bare == render_formatted(case, RedactingFormatter(logging.Formatter(PLAIN_FORMAT)))

    def test_uses_the_wrapped_formatters_traceback_format(self, isolated_logger, secrets):
        """Tracebacks are rendered by the wrapped formatter's formatException, then redacted."""
        handler, buffer = buffer_handler(RedactingFormatter(CountingFormatter("%(message)s")))
        isolated_logger.addHandler(handler)

        in_exception(isolated_logger, secrets["us_ssn"])

        assert buffer.getvalue().startswith("failed\nONE-LINE Traceback (most recent call last): | ")
        assert "ValueError: could not parse [REDACTED:us_ssn] in request" in buffer.getvalue()

    def test_format_error_prints_only_redacted_text(self, isolated_logger, secrets, capsys):
        """A bad format string yields a redacted line instead of logging's error report with raw arguments."""
        handler, buffer = buffer_handler(RedactingFormatter(fmt="%(message)s"))
        isolated_logger.addHandler(handler)

        isolated_logger.warning("%d items for %s", "many", secrets["email"])

        assert "[REDACTED:email]" in buffer.getvalue()
        assert_clean(buffer.getvalue() + capsys.readouterr().err, secrets)

    @pytest.mark.parametrize(
        "call",
        [
            pytest.param(lambda lg, s: lg.info("user %s", "alice", extra={"contact": s}), id="extra"),
            pytest.param(lambda lg, s: lg.info("user %s", "alice", stack_info=True, stacklevel=1), id="stack"),
            pytest.param(lambda lg, s: lg.info("user %s", "alice", exc_info=ValueError(s)), id="exception"),
            pytest.param(lambda lg, s: lg.info("user %s", s), id="argument"),
        ],
    )
    def test_known_clean_call_with_something_else_is_redacted(self, isolated_logger, secrets, call):
        """The formatter's path for calls logged clean before still sees extras, stacks and exceptions."""
        handler, buffer = buffer_handler(RedactingFormatter(json_formatter()))
        isolated_logger.addHandler(handler)
        for _ in range(3):
            isolated_logger.info("user %s", "alice")

        call(isolated_logger, secrets["email"])

        lines = buffer.getvalue().splitlines()
        assert [json.loads(line)["message"] for line in lines[:3]] == ["user alice"] * 3
        assert len(lines) == 4  # one more record
        assert_clean(buffer.getvalue(), secrets)

    def test_known_clean_call_after_an_unredacted_handler(self, isolated_logger, secrets):
        """A message left by an earlier handler sends a known clean call down the full path, extras redacted."""
        first, _ = buffer_handler()
        isolated_logger.addHandler(first)
        handler, buffer = buffer_handler(RedactingFormatter(json_formatter()))
        isolated_logger.addHandler(handler)

        for _ in range(3):
            isolated_logger.info("user %s", "alice")
            isolated_logger.info("user %s", "alice", extra={"contact": secrets["email"]})

        lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
        assert [line.get("contact") for line in lines] == [None, "[REDACTED:email]"] * 3
        assert {line["message"] for line in lines} == {"user alice"}

    def test_wrapped_formatter_adding_attributes(self, isolated_logger, secrets):
        """A wrapped formatter that sets attributes of its own only costs the fast path, never redaction."""

        class Tagging(logging.Formatter):
            def format(self, record: logging.LogRecord) -> str:
                record.tag = "t"
                return super().format(record) + " " + str(getattr(record, "contact", "-"))

        handler, buffer = buffer_handler(RedactingFormatter(Tagging("%(message)s")))
        isolated_logger.addHandler(handler)

        for _ in range(3):
            isolated_logger.info("user %s", "alice")
            isolated_logger.info("user %s", "alice", extra={"contact": secrets["email"]})

        assert buffer.getvalue() == "user alice -\nuser alice [REDACTED:email]\n" * 3

    def test_wrapped_formatter_raising_on_a_known_clean_call(self, isolated_logger, secrets, capsys):
        """A wrapped formatter that fails on a known clean call gives the redacted fallback line, no error."""

        class Flaky(logging.Formatter):
            calls = 0

            def format(self, record: logging.LogRecord) -> str:
                Flaky.calls += 1
                if Flaky.calls > 2:  # the call is known clean by then
                    msg = f"broken {secrets['email']}"
                    raise RuntimeError(msg)
                return super().format(record)

        handler, buffer = buffer_handler(RedactingFormatter(Flaky("%(message)s")))
        isolated_logger.addHandler(handler)

        for _ in range(3):
            isolated_logger.info("user %s", "alice")

        assert buffer.getvalue() == "user alice\nuser alice\nuser %s ('alice',)\n"
        assert_clean(buffer.getvalue() + capsys.readouterr().err, secrets)

    def test_wrapped_formatter_popping_an_extra_sees_it_redacted(self, isolated_logger, secrets):
        """A wrapped formatter that takes extras off the record it is given only ever gets a redacted copy."""

        class Popping(logging.Formatter):
            def format(self, record: logging.LogRecord) -> str:
                return f"{super().format(record)} ctx={record.__dict__.pop('ctx', None)}"

        handler, buffer = buffer_handler(RedactingFormatter(Popping("%(message)s")))
        isolated_logger.addHandler(handler)
        seen: list[logging.LogRecord] = []
        isolated_logger.addHandler(RecordingHandler(seen))

        for _ in range(3):
            isolated_logger.info("user %s", "alice")
            isolated_logger.info("user %s", "alice", extra={"ctx": secrets["email"]})

        assert buffer.getvalue() == "user alice ctx=None\nuser alice ctx=[REDACTED:email]\n" * 3
        assert [getattr(record, "ctx", None) for record in seen[1::2]] == [secrets["email"]] * 3

    def test_wrapped_formatter_runs_once_per_record(self, isolated_logger, secrets):
        """Each record is formatted once, so formatters that count or decorate see it once."""

        class Counting(logging.Formatter):
            calls = 0

            def format(self, record: logging.LogRecord) -> str:
                Counting.calls += 1
                record.__dict__.setdefault("task_id", "-")  # as Celery's TaskFormatter does
                return super().format(record)

        handler, _ = buffer_handler(RedactingFormatter(Counting("%(message)s")))
        isolated_logger.addHandler(handler)

        for _ in range(3):
            isolated_logger.info("user %s", "alice")
            isolated_logger.info("user %s", "alice", extra={"contact": secrets["email"]})

        assert Counting.calls == 6

    @pytest.mark.parametrize("name", ["API_TOKEN", "/prod/db/password"])
    def test_name_value_extras(self, isolated_logger, name):
        """Extras that form a name/value record have the value masked by the name."""
        value = "".join(random.choices(string.ascii_letters, k=12))
        handler, buffer = buffer_handler(RedactingFormatter(fmt="%(message)s %(value)s"))
        isolated_logger.addHandler(handler)

        for _ in range(2):
            isolated_logger.info("set", extra={"parameterkey": "region", "value": "eu-west-1"})
            isolated_logger.info("set", extra={"parameterkey": name, "value": value})

        assert buffer.getvalue() == "set eu-west-1\nset [REDACTED:secret]\n" * 2

    def test_name_value_extras_with_few_items_allowed(self, isolated_logger):
        """A redactor that walks only one item of a mapping still masks the value of name/value extras."""
        value = "".join(random.choices(string.ascii_letters, k=12))
        redactor = Redactor(limits=Limits(max_items=1))
        (buffer,) = guarded(isolated_logger, logging.Formatter("%(message)s %(Value)s"))
        isolated_logger.handlers[0].filters[0] = RedactingFilter(redactor)

        isolated_logger.info("set", extra={"ParameterKey": "API_TOKEN", "Value": value})

        assert value not in buffer.getvalue()

    def test_format_exception_and_stack_are_redacted(self, secrets):
        """Called directly, formatException and formatStack return redacted text."""
        formatter = RedactingFormatter()
        try:
            raise_with(secrets["email"])
        except ValueError as exc:
            text = formatter.formatException((ValueError, exc, exc.__traceback__))

        assert text.endswith("ValueError: could not parse [REDACTED:email] in request")
        assert formatter.formatStack(secrets["email"]) == "[REDACTED:email]"


def render_formatted(case: str, formatter: logging.Formatter) -> str:
    logger = make_logger("redactlog-tests.byte-identical")
    handler, buffer = buffer_handler(formatter)
    logger.addHandler(handler)
    try:
        emit_clean(logger, case)
    finally:
        logger.removeHandler(handler)
    return buffer.getvalue()


class TestFlask:
    def test_default_handler(self, secrets):
        """install(logger=app.logger) guards Flask's default handler, which writes to wsgi.errors."""
        from flask import Flask, request
        from flask.logging import default_handler

        app = Flask("redactlog_tests_flask")
        if default_handler not in app.logger.handlers:
            # pytest's own root handler makes Flask skip its default; restore it as in production.
            app.logger.addHandler(default_handler)

        @app.post("/signup")
        def signup() -> str:
            app.logger.warning("signup %s", request.get_json()["email"], extra={"body": request.get_json()})
            return "ok"

        errors = io.StringIO()
        try:
            install(logger=app.logger)
            response = app.test_client().post(
                "/signup",
                json={"email": secrets["email"], "password": secrets.password},
                environ_overrides={"wsgi.errors": errors},
            )
        finally:
            default_handler.filters.clear()
            app.logger.removeHandler(default_handler)

        assert response.status_code == 200
        assert "signup [REDACTED:email]" in errors.getvalue()
        assert_clean(errors.getvalue(), secrets)


class TestPublicNames:
    def test_exported(self):
        """The logging integration's names are exported from the package."""
        assert {"RedactingFilter", "RedactingFormatter", "install"} <= set(redactlog.__all__)
