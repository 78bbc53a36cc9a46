"""structlog integration: a processor that redacts the event dict."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from structlog.processors import StackInfoRenderer

from redactlog._engine import Redactor
from redactlog._stdlib import _EVENT_META, Scrubber, _count_failure, _placeholder

__all__ = ["RedactingProcessor"]

# Renders ``stack_info=True`` at the caller's frame: structlog's own frames are
# skipped by default, ours by name.
_STACK_RENDERER = StackInfoRenderer(additional_ignores=["redactlog"])


class RedactingProcessor:
    """A structlog processor that redacts every value of the event dict.

    Values are redacted recursively and key-aware, like
    :meth:`Redactor.redact_value`: ``log.info("login", password=pw)`` and
    ``headers={"Authorization": ...}`` are masked whatever they hold, and the
    ``event`` string, nested dicts and lists, and rendered traceback and stack
    text are scanned for personal data and credentials. The caller's objects
    are never mutated: when something changes the processor returns a new
    dict (nested containers are copied only where they change); when nothing
    does it returns the event dict it was given.

    Place it after the processors that add data worth redacting
    (``merge_contextvars``, ``format_exc_info`` or ``dict_tracebacks``,
    ``StackInfoRenderer``) and before the renderer. Processors that add only
    trusted fields (``add_log_level``, ``TimeStamper``) may come after it,
    which saves scanning them; a value that is the current time exactly as
    ``TimeStamper(fmt="iso")`` writes it is recognised and passes unscanned
    wherever the stamper is (six digits of microseconds are all it leaves a
    caller to choose). Inside ``structlog.stdlib.ProcessorFormatter``
    put it in *processors* (after ``remove_processors_meta`` or with it) so
    that records from plain :mod:`logging` are covered too.

    An ``exc_info`` still in the event dict is rendered into an ``exception``
    string first, as ``format_exc_info`` would, and ``stack_info=True`` into a
    ``stack`` string, as ``StackInfoRenderer`` would: a renderer later in the
    chain would otherwise print the raw exception. ProcessorFormatter's own
    ``_record`` and ``_from_structlog`` entries pass through untouched.

    If redaction fails, every value (but those two) becomes the
    ``redaction_failed`` placeholder.

    Args:
        redactor: The redactor to use; ``None`` for ``Redactor()``.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_clean_texts", "_plain_keys", "_scrubber", "redactor")

    def __init__(self, redactor: Redactor | None = None) -> None:
        self.redactor = redactor if redactor is not None else Redactor()
        self._scrubber = Scrubber(self.redactor)
        self._clean_texts = self._scrubber.clean_texts
        self._plain_keys = self._scrubber.plain_keys

    def __repr__(self) -> str:
        return f"RedactingProcessor({self.redactor!r})"

    def __call__(self, logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> Any:
        try:
            # The commonest event, every entry an ordinary name holding a str
            # found clean before, is decided here: Scrubber.mapping's first
            # test inlined, since two calls cost about a third of what a clean
            # event may add to the bare logging call.
            if type(event_dict) is dict and "exc_info" not in event_dict and "stack_info" not in event_dict:
                plain, clean = self._plain_keys, self._clean_texts
                for key, value in event_dict.items():
                    if not (type(value) is str and value in clean and type(key) is str and key in plain):
                        break
                else:
                    return event_dict
            if event_dict.get("stack_info") and not isinstance(event_dict["stack_info"], str):
                event_dict = _STACK_RENDERER(logger, method_name, dict(event_dict))
            return self._scrubber.mapping(event_dict, _EVENT_META)
        except Exception:  # noqa: BLE001 - logging must never raise into the application
            return self._fail_closed(event_dict)

    def _fail_closed(self, event_dict: MutableMapping[str, Any]) -> dict[str, Any]:
        _count_failure(self.redactor)
        placeholder = _placeholder(self.redactor)
        try:
            return {key: value if key in _EVENT_META else placeholder for key, value in event_dict.items()}
        except Exception:  # noqa: BLE001 - a hostile mapping: keep only the event
            return {"event": placeholder}
