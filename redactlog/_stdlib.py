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
import sys
from collections.abc import Collection, Mapping
from typing import Any, Literal, cast

from redactlog._engine import FAILED, Redactor
from redactlog._structured import SMALL_INT, unique_key
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
# (as it does integers of fewer than seven digits); skipping them saves a call.
_SCALARS = (float, bool, type(None))

# Renders tracebacks exactly as logging.Formatter and structlog's
# format_exc_info do; formatException keeps no state, so sharing it is safe.
_DEFAULT_FORMATTER = logging.Formatter()

_FAILED_TEXT = f"[REDACTED:{FAILED}]"

# Keys structlog's ProcessorFormatter adds to an event dict for its own use.
_EVENT_META = frozenset({"_record", "_from_structlog"})


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
_UNSEEN = object()


class Scrubber:
    """Redacts records, event dicts and their fields with one redactor.

    Shared by the filter, the formatter and the structlog processor; each of
    them owns one, with its own memo of strings known to be clean.
    """

    __slots__ = ("_clean", "_kinds", "redactor")

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self._clean: set[str] = set()
        # Field names repeat even more than values; SensitiveKeys.kind_of has
        # a memo too, but a plain dict lookup here saves the method call.
        self._kinds: dict[object, str | None] = {}

    def text(self, text: str) -> str:
        """Return ``redactor.redact(text)``, remembering short clean texts."""
        clean = self._clean
        if text in clean:
            return text
        redacted = self.redactor.redact(text)
        if redacted is text and len(text) <= _MEMO_MAX_LENGTH:
            if len(clean) >= _MEMO_SIZE:
                clean.clear()
            clean.add(text)
        return redacted

    def kind_of(self, key: object) -> str | None:
        """Return the kind of secret held under *key*, or ``None`` (memoised)."""
        kinds = self._kinds
        kind = kinds.get(key, _UNSEEN)
        if kind is _UNSEEN:
            kind = self.redactor.sensitive_keys.kind_of(key)
            if len(kinds) >= _MEMO_SIZE:
                kinds.clear()
            kinds[key] = kind
        return kind  # type: ignore[return-value]  # _UNSEEN was replaced above

    def fields(self, fields: Mapping[Any, object], skip: Collection[object]) -> dict[Any, tuple[Any, object]]:
        """Return ``{key: (new key, new value)}`` for the entries of *fields* that change.

        The same rules as :meth:`Redactor.redact_value`, to whose walk it
        defers for everything but the common cases (a string or a small
        number under an ordinary key): values under sensitive keys are masked,
        and a key that is itself data (an e-mail address) is redacted too.
        Keys in *skip* are left alone. Never mutates *fields*.
        """
        redactor = self.redactor
        kinds = self._kinds
        clean = self._clean
        changes: dict[Any, tuple[Any, object]] = {}
        for key, value in fields.items():
            if key in skip:
                continue
            new: object
            kind = kinds.get(key, _UNSEEN)
            if kind is _UNSEEN:
                kind = self.kind_of(key)
            if kind is not None:
                # Rare: let the walker apply its mask (and its rules for None/"").
                walked = redactor.redact_value({key: value})
                if isinstance(walked, dict) and len(walked) == 1:
                    ((new_key, new),) = walked.items()
                    if new is not value or new_key is not key:
                        changes[key] = (new_key, new)
                else:  # the walker failed closed: keep its placeholder
                    changes[key] = (key, walked)
                continue
            if type(value) is str:
                new = value if value in clean else self.text(value)
            elif isinstance(value, _SCALARS) or (type(value) is int and -SMALL_INT < value < SMALL_INT):
                new = value
            else:
                new = redactor.redact_value(value)
            new_key = key if type(key) is not str or key in clean else self.text(key)
            if new is not value or new_key is not key:
                changes[key] = (new_key, new)
        return changes

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
        result: dict[Any, object] = {}
        for key, value in source.items():
            if key in changes:
                new_key, value = changes[key]  # noqa: PLW2901 - the redacted entry replaces it
                result[new_key if new_key is key else unique_key(new_key, result)] = value
            else:
                result[key] = value
        return result

    def record(self, record: logging.LogRecord, formatter: logging.Formatter) -> None:
        """Redact *record* in place: message and args, extras, traceback and stack."""
        msg = record.msg
        args = record.args
        if args:
            self._message_with_args(record, msg, args)
        elif type(msg) is str:
            new = self.text(msg)
            if new is not msg:
                record.msg = new
        else:
            self._message_object(record, msg)
        fields = record.__dict__
        if len(fields) > _FRESH_COUNT:
            for key, (new_key, value) in self.fields(fields, _STANDARD).items():
                if new_key is key:
                    setattr(record, key, value)
                else:  # an attribute named after data: JSON formatters print the name
                    delattr(record, key)
                    setattr(record, unique_key(new_key, cast("Mapping[object, object]", fields)), value)
        if record.exc_info or record.exc_text:
            self._exception(record, formatter)
        stack = record.stack_info
        if stack:
            redacted = self.redactor.redact(stack)
            if redacted is not stack:
                record.stack_info = redacted

    def _message_object(self, record: logging.LogRecord, msg: object) -> None:
        if isinstance(msg, Mapping):
            # python-json-logger dict messages and structlog's wrapped event dicts.
            record.msg = self.mapping(msg, _EVENT_META)
        else:
            record.msg = self.redactor.redact_value(msg)

    def _message_with_args(self, record: logging.LogRecord, msg: object, args: Any) -> None:
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
            record.msg = redactor.redact(template)
            shown: Any = redactor.redact_value(args) if safe_args is args else safe_args
            record.args = shown
            return
        redacted = redactor.redact(merged)
        if redacted is merged:
            if safe_args is not args:
                record.args = safe_args
            return
        # Something sensitive. Formatters may unpack args (uvicorn's access
        # log does), so keep them, redacted one by one, when that yields the
        # very text whole-message redaction gives; else merge.
        if safe_args is args and type(args) is tuple:
            text = self.text
            safe_args = tuple(text(arg) if type(arg) is str else arg for arg in args)
            if all(new is old for new, old in zip(safe_args, args, strict=True)):
                safe_args = args
        if safe_args is not args:
            try:
                if template % safe_args == redacted:
                    record.msg = template
                    record.args = safe_args
                    return
            except Exception:  # noqa: BLE001 - a masked argument may no longer fit "%d": merge
                pass
        record.msg = redacted
        record.args = ()

    def _exception(self, record: logging.LogRecord, formatter: logging.Formatter) -> None:
        text = record.exc_text
        if not text and record.exc_info:
            rendered = formatter.formatException(record.exc_info)
            # python-json-logger's formatException may return a list of lines.
            text = rendered if type(rendered) is str else _DEFAULT_FORMATTER.formatException(record.exc_info)
            record.exc_text = text
        if not text:
            return
        redacted = self.redactor.redact(text)
        if redacted is not text:
            record.exc_text = redacted
            # Formatters such as python-json-logger re-render exc_info and
            # ignore the cached text: drop the exception, keep only the text.
            record.exc_info = None


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
      something sensitive, the arguments are redacted one by one (keeping
      ``args`` for formatters that read them, such as uvicorn's access
      formatter) or, if that is not enough, the redacted merged text becomes
      ``msg`` and ``args`` becomes ``()``. Clean records are left untouched;
    * ``extra=`` fields (every attribute a fresh ``LogRecord`` lacks),
      recursively and key-aware: ``extra={"password": ...}`` is masked;
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

    def filter(self, record: logging.LogRecord) -> Literal[True]:
        """Redact *record* in place and return ``True``."""
        try:
            self._scrubber.record(record, _DEFAULT_FORMATTER)
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

    def format(self, record: logging.LogRecord) -> str:
        """Return the wrapped formatter's output for a redacted copy of *record*."""
        # A shallow copy, as structlog's ProcessorFormatter makes: other
        # handlers keep the original, and redaction never mutates values.
        # makeLogRecord would run LogRecord.__init__ (clock, thread, process
        # look-ups) only to overwrite every attribute it sets.
        copy = _copy_record(record)
        try:
            self._scrubber.record(copy, self.formatter)
        except Exception:  # noqa: BLE001 - logging must never raise into the application
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
    try:
        copy: logging.LogRecord = object.__new__(type(record))
        copy.__dict__.update(record.__dict__)
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
