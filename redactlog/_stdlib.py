"""stdlib :mod:`logging` integration: a handler filter, a formatter wrapper and :func:`install`.

The filter edits records *in place*. On Python 3.11 a filter's returned record
is ignored (the "return a new record" feature arrived in 3.12), so returning a
redacted copy would leak the original. Everything else follows from two facts
of :mod:`logging`:

* ``Logger.callHandlers`` hands the *same* record to every handler, so the
  filter must be idempotent: the second handler's filter sees a redacted record.
* Propagated records skip the filters of ancestor *loggers*, so redaction
  belongs on *handlers* (or in their formatter), never on a logger.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from redactlog._engine import FAILED, Redactor
from redactlog._finding import Finding
from redactlog._keys import remembered_as_a_name
from redactlog._structured import (
    NAMED_RECORD_SIZE,
    SMALL_INT,
    VALUE_FIELDS,
    holds_a_value,
    named_value,
    safe_str,
    unique_key,
)
from redactlog.detectors._digits import names_a_phone
from redactlog.exceptions import ConfigurationError

__all__ = ["RedactingFilter", "RedactingFormatter", "install"]

# Attribute names every LogRecord has (structlog's throw-away record trick), so
# that whatever else a record carries came from ``extra=`` or another filter.
# "asctime" is derived from ``created`` by Formatter.formatTime and holds no
# user data; "message" is deliberately *not* here: a handler that formatted the
# record before ours left the raw merged text in it.
_FRESH_KEYS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__)
_STANDARD = _FRESH_KEYS | {"asctime"}
# logging never deletes record attributes, so a record with no more attributes
# than a fresh one has no extras: one len() instead of a set difference.
_FRESH_COUNT = len(_FRESH_KEYS)

# Argument types whose %-formatting is their plain text, so redacting the
# merged message covers them; anything else (dicts, lists, objects) is walked
# key-aware first, because "%s" % {"password": x} loses the key's meaning.
_PLAIN = frozenset({str, int, float, bool, type(None)})
# Field values the engine's walker keeps as they are under a non-sensitive key
# (see _kept_by_walker); skipping them saves a call.
_SCALARS = (bool, type(None))

# Renders tracebacks exactly as logging.Formatter and structlog's
# format_exc_info do; formatException keeps no state, so sharing it is safe.
_DEFAULT_FORMATTER = logging.Formatter()

_FAILED_TEXT = f"[REDACTED:{FAILED}]"

# Fields structlog's usual processors and the stdlib bridge add to an event:
# they do not make an event too large to be a name/value record.
_PIPELINE_KEYS = frozenset({"event", "level", "timestamp", "logger", "logger_name", "exception", "stack"})
# Keys structlog's ProcessorFormatter adds to an event dict for its own use.
_EVENT_META = frozenset({"_record", "_from_structlog"})


def _kept_by_walker(value: object) -> bool:
    """Whether Redactor.redact_value keeps the non-str *value* as it is.

    ``None``, booleans, integers of fewer than seven digits and floats that
    are not whole numbers of seven digits or more (a card number that went
    through a JSON parser is one).
    """
    kind = type(value)
    if kind is int:
        return -SMALL_INT < value < SMALL_INT  # type: ignore[operator]
    if kind is float:
        return -SMALL_INT < value < SMALL_INT or not value.is_integer()  # type: ignore[operator,attr-defined]
    return isinstance(value, _SCALARS)


def _placeholder(redactor: Redactor) -> str:
    """Return the redactor's placeholder for a text that could not be redacted."""
    try:
        # The engine has no public way to ask for a placeholder; its private
        # helper keeps user-configured masks (FixedMask...) consistent.
        return redactor.placeholder(FAILED)
    except Exception:  # noqa: BLE001 - a broken mask must not break logging
        return _FAILED_TEXT


def _count_failure(redactor: Redactor) -> None:
    # The counter behind Redactor.failures; counting is best effort.
    with contextlib.suppress(Exception):
        redactor.count_failure()


def render_exception(value: object) -> str | None:
    """Return the traceback text for an ``exc_info`` value, or ``None`` if it names no exception.

    Mirrors structlog's ``format_exc_info``: an exception instance, an
    ``exc_info`` tuple, or any other true value (but a string, which is text
    a JSON formatter may print) for the exception being handled.
    """
    exc_info: Any
    if isinstance(value, str):
        return None
    if isinstance(value, BaseException):
        exc_info = (type(value), value, value.__traceback__)
    elif isinstance(value, tuple) and len(value) == 3 and isinstance(value[1], BaseException):  # noqa: PLR2004
        exc_info = value
    elif value:
        exc_info = sys.exc_info()
        if exc_info[1] is None:
            return None
    else:
        return None
    return _DEFAULT_FORMATTER.formatException(exc_info)


# Known-clean strings are remembered so that repeated values (event names,
# constant messages, hosts, methods) skip even the gate. Redaction is a pure
# function of the text and the immutable Redactor, so a clean verdict never
# goes stale. Bounded in count and length; cleared, not evicted, when full
# (as the engine's key memo is): set operations are atomic under the GIL.
_MEMO_SIZE = 4096
_MEMO_MAX_LENGTH = 128
# Templates are parsed once each (they are constants in the logging calls) and
# remembered once a record showed their own text clean; longer ones are parsed
# every time they hold a secret, which is rare.
_TEMPLATE_MAX_LENGTH = 1024
_UNSEEN = object()

# One conversion of a %-template: "%%", or "%" and the character after it.
_CONVERSION = re.compile(r"%.?", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Template:
    """A %-template whose conversions are all ``%s``, ``%d`` or ``%i``.

    ``literals`` are the texts around the conversions (one more than there are
    conversions, ``%%`` already read as ``%``); ``conversions`` their letters.
    """

    literals: tuple[str, ...]
    conversions: str


def _parse_template(template: str) -> _Template | None:
    """Split *template* around its conversions, or return ``None`` if one is not plain.

    A plain conversion renders an argument as its ``str()``: ``%s`` of a
    string, number or ``None``, ``%d``/``%i`` of an ``int``. Anything else
    (``%r``, widths, ``%(name)s``) changes the text in ways the filter does
    not map back to the argument.
    """
    literals: list[str] = []
    conversions: list[str] = []
    piece: list[str] = []
    position = 0
    for match in _CONVERSION.finditer(template):
        piece.append(template[position : match.start()])
        position = match.end()
        spec = match.group()
        if spec == "%%":
            piece.append("%")
        elif spec in ("%s", "%d", "%i"):
            literals.append("".join(piece))
            piece = []
            conversions.append(spec[1])
        else:
            return None
    piece.append(template[position:])
    literals.append("".join(piece))
    return _Template(tuple(literals), "".join(conversions))


# TimeStamper(fmt="iso") writes datetime.now().isoformat(): "YYYY-MM-DDTHH:MM:SS",
# then ".ffffff" unless the microseconds are 0, then "Z" in UTC (nothing in
# local time). Only values of these lengths are checked against the clock.
_STAMP_LENGTHS = frozenset({19, 20, 26, 27})
# How old (in whole seconds) a timestamp may be and still count as the clock's.
_CLOCK_WINDOW = 2
_SECOND = "%Y-%m-%dT%H:%M:%S"
_UTC = 1
_LOCAL = 2
# What may follow the seconds: [0-9], not \d, which matches digits of other scripts.
_FRACTION = re.compile(r"(?:\.[0-9]{6})?Z?")


class _Clock:
    """Recognises the current time written in TimeStamper's ISO format.

    Such a value is the date and time of one of the last few seconds, as the
    clock gave them, and at most six free ASCII digits (the microseconds): it
    has no room for an address, a phone, card or ID number, a token or a key,
    so it is passed through unscanned, exactly as it is when TimeStamper runs
    after the processor (the documented placement). Anything else of the same
    shape (a date of another day, a time of another second, other digits or
    separators) is scanned as usual.
    """

    __slots__ = ("_seconds", "_until")

    def __init__(self) -> None:
        # Date and time of each recent second -> _UTC | _LOCAL, for the
        # seconds up to _until, when the clock is read again. Replaced, never
        # mutated, so that threads never see it half-updated.
        self._seconds: dict[str, int] = {}
        self._until = 0.0

    def stamped(self, value: str) -> bool:
        """Return whether *value* is a timestamp of the last seconds as TimeStamper writes it."""
        if value[10:11] != "T":
            return False  # most values of these lengths are not timestamps at all
        second = value[:19]
        zones = self._seconds.get(second)
        if zones is None:
            zones = self._refresh().get(second)
            if zones is None:
                return False
        return _FRACTION.fullmatch(value, 19) is not None and bool(zones & (_UTC if value[-1] == "Z" else _LOCAL))

    def _refresh(self) -> dict[str, int]:
        # The clock is read only when a value misses, so at most about once
        # a second while timestamps keep coming.
        now = time.time()
        if now < self._until:
            return self._seconds
        second = int(now)
        seconds: dict[str, int] = {}
        for past in range(second - _CLOCK_WINDOW, second + 1):
            utc = time.strftime(_SECOND, time.gmtime(past))
            local = time.strftime(_SECOND, time.localtime(past))
            seconds[utc] = seconds.get(utc, 0) | _UTC
            seconds[local] = seconds.get(local, 0) | _LOCAL
        self._seconds = seconds
        self._until = float(second + 1)
        return seconds


class Scrubber:
    """Redacts records, event dicts and their fields with one redactor.

    Shared by the filter, the formatter and the structlog processor; each of
    them owns one, with its own memos (clean strings, key verdicts, parsed
    templates, the current second's timestamps).
    """

    __slots__ = ("_clock", "_kinds", "_templates", "clean_calls", "clean_texts", "plain_keys", "redactor")

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        # Short texts found clean. This and the other two public memos are
        # cleared in place, never replaced: the filter and the processor keep
        # references to them for their checks of the commonest record.
        self.clean_texts: set[str] = set()
        # (template, str arguments) whose merged message is in clean_texts: a call
        # logged again with equal strings is known clean without formatting.
        # Only str arguments: 1, 1.0 and True are equal but format differently.
        self.clean_calls: set[tuple[str, tuple[object, ...]]] = set()
        # Field names repeat even more than values; SensitiveKeys.kind_of has
        # a memo too, but a plain dict lookup here saves the method call.
        self._kinds: dict[object, str | None] = {}
        # String keys that are not sensitive and whose own text is clean: the
        # common case, decided with one set lookup per entry.
        self.plain_keys: set[str] = set()
        self._templates: dict[str, _Template] = {}
        self._clock = _Clock()

    def text(self, text: str) -> str:
        """Return ``redactor.redact(text)``, remembering short clean texts."""
        clean = self.clean_texts
        short = len(text) <= _MEMO_MAX_LENGTH
        if short and text in clean:
            return text
        redacted = self.redactor.redact(text)
        if short and redacted is text:
            self._remember(text)
        return redacted

    def value_text(self, text: str) -> str:
        """Return a field value redacted: as :meth:`text`, but the clock's timestamps pass as they are (see _Clock)."""
        if len(text) in _STAMP_LENGTHS and text[10:11] == "T" and self._clock.stamped(text):
            return text
        return self.text(text)

    def _remember(self, text: str) -> None:
        clean = self.clean_texts
        if len(clean) >= _MEMO_SIZE:
            clean.clear()
        clean.add(text)

    def kind_of(self, key: object) -> str | None:
        """Return the kind of secret held under *key*, or ``None`` (memoised)."""
        kinds = self._kinds
        kind = kinds.get(key, _UNSEEN)
        if kind is _UNSEEN:
            kind = self.redactor.sensitive_keys.kind_of(key)
            # Only names: a key that is data (an address, a card number) is not kept.
            if type(key) is str and remembered_as_a_name(key):
                if len(kinds) >= _MEMO_SIZE:
                    kinds.clear()
                kinds[key] = kind
        return kind  # type: ignore[return-value]  # _UNSEEN was replaced above

    def fields(self, fields: Mapping[Any, object], skip: Collection[object]) -> dict[Any, tuple[Any, object]] | None:
        """Return ``{key: (new key, new value)}`` for the entries of *fields* that change, or ``None``.

        The same rules as :meth:`Redactor.redact_value`, to whose walk it
        defers for everything but the common cases (a string or a small
        number under an ordinary key): values under sensitive keys are masked,
        and a key that is itself data (an e-mail address) is redacted too.
        Keys in *skip* are left alone. Never mutates *fields*.
        """
        plain = self.plain_keys
        clean = self.clean_texts
        changes: dict[Any, tuple[Any, object]] | None = None
        change: tuple[Any, object] | None
        for key, value in fields.items():
            if type(key) is str and key in plain:
                # An ordinary name: only the value can change. (A long value
                # is never in the memo; hashing it costs less than its scan.)
                if type(value) is str:
                    if value in clean:
                        continue
                    new: object = self.value_text(value)
                elif _kept_by_walker(value):
                    continue
                else:
                    new = self.redactor.redact_value(value)
                if new is value:
                    continue
                change = (key, new)
            elif key in skip:
                continue
            else:
                change = self._field(key, value, fields, skip)
                if change is None:
                    continue
            if changes is None:
                changes = {}
            changes[key] = change
        return changes

    def _field(
        self, key: object, value: object, fields: Mapping[Any, object], skip: Collection[object]
    ) -> tuple[Any, object] | None:
        """Return the new ``(key, value)`` of an entry of *fields* whose key is not known to be plain, or ``None``."""
        redactor = self.redactor
        kind = self.kind_of(key)
        new: object
        if kind is None and type(key) is str and key.lower() in VALUE_FIELDS:
            # The value of a name/value record, log.info("set", name="DB_PASSWORD",
            # value=...), is masked by its name as Redactor.redact_value masks it
            # in a dict. A value field never becomes plain, so this runs for
            # every such entry. The fields logging itself adds do not count
            # towards the size of the record.
            own = sum(1 for k in fields if k not in skip and k not in _PIPELINE_KEYS)
            named = named_value(fields, self.kind_of) if own <= NAMED_RECORD_SIZE else None
            if named is not None and named[0] is key:
                return (key, redactor.mask(safe_str(value), named[1])) if holds_a_value(value) else None
        if kind is not None or (type(key) is str and names_a_phone(key)):
            # Rare: let the walker apply its mask (and its rules for None/""),
            # or read a phone field's value with its name as context. Such a
            # key never becomes plain.
            walked = redactor.redact_value({key: value})
            if isinstance(walked, dict) and len(walked) == 1:
                ((new_key, new),) = walked.items()
                return (new_key, new) if new is not value or new_key is not key else None
            return (key, walked)  # the walker failed closed: keep its placeholder
        if type(value) is str:
            new = self.value_text(value)
        elif _kept_by_walker(value):
            new = value
        else:
            new = redactor.redact_value(value)
        renamed: object = key
        if type(key) is str:
            renamed = self.text(key)
            if renamed is key and key not in _EVENT_META and key.lower() not in VALUE_FIELDS:
                plain = self.plain_keys
                if len(plain) >= _MEMO_SIZE:
                    plain.clear()
                plain.add(key)
        return (renamed, new) if new is not value or renamed is not key else None

    def mapping(self, mapping: Mapping[Any, object], skip: Collection[object] = ()) -> Mapping[Any, object]:
        """Return *mapping* redacted: itself when clean, else a redacted ``dict`` copy.

        An exception under ``exc_info`` is rendered into an ``exception``
        string first (as structlog's ``format_exc_info`` would), because a
        renderer later in the chain would otherwise print the raw exception.
        """
        source = mapping
        if "exc_info" in mapping:
            text = render_exception(mapping["exc_info"])
            if text is not None or not mapping["exc_info"]:
                copy = dict(mapping)
                del copy["exc_info"]
                if text is not None:
                    copy["exception"] = text
                source = copy
        changes = self.fields(source, skip)
        if not changes:
            return source
        if type(source) is dict:
            # The common case, no key renamed: a clone of the table, then the
            # changed values in place (the order of keys stays as it was).
            cloned: dict[Any, object] = source.copy()
            for key, (new_key, value) in changes.items():
                if new_key is not key:
                    break
                cloned[key] = value
            else:
                return cloned
        result: dict[Any, object] = {}
        for key, value in source.items():
            if key in changes:
                new_key, value = changes[key]  # noqa: PLW2901 - the redacted entry replaces it
                result[new_key if new_key is key else unique_key(new_key, result)] = value
            else:
                result[key] = value
        return result

    def screen(self, record: logging.LogRecord) -> bool | str:
        """Return ``True`` for a record seen clean before: a remembered message and nothing else.

        The cheap check for the commonest record, ``log.info(template,
        *plain_args)`` with no extras, exception or stack, logged again with
        the same message. Otherwise, when it merged the message of plain
        arguments, it returns that message for :meth:`record` to reuse; and
        ``False`` when it cannot tell.
        """
        # Subscripts of the attribute dict cost less than attribute look-ups;
        # a record without the standard attributes is left to record().
        attributes = record.__dict__
        try:
            msg = attributes["msg"]
            if (
                type(msg) is not str
                or len(attributes) != _FRESH_COUNT
                or attributes["exc_info"]
                or attributes["exc_text"]
                or attributes["stack_info"]
            ):
                return False
            args = attributes["args"]
        except KeyError:
            return False
        if args:
            if type(args) is not tuple:
                return False
            # A loop beats _PLAIN.issuperset(map(...)), which builds a set.
            only_str = True
            for arg in args:
                kind = type(arg)
                if kind is not str:
                    if kind not in _PLAIN:
                        return False
                    only_str = False
            if only_str and (msg, args) in self.clean_calls:
                return True
            return self.screen_call(msg, args, only_str=only_str)
        return len(msg) <= _MEMO_MAX_LENGTH and msg in self.clean_texts

    def screen_call(self, msg: str, args: tuple[object, ...], *, only_str: bool) -> bool | str:
        """:meth:`screen` for a record already checked: fresh, *args* plain values and not a remembered clean call.

        *only_str* says whether every argument is a ``str`` (only such calls are remembered).
        """
        try:
            merged = msg % args
        except Exception:  # noqa: BLE001 - record() reports it as logging would
            return False
        if len(merged) <= _MEMO_MAX_LENGTH and merged in self.clean_texts:
            if only_str:
                calls = self.clean_calls
                if len(calls) >= _MEMO_SIZE:
                    calls.clear()
                calls.add((msg, args))
            return True
        return merged

    def record(
        self,
        record: logging.LogRecord,
        formatter: logging.Formatter,
        *,
        copy: bool = False,
        screened: bool | str = False,
    ) -> logging.LogRecord:
        """Return *record* redacted: message and args, extras, traceback and stack.

        Edits *record* in place, or with *copy* edits a shallow copy, made
        only when something changes (a clean record is returned as is).
        *screened* is what :meth:`screen` returned for the record.
        """
        msg = record.msg
        args = record.args
        message: tuple[object, Any] | None
        if type(screened) is str:
            # screen() merged plain args into this message and found nothing
            # else in the record (no extras, exception or stack) to redact.
            message = self._masked_message(msg, args, screened)
            if message is None:
                return record
            target = _copy_record(record) if copy else record
            target.msg, target.args = message
            return target
        if args:
            message = self._message_with_args(msg, args)
        elif type(msg) is str:
            new = self.text(msg)
            message = None if new is msg else (new, args)
        else:
            message = self._message_object(msg, args)
        fields = record.__dict__
        extras = None
        # logging never deletes record attributes, so a record with no more
        # attributes than a fresh one has no extras: one len() first.
        if len(fields) > _FRESH_COUNT:
            names = fields.keys() - _STANDARD
            if names:
                ordered = [name for name in fields if name in names] if len(names) > 1 else names
                extras = self.fields({name: fields[name] for name in ordered}, ())
        exception = self._exception(record, formatter) if record.exc_info or record.exc_text else None
        stack = record.stack_info
        if stack:
            redacted = self.redactor.redact(stack)
            stack = None if redacted is stack else redacted
        if message is None and not extras and exception is None and stack is None:
            return record
        target = _copy_record(record) if copy else record
        if message is not None:
            target.msg, target.args = message
        if extras:
            attributes: dict[Any, object] = target.__dict__
            for key, (new_key, value) in extras.items():
                if new_key is key:
                    attributes[key] = value
                else:  # an attribute named after data: JSON formatters print the name
                    del attributes[key]
                    attributes[unique_key(new_key, attributes)] = value
        if exception is not None:
            target.exc_text, keep = exception
            if not keep:
                # Formatters such as python-json-logger re-render exc_info and
                # ignore the cached text: drop the exception, keep only the text.
                target.exc_info = None
        if stack is not None:
            target.stack_info = stack
        return target

    def _message_object(self, msg: object, args: Any) -> tuple[object, Any] | None:
        if isinstance(msg, Mapping):
            # python-json-logger dict messages and structlog's wrapped event dicts.
            new: object = self.mapping(msg, _EVENT_META)
        else:
            new = self.redactor.redact_value(msg)
        return None if new is msg else (new, args)

    def _message_with_args(self, msg: object, args: Any) -> tuple[object, Any] | None:
        """Return the record's new ``(msg, args)``, or ``None`` when both stay as they are."""
        redactor = self.redactor
        safe_args: Any = args
        if type(args) is not tuple or not _PLAIN.issuperset(map(type, args)):
            safe_args = redactor.redact_value(args)
        template = msg if type(msg) is str else str(msg)
        try:
            merged = template % safe_args
        except Exception:  # noqa: BLE001 - a bad format string is the handler's to report
            # Keep the failure for the handler to report (as logging does), but
            # let it print only redacted text in its "Message: ... Arguments: ...".
            shown: Any = redactor.redact_value(args) if safe_args is args else safe_args
            return redactor.redact(template), shown
        unchanged = None if safe_args is args else (msg, safe_args)
        short = type(merged) is str and len(merged) <= _MEMO_MAX_LENGTH
        if short and merged in self.clean_texts:
            return unchanged
        return self._masked_message(template, args, merged, safe_args, unchanged)

    def _masked_message(
        self,
        template: str,
        args: Any,
        merged: str,
        safe_args: Any = None,
        unchanged: tuple[object, Any] | None = None,
    ) -> tuple[object, Any] | None:
        """Return the new ``(msg, args)`` for the merged message *merged* not known clean, or *unchanged*.

        Without *safe_args*, the arguments are plain and *merged* is
        ``template % args`` (as :meth:`screen` found them).
        """
        redactor = self.redactor
        if safe_args is None:
            safe_args = args
        # One detection gives both the verdict and, for a record holding
        # something, where it is: enough to mask the arguments themselves.
        redacted, findings = redactor.redact_with_findings(merged)
        if redacted is merged or (not findings and redacted == merged):
            if len(merged) <= _MEMO_MAX_LENGTH and redacted is merged:
                self._remember(merged)
            return unchanged
        # Something sensitive. Formatters may unpack args (uvicorn's access
        # log does), so keep them, masked one by one, when that yields the
        # very text whole-message redaction gives; else merge.
        if safe_args is args and type(args) is tuple:
            parsed = self._templates.get(template)
            known = parsed is not None
            if parsed is None:
                parsed = _parse_template(template)
            if parsed is not None:
                single = len(findings) == 1
                masked = (
                    _mask_one_arg(parsed, args, merged, redacted, findings[0])
                    if single
                    else self._mask_args(parsed, args, merged, redacted, findings)
                )
                if masked is not None:
                    # Every finding lies in an argument, so the template's
                    # own text is clean: it may be remembered.
                    if not known:
                        self._remember_template(template, parsed)
                    if single and len(merged) <= redactor.limits.max_length:
                        # Cut from the very text redacted whole: the message
                        # it gives is that text. (Several findings are masked
                        # one by one, and a mask need not give the same
                        # placeholder twice: those are compared below.)
                        return template, masked
                    safe_args = masked
            else:
                # A template with %r, widths or the like: mask each string
                # argument on its own (a second detection) and let the
                # comparison below decide.
                text = self.text
                safe_args = tuple(text(arg) if type(arg) is str else arg for arg in args)
                if all(new is old for new, old in zip(safe_args, args, strict=True)):
                    safe_args = args
        if safe_args is not args:
            try:
                if template % safe_args == redacted:
                    return template, safe_args
            except Exception:  # noqa: BLE001 - a masked argument may no longer fit "%d": merge
                pass
        return redacted, ()

    def _remember_template(self, template: str, parsed: _Template) -> None:
        # Only templates whose own text held no finding: an f-string template
        # ("user {email} did %s") must not be kept.
        templates = self._templates
        if len(template) <= _TEMPLATE_MAX_LENGTH and template not in templates:
            if len(templates) >= _MEMO_SIZE:
                templates.clear()
            templates[template] = parsed

    def _mask_args(
        self, template: _Template, args: tuple[object, ...], merged: str, redacted: str, findings: list[Finding]
    ) -> tuple[object, ...] | None:
        """Return *args* with every finding of the merged message masked inside its argument.

        Returns ``None`` when a finding is not wholly inside one argument that
        ``%s`` renders as its ``str()``: it covers template text
        (``"password=%s"``), spans two arguments, or lies in a number that
        ``%d`` must keep formatting. With several findings, the caller still
        checks that the masked arguments give exactly the redacted message.
        """
        conversions = template.conversions
        if len(conversions) != len(args) or not findings:
            return None
        # (argument number, its start in the merged message, its text, its findings)
        touched: list[tuple[int, int, str, list[Finding]]] = []
        index = 0
        count = len(findings)
        next_start = findings[0].start
        spans = _arg_spans(template, args, findings[-1].start)
        if spans is None:
            return None
        for number, position, end in spans:
            if next_start < end:
                first = index
                while index < count and findings[index].start < end:
                    finding = findings[index]
                    if finding.start < position or finding.end > end or conversions[number] != "s":
                        return None
                    index += 1
                touched.append((number, position, merged[position:end], findings[first:index]))
                if index == count:
                    # The arguments after the last finding stay as they are.
                    break
                next_start = findings[index].start
        if index < count:
            return None
        masked = list(args)
        if len(touched) == 1:
            # Everything around the one argument is as it was: its masked
            # text is what the redacted message holds between the two.
            ((number, start, text, _),) = touched
            masked[number] = redacted[start : len(redacted) - (len(merged) - start - len(text))]
            return tuple(masked)
        mask = self.redactor.mask
        for number, start, text, found in touched:
            pieces: list[str] = []
            cursor = 0
            for finding in found:
                pieces.append(text[cursor : finding.start - start])
                pieces.append(mask(text[finding.start - start : finding.end - start], finding.kind))
                cursor = finding.end - start
            pieces.append(text[cursor:])
            masked[number] = "".join(pieces)
        return tuple(masked)

    def _exception(self, record: logging.LogRecord, formatter: logging.Formatter) -> tuple[str, bool] | None:
        """Return the record's new ``(exc_text, keep exc_info)``, or ``None`` when it stays as it is."""
        text = record.exc_text
        rendered = False
        if not text and record.exc_info:
            formatted = formatter.formatException(record.exc_info)
            # python-json-logger's formatException may return a list of lines.
            text = formatted if type(formatted) is str else _DEFAULT_FORMATTER.formatException(record.exc_info)
            rendered = True
        if not text:
            return None
        redacted = self.redactor.redact(text)
        if redacted is not text:
            return redacted, False
        # Clean: cache the rendering, as Formatter.format would.
        return (text, True) if rendered else None


def _rendered(conversion: str, arg: object) -> str | None:
    """Return what conversion ``%s``, ``%d`` or ``%i`` writes for *arg*, or ``None`` when it is not ``str(arg)``.

    ``%d`` of a float or a bool writes other text than its ``str()``: findings
    are not mapped back into such an argument.
    """
    if conversion == "s":
        return arg if type(arg) is str else str(arg)
    return str(arg) if type(arg) is int else None


def _arg_spans(template: _Template, args: tuple[object, ...], until: int) -> list[tuple[int, int, int]] | None:
    """Return the number and span in the merged message of each argument up to the one that ends after *until*.

    ``None`` when one of them is an argument whose text is not its ``str()``
    (``%d`` of a float): the filter does not map findings back into such an
    argument. The template has one conversion per argument.
    """
    literals = template.literals
    conversions = template.conversions
    spans: list[tuple[int, int, int]] = []
    position = len(literals[0])
    for number, arg in enumerate(args):
        text = _rendered(conversions[number], arg)
        if text is None:
            return None
        end = position + len(text)
        spans.append((number, position, end))
        if end > until:
            break
        position = end + len(literals[number + 1])
    return spans


def _mask_one_arg(
    template: _Template, args: tuple[object, ...], merged: str, redacted: str, finding: Finding
) -> tuple[object, ...] | None:
    """Scrubber._mask_args for the commonest case, a single finding: the same rules, a shorter walk.

    The walk of :func:`_arg_spans` without its list: it runs for every record
    that holds a secret, and stops at the argument the finding starts in.
    """
    literals = template.literals
    conversions = template.conversions
    if len(conversions) != len(args):
        return None
    start = finding.start
    end = finding.end
    position = len(literals[0])
    for number, arg in enumerate(args):
        conversion = conversions[number]
        if type(arg) is str and conversion == "s":  # the commonest argument, without a call
            after = position + len(arg)
        else:
            text = _rendered(conversion, arg)
            if text is None:
                return None
            after = position + len(text)
        if start < after:
            if start < position or end > after or conversion != "s":
                return None
            # Everything around the argument is as it was: its masked text is
            # what the redacted message holds between the two.
            masked = list(args)
            masked[number] = redacted[position : len(redacted) - (len(merged) - after)]
            return tuple(masked)
        position = after + len(literals[number + 1])
    return None


def _fail_closed(redactor: Redactor, record: logging.LogRecord) -> None:
    """Replace everything a record carries by the failure placeholder."""
    _count_failure(redactor)
    placeholder = _placeholder(redactor)
    record.msg = placeholder
    record.args = ()
    record.exc_info = None
    record.exc_text = None
    record.stack_info = None
    with contextlib.suppress(Exception):  # never raise from a filter
        for key in [k for k in record.__dict__ if k not in _STANDARD]:
            setattr(record, key, placeholder)


class RedactingFilter(logging.Filter):
    """A :class:`logging.Filter` that redacts every record passing through a handler.

    Attach it to **handlers**, not loggers: a filter on a logger does not see
    records propagated from its child loggers (``logging.getLogger("app")``'s
    filters never see ``logging.getLogger("app.db")``'s records), so a filter
    on the root logger protects almost nothing. :func:`install` attaches it to
    every handler of a logger.

    The record is edited in place (on Python 3.11 a filter cannot substitute a
    copy), so every later handler sees the redacted record too:

    * the message: ``msg % args`` is checked as one text; when it holds
      something sensitive, what was found is masked inside the arguments it
      lies in (keeping ``args`` for formatters that read them, such as
      uvicorn's access formatter) or, if a finding is not inside one
      argument, the redacted merged text becomes ``msg`` and ``args``
      becomes ``()``. Clean records are left untouched;
    * ``extra=`` fields (every attribute a fresh ``LogRecord`` lacks),
      recursively and key-aware: ``extra={"password": ...}`` is masked; a
      value that is the current time as structlog's ``TimeStamper(fmt="iso")``
      writes it passes unscanned;
    * the traceback: ``exc_info`` is rendered into the cached ``exc_text``
      (which formatters reuse) and redacted; if it held something sensitive,
      ``exc_info`` is set to ``None`` so that no formatter renders the raw
      exception again;
    * ``stack_info``.

    The filter always returns ``True`` (it never drops a record), never raises,
    and is idempotent, so one instance may serve several handlers. It adds no
    marker attribute (which JSON formatters would print); a second pass costs
    one more redaction of already redacted text. If redaction itself fails,
    the message, arguments, extras and traceback are all replaced by the
    ``redaction_failed`` placeholder.

    Args:
        redactor: The redactor to use; ``None`` for ``Redactor()``.

    .. versionadded:: 0.1.0
    """

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self.redactor = redactor if redactor is not None else Redactor()
        self._scrubber = Scrubber(self.redactor)
        self._clean_calls = self._scrubber.clean_calls

    def filter(self, record: logging.LogRecord) -> Literal[True]:
        """Redact *record* in place and return ``True``."""
        try:
            # The commonest record, a call logged before with the same str
            # arguments and nothing else, is decided here: this is
            # Scrubber.screen's first test inlined, since a call costs about a
            # tenth of what a clean record may add to the bare logging call.
            scrubber = self._scrubber
            screened: bool | str | None = None
            attributes = record.__dict__
            try:
                msg = attributes["msg"]
                if (
                    type(msg) is str
                    and len(attributes) == _FRESH_COUNT
                    and not (attributes["exc_info"] or attributes["exc_text"] or attributes["stack_info"])
                ):
                    args = attributes["args"]
                    if type(args) is tuple and args:
                        # Only str: equal arguments of other types may format
                        # differently, or compare equal while printing a secret.
                        for arg in args:
                            if type(arg) is not str:
                                break
                        else:
                            if (msg, args) in self._clean_calls:
                                return True
                            # Checked already: the rest of screen() only.
                            screened = scrubber.screen_call(msg, args, only_str=True)
            except KeyError:
                pass  # a record without the standard attributes: record() deals with it
            if screened is None:
                screened = scrubber.screen(record)
            if screened is not True:
                scrubber.record(record, _DEFAULT_FORMATTER, screened=screened)
        except Exception:  # noqa: BLE001 - logging must never raise into the application
            _fail_closed(self.redactor, record)
        return True


class RedactingFormatter(logging.Formatter):
    """A :class:`logging.Formatter` that formats a redacted copy of each record.

    Use it where you choose the formatter but not the handler's filters (a
    framework creates the handlers later), or where other handlers must see
    the original record. It wraps any formatter, JSON formatters included,
    and gives it a redacted copy, made as :func:`RedactingFilter` would
    redact the record but leaving the original untouched. Tracebacks are
    rendered with the wrapped formatter's own ``formatException``.

    Only data carried by the record is redacted; text the wrapped formatter
    adds from elsewhere (context variables, say) is not.

    Args:
        formatter: The formatter that produces the output; ``None`` builds a
            :class:`logging.Formatter` from *fmt*, *datefmt*, *style*,
            *validate* and *defaults* (so that ``dictConfig`` can build one
            with ``"()": "redactlog.RedactingFormatter"``).
        redactor: The redactor to use; ``None`` for ``Redactor()``.
        fmt: As for :class:`logging.Formatter`.
        datefmt: As for :class:`logging.Formatter`.
        style: As for :class:`logging.Formatter`.
        validate: As for :class:`logging.Formatter`.
        defaults: As for :class:`logging.Formatter`.

    .. versionadded:: 0.1.0
    """

    def __init__(  # noqa: PLR0913 - mirrors logging.Formatter's parameters
        self,
        formatter: logging.Formatter | None = None,
        *,
        redactor: Redactor | None = None,
        fmt: str | None = None,
        datefmt: str | None = None,
        style: Literal["%", "{", "$"] = "%",
        validate: bool = True,
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(fmt, datefmt, style, validate, defaults=defaults)
        self.formatter = (
            formatter if formatter is not None else logging.Formatter(fmt, datefmt, style, validate, defaults=defaults)
        )
        self.redactor = redactor if redactor is not None else Redactor()
        self._scrubber = Scrubber(self.redactor)
        self._clean_calls = self._scrubber.clean_calls

    def format(self, record: logging.LogRecord) -> str:
        """Return the wrapped formatter's output for a redacted copy of *record*."""
        # Redaction goes to a shallow copy, as structlog's ProcessorFormatter
        # makes, so that other handlers keep the original; it is made only
        # when something changes (a clean record is formatted as it is, as
        # the wrapped formatter alone would format it).
        scrubber = self._scrubber
        try:
            # A call logged before with the same str arguments and nothing else
            # is formatted as it is: RedactingFilter.filter's first test, inlined
            # here for the same reason (a call costs about a tenth of what a
            # clean record may add to the bare logging call).
            copy = None
            screened: bool | str | None = None
            attributes = record.__dict__
            try:
                msg = attributes["msg"]
                if (
                    type(msg) is str
                    and len(attributes) == _FRESH_COUNT
                    and not (attributes["exc_info"] or attributes["exc_text"] or attributes["stack_info"])
                ):
                    args = attributes["args"]
                    if type(args) is tuple and args:
                        for arg in args:
                            if type(arg) is not str:
                                break
                        else:
                            if (msg, args) in self._clean_calls:
                                copy = record
                            else:
                                screened = scrubber.screen_call(msg, args, only_str=True)
            except KeyError:
                pass  # a record without the standard attributes: record() deals with it
            if copy is None:
                if screened is None:
                    screened = scrubber.screen(record)
                copy = (
                    record
                    if screened is True
                    else scrubber.record(record, self.formatter, copy=True, screened=screened)
                )
        except Exception:  # noqa: BLE001 - logging must never raise into the application
            copy = _copy_record(record)
            _fail_closed(self.redactor, copy)
        try:
            return self.formatter.format(copy)
        except Exception:  # noqa: BLE001 - see below
            # Raising would make the handler print the *original* record's
            # msg and args ("--- Logging error ---"); print the redacted ones.
            try:
                return f"{copy.msg} {copy.args!r}"
            except Exception:  # noqa: BLE001 - hostile reprs
                return _placeholder(self.redactor)

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        """Return the wrapped formatter's traceback text, redacted."""
        return self.redactor.redact(self.formatter.formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging's name
        """Return the wrapped formatter's stack text, redacted."""
        return self.redactor.redact(self.formatter.formatStack(stack_info))

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        """Return the wrapped formatter's time text."""
        return self.formatter.formatTime(record, datefmt)

    def usesTime(self) -> bool:  # noqa: N802 - logging's name
        """Return whether the wrapped formatter shows the time."""
        return self.formatter.usesTime()


def _copy_record(record: logging.LogRecord) -> logging.LogRecord:
    # makeLogRecord would run LogRecord.__init__ (clock, thread, process
    # look-ups) only to overwrite every attribute it sets.
    try:
        copy: logging.LogRecord = object.__new__(type(record))
        # dict.copy() clones the attribute table; update() inserts key by key.
        copy.__dict__ = record.__dict__.copy()
    except Exception:  # noqa: BLE001 - an exotic LogRecord subclass: take the documented way
        return logging.makeLogRecord(record.__dict__)
    return copy


def install(redactor: Redactor | None = None, logger: logging.Logger | str | None = None) -> RedactingFilter:
    """Attach a :class:`RedactingFilter` to every handler of a logger.

    Handlers that already have a :class:`RedactingFilter` keep it, so calling
    ``install()`` twice is harmless. Only the handlers present now are
    covered: call it after logging is configured (``logging.basicConfig()``,
    ``dictConfig``), or configure the filter in ``dictConfig`` itself.

    Args:
        redactor: The redactor to use; ``None`` for ``Redactor()``.
        logger: The logger (or its name) whose handlers to guard; ``None`` for
            the root logger, which is where propagated records end up.

    Returns:
        The filter that was attached to the handlers that lacked one.

    Raises:
        ConfigurationError: If the logger has no handlers: its records
            propagate to its ancestors' handlers, which is where the filter
            belongs (or logging is not configured yet).

    .. versionadded:: 0.1.0
    """
    target = logger if isinstance(logger, logging.Logger) else logging.getLogger(logger)
    handlers = list(target.handlers)
    if not handlers:
        name = target.name
        msg = (
            f"logger {name!r} has no handlers: configure logging first, or install on the logger "
            "whose handlers write the records (the root logger unless propagate is False)"
        )
        raise ConfigurationError(msg)
    redacting = RedactingFilter(redactor)
    for handler in handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(redacting)
    return redacting
