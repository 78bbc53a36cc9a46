"""Key-aware redaction of a JSON document, with one engine call for all its strings.

The same rules as :meth:`Redactor.redact_value`: a value under a sensitive
key is masked whatever it looks like, every string (object keys included)
is redacted, and so is every integer long enough to be a phone, card or SSN
number. One difference, for speed: all strings go through the engine in one
batch (:func:`~redactlog._http.batch.redact_many`), which makes the common
body with nothing sensitive in it several times cheaper to log.

The strings are picked out of the JSON *text* rather than by walking the
parsed document: a document with no sensitive key and no finding (the common
case) is then never walked at all. Without a backslash in the text, every
``"`` of valid JSON delimits a string, so one ``str.split`` at C speed yields
the strings (odd pieces) and everything else (even pieces: the keys' colons,
the numbers); with escapes, one regular expression does it. Each distinct
string goes to the engine once: a body repeats its keys in every array item.

What the request loggers write is, for a text without escapes or exponents
whose findings all lie in string values, the text itself: the redacted
strings put back between its quotes and the whitespace between tokens
deleted. Otherwise the document is rebuilt, each string looked up in a table
of redacted strings (redacting a string does not depend on where it sits),
and serialised.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Collection, Iterator
from itertools import compress, count
from operator import ne

from redactlog._engine import Redactor
from redactlog._http.batch import CleanTexts, redact_many
from redactlog._http.masking import mask
from redactlog._keys import holds_no_secret
from redactlog._skeleton import skeleton
from redactlog._structured import (
    NAMED_RECORD_SIZE,
    PHONE_TYPES,
    holds_named_record_fields,
    named_value,
    phone_field_value,
)
from redactlog.detectors._digits import holds_context_stem, names_a_phone

__all__ = ["parse_json", "redact_json_text"]

# Every string token of a *valid* JSON text, and whether it is an object key.
# (Unrolled: one character class per run instead of an alternation per character.)
_TOKEN = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:)?', re.DOTALL)
# Digit runs long enough to be a phone, card or SSN number; which of them are
# JSON integers is decided by what precedes and follows them (_long_integers).
# (No optional "-" in front: it would cost re its fast scan for the first digit.)
_LONG_DIGITS = re.compile(r"[0-9][0-9][0-9][0-9][0-9][0-9][0-9]+")  # spelt out: faster than [0-9]{7,} in re
_DIGIT_RUN = re.compile(r"[0-9]+")
# Seven digits in a skeleton (every ASCII digit written as "0").
_SEVEN_ZEROS = b"0000000"

# A JSON number with an exponent; it runs only on a text that _has_exponent
# says may hold one. It starts only where a digit run starts (the look-behind)
# and its runs are possessive: otherwise a long run of digits that ends
# without an exponent ("1111...1.5") is tried from each of its digits, and
# each try gives back its digits one by one, quadratic time in the run.
_EXPONENT = re.compile(r"-?(?<![0-9.])[0-9]++(?:\.[0-9]++)?+[eE][+-]?[0-9]+")
# The fraction of a whole number written as a float.
_ZERO_FRACTION = re.compile(r"\.0+(?![0-9eE])")

# A field name with no digit and no "@" in any form.
_PLAIN_NAME = re.compile(r"[A-Za-z_. -]{1,64}")
# Sets of field names whose verdicts a CleanTexts keeps (a few per endpoint).
_FIELD_NAME_SETS = 256

# Integers below this have too few digits to be a phone, card or SSN (as in
# Redactor.redact_value, which scans longer ones too).
_SMALL_INT = 1_000_000


def parse_json(text: str) -> tuple[object, set[str]]:
    """Return the JSON document *text* parsed, and the names of all its objects' fields.

    The names are collected while the parser builds each object, which costs
    less than finding them in the text afterwards. Raises what
    :func:`json.loads` raises.
    """
    names: set[str] = set()
    add = names.update

    def collect(fields: dict[str, object]) -> dict[str, object]:
        add(fields)
        return fields

    return json.JSONDecoder(object_hook=collect).decode(text), names


def redact_json_text(
    redactor: Redactor, text: str, value: object, clean: CleanTexts | None = None, names: set[str] | None = None
) -> str:
    """Return the compact JSON text to log for the valid JSON *text*, parsed as *value*.

    Strings in *clean* are known clean and not scanned again; strings found
    clean now are added to it, unless the document has a sensitive key (its
    values, masked by key, may be clean-looking passwords: they are not kept).
    *names* are the field names of *value* when the caller has them
    (:func:`parse_json`); otherwise they are read from *text*.

    When the text has no escapes or exponents and every finding lies in a
    string value (the common case), the text is written as it was sent, with
    the redacted strings in place and no whitespace between tokens: numbers
    keep their spelling, and nothing is parsed or serialised again.
    Otherwise the redacted value is serialised.
    """
    scan = _Scan(redactor, text, clean, names)
    # A number with an exponent ("4111111111111111e-1") would be logged as
    # spelt, its digits in one run that the scan of its value never saw.
    if scan.pieces is not None and not scan.exponent:
        rebuilt = scan.pieces if scan.clean else scan.rebuilt_pieces()
        if rebuilt is not None:
            return _minified(rebuilt, scan.outside)
    return _COMPACT.encode(value if scan.clean else scan.walk(value))


# JSON's whitespace, deleted by bytes.translate (several times cheaper than
# str.translate with a table: no per-character dict lookup).
_JSON_WHITESPACE = b" \t\n\r"
# What the request loggers write: one line, no spaces, non-ASCII as it is.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _minified(pieces: list[str], outside: str) -> str:
    """Join the pieces of a JSON text split at its quotes, without whitespace outside the strings.

    Outside its strings valid JSON holds only tokens and JSON whitespace: no
    character of a value is lost. *outside* is the pieces outside the
    strings joined with quotes (they hold none): cleared of whitespace in one
    call and split again, it costs a fraction of a call per piece.
    """
    # Deleting ASCII bytes never splits a UTF-8 sequence (their bytes are all >= 0x80).
    encoded = outside.encode("utf-8", "surrogatepass")
    compact = encoded.translate(None, _JSON_WHITESPACE).decode("utf-8", "surrogatepass")
    joined = list(pieces)
    if len(compact) != len(outside):
        joined[0::2] = compact.split('"')
    return '"'.join(joined)


class _Scan:
    """The strings and long integers of a valid JSON text, redacted in two batches."""

    __slots__ = (
        "clean",
        "exponent",
        "keys",
        "numbers",
        "outside",
        "phone_keys",
        "pieces",
        "redacted",
        "redacted_numbers",
        "redactor",
        "sensitive",
        "strings",
    )

    def __init__(self, redactor: Redactor, text: str, clean: CleanTexts | None, keys: set[str] | None) -> None:
        self.redactor = redactor
        self.pieces: list[str] | None = None
        self.outside = ""
        self.exponent = True
        if "\\" in text:  # \u0040 and friends: decode before scanning
            tokens = _TOKEN.findall(text)
            strings = [json.loads(f'"{raw}"') if "\\" in raw else raw for raw, _ in tokens]
            if keys is None:
                keys = {string for string, (_, colon) in zip(strings, tokens, strict=True) if colon}
            numbers = _long_integers(text)
        else:
            pieces = self.pieces = text.split('"')
            strings = pieces[1::2]
            # A string is an object key when the piece after it starts with ":".
            if keys is None:
                keys = {
                    string for string, after in zip(strings, pieces[2::2], strict=True) if after.lstrip()[:1] == ":"
                }
            # Numbers live only outside strings: scan what is left of the text.
            # (Joined with quotes, which never touch a number in valid JSON.)
            self.outside = '"'.join(pieces[0::2])
            self.exponent = _has_exponent(self.outside)
            numbers = _long_integers(self.outside, exponent=self.exponent)
        by_name, self.phone_keys = _field_names(redactor, keys, clean)
        phone_values, phone_walk = self._phone_values(strings)
        # A number or a structure under a phone field: the walk reads it.
        self.sensitive = by_name or phone_walk
        if self.sensitive:
            clean = None
        self.strings, self.keys, self.numbers = strings, keys, numbers
        # Each distinct string is scanned once (a body repeats its keys in every array item).
        self.redacted = redact_many(redactor, strings, clean)
        if phone_values and not self.sensitive:
            # String values of phone fields that nothing changed, read again with
            # the field name as context ("4155552671" under "phone").
            redacted = list(self.redacted)
            for index in phone_values:
                if redacted[index] == strings[index]:
                    redacted[index] = str(phone_field_value(redactor.redact, redactor.mask, strings[index]))
            if redacted != self.redacted:
                self.redacted = redacted
        # Long integers go in a batch of their own: one digit run among the strings
        # would wake the digit detectors (phone, card, SSN) for every string.
        self.redacted_numbers = redact_many(redactor, numbers, clean)
        self.clean = not self.sensitive and self.redacted is strings and self.redacted_numbers is numbers

    def _phone_values(self, strings: list[str]) -> tuple[list[int], bool]:
        """Return the indexes of the strings that are values of phone fields, and whether the walk is needed.

        Only a string value right after its key is read here; any other value
        of a phone field (a number, a structure, an escaped document) needs
        the walk.
        """
        phones = self.phone_keys
        if not phones:
            return [], False
        pieces = self.pieces
        if pieces is None:
            return [], True
        # The few strings that are a phone field's name, found by list.index
        # in C rather than by a look at every string of the body.
        names: list[int] = []
        for name in phones:
            at = -1
            with contextlib.suppress(ValueError):
                while True:
                    at = strings.index(name, at + 1)
                    names.append(at)
        values: list[int] = []
        last = len(strings) - 1
        for index in sorted(names):
            after = pieces[2 * index + 2]  # what follows the string at `index`
            if after.lstrip()[:1] == ":":
                if after.strip() != ":" or index == last:
                    return [], True
                values.append(index + 1)
        return values, False

    def rebuilt_pieces(self) -> list[str] | None:
        """Return the text's pieces with the redacted strings in place, or ``None`` when the walk is needed.

        Only for a document with no sensitive key whose findings all lie in
        string values, nested less deeply than the walk's bound. A changed key
        needs the walk too: two keys may now collide.
        """
        pieces = self.pieces
        if (
            pieces is None
            or self.sensitive
            or self.redacted_numbers is not self.numbers
            # The walk masks containers nested deeper than max_depth: with fewer
            # brackets than that in all, none is.
            or self.outside.count("{") + self.outside.count("[") >= self.redactor.limits.max_depth
        ):
            return None
        rebuilt = list(pieces)
        strings, redacted = self.strings, self.redacted
        # The few strings that changed, picked out in C.
        for index in compress(count(), map(ne, strings, redacted)):
            old, new = strings[index], redacted[index]
            if old in self.keys:
                return None
            # A placeholder needs no escaping; json.dumps is the slow way to be sure.
            plain = '"' not in new and "\\" not in new and new.isprintable()
            rebuilt[2 * index + 1] = new if plain else json.dumps(new, ensure_ascii=False)[1:-1]
        return rebuilt

    def walk(self, value: object) -> object:
        """Return *value* rebuilt with every string redacted and sensitive values masked."""
        table = dict(zip(self.strings, self.redacted, strict=True))
        table.update(zip(self.numbers, self.redacted_numbers, strict=True))
        return _Rebuild(self.redactor, table, self.phone_keys).value(value, 0)


def _field_names(redactor: Redactor, keys: set[str], clean: CleanTexts | None) -> tuple[bool, frozenset[str]]:
    """Return whether the field names *keys* call for the walk by name, and which of them name a phone.

    By name: a sensitive key, or the fields of a name/value record
    (``{"name": "DB_PASSWORD", "value": ...}``), whose values the walk masks.
    A field named after a phone is context for its value (``{"phone": "4155552671"}``).
    The verdict is remembered per set of names when every name is a plain
    word, which cannot hold a number or an address (a set is the key: a
    hash alone could be made to collide).
    """
    names = frozenset(keys)
    memo = clean.field_names if clean is not None else None
    if memo is not None:
        known = memo.get(names)
        if known is not None:
            return known
    kind_of = redactor.sensitive_keys.kind_of
    by_name = any(kind_of(key) is not None for key in keys) or holds_named_record_fields(keys)
    found = by_name, phone_keys(keys)
    if memo is not None and all(_PLAIN_NAME.fullmatch(name) for name in names):
        if len(memo) >= _FIELD_NAME_SETS:
            memo.clear()
        memo[names] = found
    return found


def phone_keys(keys: Collection[str]) -> frozenset[str]:
    """Return the field names among *keys* that say their value is a phone number."""
    # One look for a context word's stem in all the names first: most bodies have none.
    if not holds_context_stem("\n".join(keys).lower()):
        return frozenset()
    return frozenset(key for key in keys if names_a_phone(key))


def _has_exponent(text: str) -> bool:
    """Whether *text* (JSON outside its strings) may hold a number written with an exponent: a digit before an "e".

    Outside its strings JSON has an "e" only in ``true``, ``false`` and
    exponents, so ``str.find`` visits a handful of them; a regular
    expression would test every character.
    """
    for letter in "eE":
        at = text.find(letter, 1)
        while at >= 0:
            if "0" <= text[at - 1] <= "9":
                return True
            at = text.find(letter, at + 1)
    return False


def _long_integers(text: str, *, exponent: bool | None = None) -> list[str]:
    """The JSON integers of seven digits or more in *text* (and whole floats), as text.

    A JSON number follows ``:``, ``[`` or ``,`` (or starts the document). A
    digit run inside a string that happens to follow one of them ("at: 1234567")
    is taken too, which only means it is scanned twice; no integer is missed.
    """
    found: list[str] = []
    for run_start, run_end in _digit_runs(text):
        start, end = run_start, run_end
        if end < len(text) and text[end] in ".eE":
            # A float: only a whole one ("4111111111111111.0") can be a card number.
            whole = _ZERO_FRACTION.match(text, end)
            if whole is None:
                continue
            end = whole.end()
        if start > 0 and text[start - 1] == "-":
            start -= 1
        before = start - 1
        while before >= 0 and text[before] in " \t\r\n":
            before -= 1
        if before < 0 or text[before] in ":[,":
            found.append(text[start:end])
    if _has_exponent(text) if exponent is None else exponent:
        # 4111111111111111e0 and 4.111111111111111e15 parse to the whole float
        # the walk scans as "4111111111111111.0": take that text, so that a
        # finding in it sends the document through the walk.
        for match in _EXPONENT.finditer(text):
            number = float(match.group())
            if number.is_integer() and not -_SMALL_INT < number < _SMALL_INT:
                found.append(str(number))
    return found


def _digit_runs(text: str) -> Iterator[tuple[int, int]]:
    """Yield the start and end of every run of seven ASCII digits or more in *text*."""
    if not text.isascii():
        for match in _LONG_DIGITS.finditer(text):
            yield match.span()
        return
    # JSON outside its strings is ASCII: its skeleton's bytes line up with its
    # characters, and bytes.find skips to the next seven digits at C speed
    # (re would stop at every digit of every short number).
    zeroed = skeleton(text)
    at = zeroed.find(_SEVEN_ZEROS)
    while at >= 0:
        end = _DIGIT_RUN.match(text, at).end()  # type: ignore[union-attr]  # a digit is at `at`
        yield at, end
        at = zeroed.find(_SEVEN_ZEROS, end)


class _Rebuild:
    """Copy a document with every string replaced by its redacted text and sensitive values masked."""

    __slots__ = ("_phone_keys", "_redactor", "_table")

    def __init__(self, redactor: Redactor, table: dict[str, str], phone_keys: frozenset[str] = frozenset()) -> None:
        self._redactor = redactor
        self._table = table
        self._phone_keys = phone_keys

    def string(self, text: str) -> str:
        found = self._table.get(text)
        return found if found is not None else self._redactor.redact(text)

    def value(self, value: object, depth: int) -> object:
        if type(value) is str:
            return self.string(value)
        if (type(value) is int or (type(value) is float and value.is_integer())) and not (
            -_SMALL_INT < value < _SMALL_INT
        ):
            # A card or phone number sent as a JSON number is still one.
            text = str(value)
            redacted = self.string(text)
            return value if redacted == text else redacted
        if not isinstance(value, dict | list):
            return value  # numbers, booleans and null, as the engine's walker keeps them
        if depth >= self._redactor.limits.max_depth:
            return mask(self._redactor, "", "too_deep")
        if isinstance(value, list):
            return [self.value(item, depth + 1) for item in value]
        kind_of = self._redactor.sensitive_keys.kind_of
        result: dict[str, object] = {}
        named = named_value(value, kind_of) if len(value) <= NAMED_RECORD_SIZE else None
        for key, item in value.items():
            kind = named[1] if named is not None and key is named[0] else kind_of(key)
            if (
                kind is not None
                and item is not None
                and type(item) is not bool
                and not (type(item) is str and holds_no_secret(item))
            ):
                secret = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
                new: object = mask(self._redactor, secret, kind)
            elif type(item) in PHONE_TYPES and key in self._phone_keys:
                new = phone_field_value(self._redactor.redact, self._redactor.mask, item)
            else:
                new = self.value(item, depth + 1)
            name = self.string(key)
            # Two keys may redact to the same placeholder: keep both values,
            # numbered as Redactor.redact_value numbers them.
            candidate, number = name, 1
            while candidate in result:
                number += 1
                candidate = f"{name}#{number}"
            result[candidate] = new
        return result
