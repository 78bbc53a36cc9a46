"""Tests for RedactingProcessor with real structlog configurations.

Pure structlog (JSON, key-value and console renderers, format_exc_info and
dict_tracebacks) and stdlib set-ups through ProcessorFormatter, where records
from plain logging ("foreign" records) must be covered as well.
"""

from __future__ import annotations

import asyncio
import collections
import copy
import datetime
import io
import json
import logging
import random
import re
import string
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import structlog
from structlog.contextvars import bind_contextvars, clear_contextvars, merge_contextvars
from structlog.processors import (
    JSONRenderer,
    KeyValueRenderer,
    StackInfoRenderer,
    TimeStamper,
    add_log_level,
    dict_tracebacks,
    format_exc_info,
)
from structlog.stdlib import ExtraAdder, ProcessorFormatter

import redactlog
from redactlog import RedactingProcessor, Redactor, RegexDetector
from tests.logging_helpers import (
    Secrets,
    assert_clean,
    fixture_secrets,  # noqa: F401 - a fixture
    luhn_card_number,
    make_logger,
    make_secrets,
)

DOCS = Path(__file__).resolve().parent.parent / "docs" / "structlog.md"
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


def json_chain(*before: Any) -> list[Any]:
    """The documented pure-structlog chain: redact after exceptions are rendered, before the renderer."""
    return [
        merge_contextvars,
        add_log_level,
        StackInfoRenderer(),
        format_exc_info,
        *before,
        RedactingProcessor(),
        TimeStamper(fmt="iso"),
        JSONRenderer(),
    ]


def logger_writing_to(buffer: io.StringIO, processors: list[Any]) -> Any:
    return structlog.wrap_logger(structlog.WriteLogger(buffer), processors=processors)


def raise_with(secret: str) -> None:
    msg = f"charge failed for {secret}"
    raise ValueError(msg)


# Each places a secret somewhere a structlog call can carry one.
def in_event(log: Any, secret: str) -> None:
    log.info(f"payment from {secret}")


def in_value(log: Any, secret: str) -> None:
    log.info("payment", customer=secret)


def in_nested_value(log: Any, secret: str) -> None:
    log.info("payment", request={"headers": [("X-Trace", secret)], "body": {"items": [{"note": secret}]}})


def in_bound_context(log: Any, secret: str) -> None:
    log.bind(customer=secret).info("payment")


def in_contextvars(log: Any, secret: str) -> None:
    bind_contextvars(customer=secret)
    try:
        log.info("payment")
    finally:
        clear_contextvars()


def in_exception(log: Any, secret: str) -> None:
    try:
        raise_with(secret)
    except ValueError:
        log.exception("failed")


def in_exception_instance(log: Any, secret: str) -> None:
    try:
        raise_with(secret)
    except ValueError as exc:
        error = exc
    log.error("failed", exc_info=error)


def in_bytes(log: Any, secret: str) -> None:
    log.info("payment", raw=f"to={secret}".encode())


PLACES = [
    in_event,
    in_value,
    in_nested_value,
    in_bound_context,
    in_contextvars,
    in_exception,
    in_exception_instance,
    in_bytes,
]


@pytest.fixture(name="restore_structlog")
def fixture_restore_structlog() -> Iterator[None]:
    """Put structlog's global configuration back as it was."""
    saved = structlog.get_config()
    yield
    structlog.reset_defaults()
    structlog.configure(**saved)


class TestPureStructlog:
    @pytest.mark.parametrize("place", PLACES, ids=lambda f: f.__name__)
    @pytest.mark.parametrize("kind", KINDS)
    def test_json_renderer(self, secrets, kind, place):
        """No secret reaches JSON output, wherever the call carried it."""
        buffer = io.StringIO()

        place(logger_writing_to(buffer, json_chain()), secrets[kind])

        assert "[REDACTED" in buffer.getvalue()
        assert_clean(buffer.getvalue(), secrets)
        json.loads(buffer.getvalue())

    def test_phone_field_is_context(self):
        """A bare number bound as ``phone=`` is masked: the field name is its context."""
        buffer = io.StringIO()

        logger_writing_to(buffer, json_chain()).info("sms.sent", phone="4155552671", order=4155552671)

        assert json.loads(buffer.getvalue())["phone"] == "[REDACTED:phone]"
        assert json.loads(buffer.getvalue())["order"] == 4155552671

    @pytest.mark.parametrize("place", PLACES, ids=lambda f: f.__name__)
    def test_dict_tracebacks(self, secrets, place):
        """With dict_tracebacks the structured traceback, locals included, is redacted key-aware."""
        buffer = io.StringIO()
        chain = [merge_contextvars, add_log_level, dict_tracebacks, RedactingProcessor(), JSONRenderer()]

        place(logger_writing_to(buffer, chain), secrets["email"])

        assert_clean(buffer.getvalue(), secrets)

    def test_dict_tracebacks_locals_under_sensitive_names(self, secrets):
        """A local variable named like a secret is masked in dict_tracebacks' locals."""
        buffer = io.StringIO()
        log = logger_writing_to(buffer, [dict_tracebacks, RedactingProcessor(), JSONRenderer()])

        def login(password: str) -> None:
            raise PermissionError("denied")

        try:
            login(secrets.password)
        except PermissionError:
            log.exception("login failed")

        frames = json.loads(buffer.getvalue())["exception"][0]["frames"]
        assert frames[-1]["locals"]["password"] == "[REDACTED:secret]"
        assert secrets.password not in buffer.getvalue()

    @pytest.mark.parametrize("place", PLACES, ids=lambda f: f.__name__)
    def test_console_renderer_with_exc_info_still_present(self, secrets, place):
        """Placed before ConsoleRenderer with no format_exc_info, the processor renders and redacts the exception."""
        buffer = io.StringIO()
        renderer = structlog.dev.ConsoleRenderer(colors=False)
        log = logger_writing_to(buffer, [merge_contextvars, RedactingProcessor(), renderer])

        place(log, secrets["github_token"])

        assert_clean(buffer.getvalue(), secrets)

    def test_key_value_renderer(self, secrets):
        """KeyValueRenderer output holds no secret either."""
        buffer = io.StringIO()
        log = logger_writing_to(buffer, [RedactingProcessor(), KeyValueRenderer(sort_keys=True)])

        log.info("signup", email=secrets["email"], phone=secrets["phone"])

        assert buffer.getvalue() == "email='[REDACTED:email]' event='signup' phone='[REDACTED:phone]'\n"

    def test_global_configuration(self, secrets, restore_structlog):
        """The documented structlog.configure() set-up redacts what get_logger() writes."""
        buffer = io.StringIO()
        structlog.configure(
            processors=json_chain(),
            logger_factory=structlog.WriteLoggerFactory(file=buffer),
            cache_logger_on_first_use=False,
        )

        for place in PLACES:
            place(structlog.get_logger(), secrets["jwt"])

        assert len(PLACES) == len(buffer.getvalue().splitlines())
        assert_clean(buffer.getvalue(), secrets)


def docs_block(marker: str) -> str:
    """Return the first python code block after *marker* in docs/structlog.md."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(r"```python\n(.*?)```", text[text.index(marker) :], re.DOTALL)
    assert match is not None
    return match.group(1)


@pytest.fixture(name="restore_root")
def fixture_restore_root() -> Iterator[None]:
    """Put the root logger's handlers and level back as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


class TestDocumentedRecipes:
    @pytest.mark.usefixtures("restore_structlog")
    def test_pure_structlog(self, secrets, capsys):
        """The pure-structlog configuration in docs/structlog.md redacts what get_logger() prints."""
        exec(docs_block("<!-- recipe: structlog -->"), {})  # noqa: S102 - our own documentation
        structlog.configure(cache_logger_on_first_use=False)

        structlog.get_logger().info(
            "login", user=secrets["email"], password=secrets.password, headers={"Authorization": secrets["jwt"]}
        )

        # The recipe logs one example line of its own first.
        documented, ours = capsys.readouterr().out.splitlines()
        document = json.loads(ours)
        assert '"user": "[REDACTED:email]", "password": "[REDACTED:secret]"' in documented
        assert {key: document[key] for key in ("user", "password", "headers", "event", "level")} == {
            "user": "[REDACTED:email]",
            "password": "[REDACTED:secret]",
            "headers": {"Authorization": "[REDACTED:secret]"},
            "event": "login",
            "level": "info",
        }

    @pytest.mark.usefixtures("restore_structlog", "restore_root")
    def test_processor_formatter(self, secrets):
        """The ProcessorFormatter configuration in docs/structlog.md covers structlog and foreign records."""
        exec(docs_block("<!-- recipe: processor-formatter -->"), {})  # noqa: S102 - our own documentation
        structlog.configure(cache_logger_on_first_use=False)
        buffer = io.StringIO()
        handler = logging.getLogger().handlers[-1]
        handler.setStream(buffer)  # type: ignore[attr-defined]
        logging.getLogger().setLevel(logging.INFO)

        structlog.get_logger("app").info("login", user=secrets["email"], password=secrets.password)
        foreign_extra(logging.getLogger("library"), secrets["phone"])
        foreign_exception(logging.getLogger("library"), secrets["jwt"])

        lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
        assert [line["event"] for line in lines] == ["login", "payment", "failed"]
        assert_clean(buffer.getvalue(), secrets)


class TestKeyAware:
    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            pytest.param({"password": "PW"}, {"password": "[REDACTED:secret]"}, id="password"),
            pytest.param(
                {"headers": {"Authorization": "PW", "Accept": "text/html"}},
                {"headers": {"Authorization": "[REDACTED:secret]", "Accept": "text/html"}},
                id="headers",
            ),
            pytest.param(
                {"users": [{"name": "ann", "api_key": "PW"}]},
                {"users": [{"name": "ann", "api_key": "[REDACTED:secret]"}]},
                id="list-of-dicts",
            ),
            pytest.param({"X-Hub-Signature-256": "PW"}, {"X-Hub-Signature-256": "[REDACTED:signature]"}, id="sig"),
            pytest.param({"pin": 1234}, {"pin": "[REDACTED:secret]"}, id="number"),
            pytest.param(
                {"password": None, "token_type": "Bearer"}, {"password": None, "token_type": "Bearer"}, id="kept"
            ),
        ],
    )
    def test_values_under_sensitive_keys(self, secrets, fields, expected):
        """Values under sensitive keys are masked whatever they hold, at any depth."""
        fields = json.loads(json.dumps(fields).replace("PW", secrets.password))

        result = RedactingProcessor()(None, "info", {"event": "login", **fields})

        assert result == {"event": "login", **expected}


class TestLikeRedactValue:
    def test_card_number_logged_as_an_integer(self):
        """A long integer value is checked as text, as Redactor.redact_value does; small ones are kept."""
        card = luhn_card_number(random.Random())

        result = RedactingProcessor()(None, "info", {"event": "charged", "cents": 1250, "reference": card})

        assert result == {"event": "charged", "cents": 1250, "reference": "[REDACTED:credit_card]"}

    def test_keys_that_are_data(self, secrets):
        """Keys holding data are masked, numbered so that two never collide, in order."""
        event = {"event": "scores", secrets["email"]: 3, "after": 1, f"password_of_{secrets['email']}": "pw"}

        result = RedactingProcessor()(None, "info", event)

        assert list(result.items()) == [
            ("event", "scores"),
            ("[REDACTED:email]", 3),
            ("after", 1),
            ("[REDACTED:email]#2", "[REDACTED:secret]"),
        ]


class TestCopyOnWrite:
    def test_clean_event_dict_is_returned_as_is(self):
        """A clean event dict comes back as the very same object."""
        event = {"event": "user logged in", "user": "alice", "attempts": 3, "tags": ["a", "b"], "ok": True}

        assert RedactingProcessor()(None, "info", event) is event

    def test_callers_objects_are_never_mutated(self, secrets):
        """Neither the event dict nor the values the caller passed in are changed."""
        payload = {"customer": {"email": secrets["email"], "password": secrets.password}, "items": [secrets["phone"]]}
        event = {"event": "order", "payload": payload}
        before = copy.deepcopy(event)

        result = RedactingProcessor()(None, "info", event)

        assert event == before
        assert result["payload"]["customer"] == {"email": "[REDACTED:email]", "password": "[REDACTED:secret]"}

    def test_unchanged_branches_are_shared(self, secrets):
        """Only containers on the way to a change are copied; clean siblings are the same objects."""
        clean = {"a": ["b", "c"]}
        event = {"event": "x", "clean": clean, "dirty": {"email": secrets["email"]}}

        result = RedactingProcessor()(None, "info", event)

        assert result["clean"] is clean

    def test_processor_formatter_meta_passes_through(self):
        """ProcessorFormatter's _record and _from_structlog are left alone for remove_processors_meta."""
        record = logging.makeLogRecord({"msg": "x"})
        event = {"event": "a@example.com", "_record": record, "_from_structlog": False}

        result = RedactingProcessor()(None, "info", event)

        assert (result["_record"], result["_from_structlog"]) == (record, False)


def date_detector() -> RegexDetector:
    """A custom detector that masks every ISO date, to show which values were scanned."""
    return RegexDetector("iso_date", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", kind="date", triggers=("-",))


def now_iso(*, utc: bool = True, microseconds: bool = True, seconds: float = 0) -> str:
    """The current time (plus *seconds*) exactly as TimeStamper(fmt="iso", utc=utc) writes it."""
    now = datetime.datetime.now(tz=datetime.UTC) if utc else datetime.datetime.now()
    now += datetime.timedelta(seconds=seconds)
    if not microseconds:
        now = now.replace(microsecond=0)
    return now.isoformat().replace("+00:00", "Z")


def padded_email(length: int) -> str:
    """A fresh fake e-mail address of exactly *length* characters."""
    domain = "@example.com"
    return "".join(random.choices(string.ascii_lowercase, k=length - len(domain))) + domain


class TestTimestamps:
    """Values that are the current time in TimeStamper's ISO format pass unscanned; nothing else does."""

    @pytest.mark.parametrize("utc", [True, False], ids=["utc", "local"])
    @pytest.mark.parametrize("microseconds", [True, False], ids=["microseconds", "whole-second"])
    def test_current_timestamp_is_not_scanned(self, utc, microseconds):
        """Even a detector that masks dates leaves the clock's timestamp alone, as when TimeStamper runs later."""
        processor = RedactingProcessor(Redactor(add=[date_detector()]))

        for _ in range(2):  # the key is new, then known
            stamp = now_iso(utc=utc, microseconds=microseconds)
            event = {"event": "x", "timestamp": stamp}
            assert processor(None, "info", event) is event

    def test_timestamper_output_in_a_chain(self):
        """A processor after TimeStamper passes its timestamp through."""
        buffer = io.StringIO()
        chain = [TimeStamper(fmt="iso"), RedactingProcessor(Redactor(add=[date_detector()])), JSONRenderer()]
        log = logger_writing_to(buffer, chain)

        log.info("started", day="2001-02-03")

        document = json.loads(buffer.getvalue())
        assert document["day"] == "[REDACTED:date]"
        assert "[REDACTED" not in document["timestamp"]

    @pytest.mark.parametrize(
        "make",
        [
            pytest.param(lambda: "2001-02-03T04:05:06.123456Z", id="another-day"),
            pytest.param(lambda: now_iso()[:-1] + "+00:00", id="offset"),
            pytest.param(lambda: now_iso()[:-8] + ".\uff11\uff12\uff13\uff14\uff15\uff16Z", id="fullwidth-digits"),
            pytest.param(lambda: now_iso()[:-8] + ",123456Z", id="comma"),
            pytest.param(lambda: now_iso()[:-2] + "Z ", id="trailing"),
            pytest.param(lambda: now_iso().replace("T", " "), id="space"),
            pytest.param(lambda: now_iso(seconds=5), id="future"),
            pytest.param(lambda: now_iso(seconds=-10), id="past"),
            pytest.param(lambda: now_iso(utc=False, seconds=-10), id="past-local"),
        ],
    )
    def test_anything_else_of_that_shape_is_scanned(self, make):
        """A date that is not the clock's now, or not exactly in TimeStamper's format, is scanned as usual."""
        processor = RedactingProcessor(Redactor(add=[date_detector()]))

        for _ in range(2):
            result = processor(None, "info", {"event": "x", "timestamp": make()})
            assert result["timestamp"].startswith("[REDACTED:date]")

    def test_current_timestamp_under_a_sensitive_key_is_masked(self):
        """Key awareness comes first: a timestamp logged as a password is masked like any value."""
        processor = RedactingProcessor()

        assert processor(None, "info", {"event": "x", "password": now_iso()})["password"] == "[REDACTED:secret]"

    @pytest.mark.parametrize("length", [19, 20, 26, 27])
    def test_secrets_of_a_timestamps_length_are_masked(self, length):
        """Strings as long as a timestamp are checked against the clock, then scanned."""
        processor = RedactingProcessor()

        for _ in range(2):
            email = padded_email(length)
            assert processor(None, "info", {"event": "x", "when": email})["when"] == "[REDACTED:email]"


class TestKnownKeys:
    """Keys seen ordinary and clean skip their checks; their values never do."""

    def test_known_key_with_a_secret_value(self, secrets):
        """A key remembered as plain still has every new value scanned."""
        processor = RedactingProcessor()
        processor(None, "info", {"event": "x", "user": "alice"})

        result = processor(None, "info", {"event": "x", "user": secrets["email"]})

        assert result["user"] == "[REDACTED:email]"

    def test_sensitive_keys_and_meta_are_never_plain(self, secrets):
        """A sensitive key is masked every time; ProcessorFormatter's keys always pass untouched."""
        processor = RedactingProcessor()
        record = logging.makeLogRecord({"msg": secrets["email"]})

        for _ in range(3):
            result = processor(None, "info", {"event": "x", "password": "p", "_record": record, "_from_structlog": 1})
            assert result["password"] == "[REDACTED:secret]"
            assert result["_record"] is record

    @pytest.mark.parametrize(
        "extra",
        [
            pytest.param(lambda s: {"contact": s}, id="new-key"),
            pytest.param(lambda s: {"ip": s}, id="known-key"),
            pytest.param(lambda s: {"exc_info": ValueError(s)}, id="exc-info"),
            pytest.param(lambda s: {"stack_info": s}, id="stack-text"),
            pytest.param(lambda s: {"ip": [s]}, id="list-value"),
            pytest.param(lambda s: {s: "x"}, id="key-is-data"),
        ],
    )
    def test_event_of_known_clean_entries_plus_one_more(self, secrets, extra):
        """An event whose other entries are all known clean is still redacted wherever the secret sits."""
        processor = RedactingProcessor()
        clean = {"event": "user logged in", "user": "alice", "ip": "10.0.0.1"}
        for _ in range(2):
            assert processor(None, "info", dict(clean)) == clean

        result = processor(None, "info", {**clean, **extra(secrets["email"])})

        assert_clean(repr(result), secrets)
        assert "[REDACTED:email]" in repr(result)

    @pytest.mark.parametrize("name", ["DB_PASSWORD", "/prod/db/password", "API_TOKEN"])
    def test_name_value_fields_of_the_event(self, name):
        """An event that is itself a name/value record has its value masked by the name, as redact_value does."""
        processor = RedactingProcessor()
        value = "".join(random.choices(string.ascii_letters, k=12))
        clean = {"event": "setting", "name": "region", "value": "eu-west-1"}

        for _ in range(3):  # the keys and the clean value become known
            assert processor(None, "info", dict(clean)) == clean
            result = processor(None, "info", {"event": "setting", "name": name, "value": value})
            assert result["value"] == "[REDACTED:secret]"
            assert result["name"] == name

    def test_ssm_parameter_logged_as_fields_through_the_pipeline(self):
        """The fields logging adds (event, level, timestamp) do not make a seven-field record too large to read."""
        value = "".join(random.choices(string.ascii_letters, k=12))
        parameter = {
            "Name": "/prod/db/password",
            "Type": "SecureString",
            "Value": value,
            "Version": 3,
            "LastModifiedDate": "2026-01-01",
            "ARN": "arn:aws:ssm:eu-west-1:000000000000:parameter/prod/db/password",
            "DataType": "text",
        }
        chain = [add_log_level, TimeStamper(fmt="iso"), RedactingProcessor(), JSONRenderer()]

        output = render(chain, lambda log: log.info("fetched", **parameter))

        assert json.loads(output)["Value"] == "[REDACTED:secret]"
        assert value not in output

    def test_name_value_event_with_few_items_allowed(self):
        """A redactor that walks only one item of a mapping still masks the value of a name/value event."""
        value = "".join(random.choices(string.ascii_letters, k=12))
        processor = RedactingProcessor(Redactor(limits=redactlog.Limits(max_items=1)))

        result = processor(None, "info", {"name": "DB_PASSWORD", "value": value})

        assert value not in repr(result)

    def test_known_clean_entries_in_another_mapping_type(self, secrets):
        """Only a plain dict takes the short way; any other mapping is read in full."""
        processor = RedactingProcessor()
        processor(None, "info", {"event": "x", "user": "alice"})

        result = processor(None, "info", collections.OrderedDict(event="x", user="alice", note=secrets["email"]))

        assert result["note"] == "[REDACTED:email]"


def render(chain: list[Any], call: Any) -> str:
    buffer = io.StringIO()
    call(logger_writing_to(buffer, chain))
    return buffer.getvalue()


def clean_exception(log: Any) -> None:
    try:
        raise_with("nobody")
    except ValueError:
        log.exception("failed", attempt=2)


CLEAN_CALLS = [
    pytest.param(lambda log: log.info("user logged in", user="alice", ip="10.0.0.1"), id="fields"),
    pytest.param(lambda log: log.info("order", items=[{"sku": "A-1", "qty": 2}], total=9.5), id="nested"),
    pytest.param(lambda log: log.bind(request_id="r-1").warning("slow", ms=1234), id="bound"),
    pytest.param(clean_exception, id="exception"),
]


class TestCleanEventsUnchanged:
    @pytest.mark.parametrize("call", CLEAN_CALLS)
    def test_json_output_is_byte_identical(self, call):
        """A clean event renders exactly as it does without the processor."""
        bare = [add_log_level, format_exc_info, JSONRenderer()]
        redacted = [add_log_level, format_exc_info, RedactingProcessor(), JSONRenderer()]

        assert render(redacted, call) == render(bare, call)

    @pytest.mark.parametrize("call", CLEAN_CALLS)
    def test_exc_info_rendered_like_format_exc_info(self, call):
        """When exc_info reaches the processor, the result matches format_exc_info's."""
        assert render([RedactingProcessor(), JSONRenderer()], call) == render([format_exc_info, JSONRenderer()], call)


class TestStackInfo:
    def test_stack_info_is_rendered_at_the_callers_frame(self, secrets):
        """stack_info=True that reaches the processor becomes a redacted stack ending at the caller."""
        buffer = io.StringIO()
        log = logger_writing_to(buffer, [RedactingProcessor(), JSONRenderer()])

        log.info("where", stack_info=True, email=secrets["email"])

        stack = json.loads(buffer.getvalue())["stack"]
        assert stack.startswith("Stack (most recent call last):")
        assert "test_stack_info_is_rendered_at_the_callers_frame" in stack.splitlines()[-2]
        assert "redactlog" not in stack.replace("redactlog-tests", "")

    def test_stack_text_is_redacted(self, secrets):
        """A stack string (from a foreign record) is redacted like any text."""
        event = {"event": "x", "stack_info": f"Stack:\n  charge({secrets['email']!r})"}

        result = RedactingProcessor()(None, "info", event)

        assert result["stack_info"] == "Stack:\n  charge('[REDACTED:email]')"


def stdlib_logger_with(formatter: logging.Formatter) -> tuple[logging.Logger, io.StringIO]:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    logger = make_logger("redactlog-tests.processor-formatter")
    logger.addHandler(handler)
    return logger, buffer


def processor_formatter(renderer: Any) -> ProcessorFormatter:
    """The documented ProcessorFormatter set-up: one chain for structlog and foreign records."""
    return ProcessorFormatter(
        foreign_pre_chain=[add_log_level, ExtraAdder()],
        processors=[
            ProcessorFormatter.remove_processors_meta,
            format_exc_info,
            RedactingProcessor(),
            renderer,
        ],
    )


# Foreign records: plain logging calls.
def foreign_args(logger: logging.Logger, secret: str) -> None:
    logger.warning("payment from %s", secret)


def foreign_extra(logger: logging.Logger, secret: str) -> None:
    logger.warning("payment", extra={"customer": {"contact": secret}})


def foreign_exception(logger: logging.Logger, secret: str) -> None:
    try:
        raise_with(secret)
    except ValueError:
        logger.exception("failed")


def foreign_stack(logger: logging.Logger, secret: str) -> None:
    stack = f'Stack (most recent call last):\n  File "app.py", line 3, in pay\n    charge({secret!r})'
    logger.handle(logger.makeRecord(logger.name, logging.WARNING, "app.py", 3, "charging", (), None, sinfo=stack))


FOREIGN = [foreign_args, foreign_extra, foreign_exception, foreign_stack]


class TestProcessorFormatter:
    @pytest.mark.parametrize("place", FOREIGN, ids=lambda f: f.__name__)
    @pytest.mark.parametrize(
        "renderer", [JSONRenderer(), structlog.dev.ConsoleRenderer(colors=False)], ids=["json", "console"]
    )
    @pytest.mark.parametrize("kind", ["email", "github_token", "us_ssn", "stripe_signature"])
    def test_foreign_records(self, secrets, kind, renderer, place):
        """Records from plain logging are redacted by the processor inside ProcessorFormatter."""
        logger, buffer = stdlib_logger_with(processor_formatter(renderer))

        place(logger, secrets[kind])

        assert "[REDACTED" in buffer.getvalue()
        assert_clean(buffer.getvalue(), secrets)

    @pytest.mark.parametrize("place", PLACES, ids=lambda f: f.__name__)
    def test_structlog_records(self, secrets, place, restore_structlog):
        """structlog events routed through the stdlib handler are redacted by the same chain."""
        logger, buffer = stdlib_logger_with(processor_formatter(JSONRenderer()))
        structlog.configure(
            processors=[merge_contextvars, add_log_level, ProcessorFormatter.wrap_for_formatter],
            logger_factory=lambda *_: logger,
            wrapper_class=structlog.stdlib.BoundLogger,
            cache_logger_on_first_use=False,
        )

        place(structlog.get_logger(), secrets["phone"])

        assert "[REDACTED" in buffer.getvalue()
        assert_clean(buffer.getvalue(), secrets)
        json.loads(buffer.getvalue())

    def test_exc_info_of_foreign_record_without_format_exc_info(self, secrets):
        """A foreign record's exc_info tuple is rendered and redacted even if the chain forgot format_exc_info."""
        formatter = ProcessorFormatter(
            processors=[ProcessorFormatter.remove_processors_meta, RedactingProcessor(), JSONRenderer()]
        )
        logger, buffer = stdlib_logger_with(formatter)

        foreign_exception(logger, secrets["email"])

        assert "ValueError: charge failed for [REDACTED:email]" in json.loads(buffer.getvalue())["exception"]


class TestFailClosed:
    def test_failure_masks_every_value(self):
        """If redaction fails, values become placeholders, meta keys survive, and the failure is counted."""
        redactor = Redactor()
        record = logging.makeLogRecord({})

        result = RedactingProcessor(redactor)(None, "info", ExplodingEvent(event="a", user="b", _record=record))

        assert result == {
            "event": "[REDACTED:redaction_failed]",
            "user": "[REDACTED:redaction_failed]",
            "_record": record,
        }
        assert redactor.failures == 1

    def test_unreadable_event_dict(self):
        """An event dict that cannot even be listed yields just a placeholder event."""
        result = RedactingProcessor()(None, "info", UnreadableEvent(event="a"))

        assert result == {"event": "[REDACTED:redaction_failed]"}


class ExplodingEvent(dict[str, Any]):
    """An event dict whose lookups fail, as a broken custom mapping's would."""

    def get(self, key: str, default: Any = None) -> Any:
        raise RuntimeError("broken mapping")


class UnreadableEvent(ExplodingEvent):
    """An event dict that fails on every access."""

    def items(self) -> Any:
        raise RuntimeError("broken mapping")


class TestConcurrency:
    def test_threads(self):
        """Threads logging their own secrets at once leak none of them and lose no line."""
        buffer = io.StringIO()
        log = logger_writing_to(buffer, json_chain())
        per_thread = [make_secrets() for _ in range(8)]
        barrier = threading.Barrier(8)

        def work(secrets: Secrets) -> None:
            barrier.wait()
            for _ in range(25):
                log.info("call", email=secrets["email"], token=secrets["github_token"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(work, per_thread))

        assert len(buffer.getvalue().splitlines()) == 8 * 25
        for secrets in per_thread:
            assert_clean(buffer.getvalue(), secrets)

    def test_asyncio_tasks_with_contextvars(self):
        """Each task binds its own secrets in contextvars; none reaches the output."""
        buffer = io.StringIO()
        log = logger_writing_to(buffer, json_chain())
        per_task = [make_secrets() for _ in range(20)]

        async def work(secrets: Secrets) -> None:
            bind_contextvars(customer=secrets["email"], phone=secrets["phone"])
            for _ in range(5):
                await asyncio.sleep(0)
                log.info("step", ssn=secrets["us_ssn"])

        async def main() -> None:
            # Each task runs in a copy of the context, so bindings stay per task.
            await asyncio.gather(*(work(s) for s in per_task))

        asyncio.run(main())

        assert len(buffer.getvalue().splitlines()) == 20 * 5
        for secrets in per_task:
            assert_clean(buffer.getvalue(), secrets)


class TestPublicName:
    def test_exported(self):
        """RedactingProcessor is exported from the package."""
        assert "RedactingProcessor" in redactlog.__all__
