"""Walk structured values (dicts, lists, objects) and redact them, key-aware."""

from __future__ import annotations

import datetime
import decimal
import fractions
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from redactlog._keys import SensitiveKeys, holds_no_secret, remembered_as_a_name
from redactlog.detectors._digits import names_a_phone
from redactlog.exceptions import ConfigurationError

__all__ = [
    "NAMED_RECORD_SIZE",
    "PHONE_TYPES",
    "VALUE_FIELDS",
    "Limits",
    "ValueWalker",
    "holds_a_value",
    "holds_named_record_fields",
    "named_value",
    "phone_field_value",
    "safe_str",
]

# Values of these types have no room for a secret in their str() or repr()
# beyond what their own redaction would show; they are returned as they are.
_ATOMS = (
    bool,
    int,
    float,
    complex,
    type(None),
    decimal.Decimal,
    fractions.Fraction,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    datetime.timezone,
    uuid.UUID,
)


# Numbers below this have too few digits to be a phone, card or SSN.
SMALL_INT = 1_000_000
# Whole floats too: a card number that went through a JSON parser is 4111111111111111.0.
_NUMBERS = (int, float, decimal.Decimal)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep redaction fast and finite on hostile input.

    Args:
        max_length: Characters of one text that are scanned; the rest of a
            longer text is replaced by ``[REDACTED:oversize]`` (fail closed).
            A text in which no detector's trigger occurs at all is returned
            whole, since nothing in it could be a finding.
        max_depth: Nesting depth walked in structured values; deeper values
            become ``[REDACTED:too_deep]``.
        max_items: Items walked per container; the rest are replaced by one
            ``[REDACTED:truncated]`` marker.

    .. versionadded:: 0.1.0
    """

    max_length: int = 1_000_000
    max_depth: int = 32
    max_items: int = 10_000

    def __post_init__(self) -> None:
        if self.max_length < 1 or self.max_depth < 1 or self.max_items < 1:
            msg = f"all limits must be positive: {self!r}"
            raise ConfigurationError(msg)


class ValueWalker:
    """Copy-on-write, key-aware redaction of nested values."""

    __slots__ = ("_keys", "_limits", "_mask", "_phone_keys", "_redact")

    def __init__(
        self,
        redact: Callable[[str], str],
        keys: SensitiveKeys,
        mask: Callable[[str, str], str],
        limits: Limits,
    ) -> None:
        self._redact = redact
        self._keys = keys
        self._mask = mask
        self._limits = limits
        # Field name -> whether it names a phone number (see phone_value). Bounded; names only.
        self._phone_keys: dict[str, bool] = {}

    def walk(self, value: object) -> object:
        """Return *value* redacted (the same object when nothing changed)."""
        return self._walk(value, 0, set())

    def masked(self, value: object, kind: str) -> str:
        """Return the placeholder for a value held under a sensitive key."""
        return self._mask(safe_str(value), kind)

    def names_a_phone(self, key: str) -> bool:
        """Return whether the field name *key* says its value is a phone number (memoised)."""
        known = self._phone_keys.get(key)
        if known is None:
            known = names_a_phone(key)
            if remembered_as_a_name(key):
                if len(self._phone_keys) >= _MEMO_SIZE:
                    self._phone_keys.clear()
                self._phone_keys[key] = known
        return known

    def phone_value(self, value: str | int) -> object:
        """Return a value held under a phone field redacted, its field name counting as context."""
        return phone_field_value(self._redact, self._mask, value)

    def _walk(self, value: object, depth: int, active: set[int]) -> object:
        if type(value) is str:
            return self._redact(value)
        if (
            type(value) in _NUMBERS
            and not -SMALL_INT < value < SMALL_INT  # type: ignore[operator]
            and (type(value) is not float or value.is_integer())
        ):
            # A card or phone number logged as a number is still one (a float
            # with a fraction, such as a unix time, is neither).
            text = str(value)
            redacted = self._redact(text)
            return value if redacted == text else redacted
        if isinstance(value, _ATOMS):
            return value
        if isinstance(value, str):  # str subclasses: redact their text
            redacted = self._redact(str.__str__(value))
            return value if redacted == value else redacted
        if isinstance(value, (bytes, bytearray, memoryview)):
            return self._walk_bytes(value)
        if depth >= self._limits.max_depth:
            return self._mask("", "too_deep")
        if isinstance(value, Mapping | list | tuple | set | frozenset):
            marker = id(value)
            if marker in active:
                return self._mask("", "cycle")
            active.add(marker)
            try:
                if isinstance(value, Mapping):
                    return self._walk_mapping(value, depth, active)
                return self._walk_sequence(value, depth, active)
            finally:
                active.discard(marker)
        return self._walk_object(value)

    def _walk_bytes(self, value: bytes | bytearray | memoryview) -> object:
        raw = bytes(value[: self._limits.max_length])
        text = raw.decode("utf-8", "replace")
        redacted = self._redact(text)
        if redacted == text and len(raw) == len(value):
            return value
        return redacted

    def _walk_mapping(self, value: Mapping[object, object], depth: int, active: set[int]) -> object:
        changed = False
        result: dict[object, object] = {}
        kind_of = self._keys.kind_of
        named = named_value(value, kind_of) if len(value) <= NAMED_RECORD_SIZE else None
        for index, (key, item) in enumerate(value.items()):
            if index >= self._limits.max_items:
                result[self._mask("", "truncated")] = len(value) - index
                changed = True
                break
            kind = named[1] if named is not None and key is named[0] else kind_of(key)
            if kind is not None and holds_a_value(item):
                new: object = self._mask(safe_str(item), kind)
            elif type(item) in PHONE_TYPES and type(key) is str and self.names_a_phone(key):
                new = self.phone_value(item)  # type: ignore[arg-type] # str or int, checked above
            else:
                new = self._walk(item, depth + 1, active)
            if new is not item:
                changed = True
            out_key = key
            # Field names stay readable, but data used as a key (a dict of
            # per-user results keyed by e-mail address, a card number as an
            # int key) is masked too.
            new_key = self._redact(key) if type(key) is str else self._walk(key, depth + 1, active)
            if new_key is not key and new_key != key:
                changed = True
                out_key = unique_key(new_key, result) if isinstance(new_key, str) else _hashable(new_key)
            result[out_key] = new
        return result if changed else value

    def _walk_sequence(
        self,
        value: list[object] | tuple[object, ...] | set[object] | frozenset[object],
        depth: int,
        active: set[int],
    ) -> object:
        changed = False
        items: list[object] = []
        kinds: Sequence[str | None] | None = self._item_kinds(value) if isinstance(value, tuple) else None
        if kinds is None and isinstance(value, list | tuple):
            kinds = self._option_kinds(value)
        for index, item in enumerate(value):
            if index >= self._limits.max_items:
                items.append(self._mask("", "truncated"))
                changed = True
                break
            kind = kinds[index] if kinds is not None else None
            if kind is not None and holds_a_value(item):
                new: object = self._mask(safe_str(item), kind)
            else:
                new = self._walk(item, depth + 1, active)
            changed = changed or new is not item
            items.append(new)
        if not changed:
            return value
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            try:
                return type(value)(*items)  # type: ignore[arg-type]  # a namedtuple takes its fields
            except Exception:  # noqa: BLE001 - odd namedtuple subclass: a plain tuple is fine
                return tuple(items)
        if isinstance(value, list):
            return items
        if isinstance(value, tuple):
            return tuple(items)
        if isinstance(value, frozenset):
            return frozenset(_hashable(i) for i in items)
        return {_hashable(i) for i in items}

    def _item_kinds(self, value: tuple[object, ...]) -> tuple[str | None, ...] | None:
        """The kind of secret each item of a tuple holds by its name, or ``None`` when none is named.

        A named tuple's fields are its keys (``Creds(user=..., password=...)``);
        a pair whose first item is a key names its second item, as in ASGI
        headers (``(b"x-api-key", b"...")``) and multi-dict items.
        """
        kind_of = self._keys.kind_of
        fields = getattr(value, "_fields", None)
        if isinstance(fields, tuple) and len(fields) == len(value):
            kinds = tuple(kind_of(field) for field in fields)
        elif len(value) == _PAIR and _is_a_name(value[0]):
            kinds = (None, kind_of(value[0]))
        else:
            return None
        return kinds if any(kinds) else None

    def _option_kinds(self, value: list[object] | tuple[object, ...]) -> list[str | None] | None:
        """The kind of secret each item of an argument list holds, or ``None`` when none does.

        In ``["mysql", "--password", "..."]`` (``sys.argv``, a subprocess
        command) a long option named by a sensitive key names the item after
        it, unless that item is another option.
        """
        kinds: list[str | None] | None = None
        kind_of = self._keys.kind_of
        for index in range(len(value) - 1):
            item = value[index]
            if type(item) is not str or not item.startswith("--") or _OPTION_NAME.fullmatch(item) is None:
                continue
            following = value[index + 1]
            if type(following) is str and following.startswith("-"):
                continue
            kind = kind_of(item[2:])
            if kind is not None:
                if kinds is None:
                    kinds = [None] * len(value)
                kinds[index + 1] = kind
        return kinds

    def _walk_object(self, value: object) -> object:
        try:
            text = str(value)
            representation = repr(value)
        except Exception:  # noqa: BLE001 - hostile __str__/__repr__ must not break logging
            return self._mask("", "unrepresentable")
        if type(text) is not str or type(representation) is not str:
            return self._mask("", "unrepresentable")
        redacted = self._redact(text)
        if redacted == text and self._redact(representation) == representation:
            return value
        return redacted if redacted != text else self._redact(representation)


_PAIR = 2
PHONE_TYPES = (str, int)
"""The types of a phone field's value read with its name as context (see :func:`phone_field_value`)."""
# A long command-line option's name, alone in an item of an argument list.
_OPTION_NAME = re.compile(r"--[A-Za-z][\w.\-]{0,63}")
# Text put before a value held under a phone field, so that the phone
# detector reads the field name as context.
_PHONE_PREFIX = "phone: "
_MEMO_SIZE = 4096
# Name/value records: {"name": "DB_PASSWORD", "value": ...} in Kubernetes env
# lists, {"Key": ..., "Value": ...} in AWS tags, HAR and OpenAPI header lists,
# SSM parameters and CloudFormation's ParameterKey and ParameterValue.
_NAME_FIELDS = frozenset({"name", "key", "parameterkey", "optionname"})
VALUE_FIELDS = frozenset({"value", "parametervalue"})
"""Lower-cased names of a name/value record's value field."""
# SSM's get_parameter returns seven fields (Name, Type, Value, Version, ...).
NAMED_RECORD_SIZE = 8
# SSM parameter names are paths: "/prod/db/password".
_PATH_NAME = re.compile(r"/?[A-Za-z_$][\w$.\-]{0,63}(?:/[A-Za-z_$][\w$.\-]{0,63}){0,8}")


def holds_named_record_fields(keys: Iterable[str]) -> bool:
    """Whether the field names *keys* include both a name field and a value field (see :func:`named_value`)."""
    lowered = {key.lower() for key in keys}
    return not lowered.isdisjoint(_NAME_FIELDS) and not lowered.isdisjoint(VALUE_FIELDS)


def named_value(value: Mapping[object, object], kind_of: Callable[[object], str | None]) -> tuple[object, str] | None:
    """Return the key of a name/value record's value and the kind its name gives, or ``None``."""
    name: object = None
    value_key: object = None
    for key in value:
        if type(key) is str:
            lowered = key.lower()
            if lowered in _NAME_FIELDS:
                name = value[key]
            elif lowered in VALUE_FIELDS:
                value_key = key
    if value_key is None or not (_is_a_name(name) or (type(name) is str and _PATH_NAME.fullmatch(name))):
        return None
    kind = kind_of(name)
    return None if kind is None else (value_key, kind)


def _is_a_name(item: object) -> bool:
    """Whether *item* looks like a field name: data ("alice@example.com") and placeholders name nothing."""
    if isinstance(item, bytes):
        item = item.decode("utf-8", "replace")
    return type(item) is str and remembered_as_a_name(item)


def holds_a_value(item: object) -> bool:
    """Whether *item*, held under a sensitive key, is to be masked (empty values, flags and status words are kept)."""
    if isinstance(item, str):
        return not holds_no_secret(item)
    return item is not None and not isinstance(item, bool)


def phone_field_value(redact: Callable[[str], str], mask: Callable[[str, str], str], value: str | int) -> object:
    """Return *value*, held under a field named after a phone, redacted with that name as context.

    A bare digit run ("4155552671") is a phone number only after a context
    word; under ``phone`` or ``mobile_number`` it is one, as it would be in
    the text ``phone: 4155552671``. Returns *value* itself when nothing changed.
    """
    text = value if type(value) is str else str(value)
    redacted = redact(_PHONE_PREFIX + text)
    if redacted.startswith(_PHONE_PREFIX):
        redacted = redacted[len(_PHONE_PREFIX) :]
        return value if redacted == text else redacted
    # A finding reached into the prefix: mask the whole value (fail closed).
    return mask("", "phone")


def unique_key(key: str, taken: Mapping[object, object]) -> str:
    """Return *key*, numbered if needed so that two masked keys never overwrite each other."""
    candidate, number = key, 1
    while candidate in taken:
        number += 1
        candidate = f"{key}#{number}"
    return candidate


def safe_str(value: object) -> str:
    """Return ``str(value)``, or ``""`` when its ``__str__`` raises or returns something else."""
    try:
        text = str(value)
    except Exception:  # noqa: BLE001 - hostile __str__
        return ""
    return text if type(text) is str else ""


def _hashable(item: object) -> object:
    try:
        hash(item)
    except TypeError:
        return repr(item)
    return item
