"""One line of bytes in, one line of bytes out: text or JSON, redacted or scanned.

Lines are bytes so that nothing the redactor does not mask can change: each
line is decoded with ``surrogateescape`` (invalid UTF-8 becomes lone
surrogates that encode back to the very same bytes), its ending is split off
and put back exactly, and a clean line is written as the original bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from redactlog import Finding, LabelMask, Redactor
from redactlog._cut import trim_partial_token

__all__ = ["LineFinding", "LineRedactor", "Stats", "split_ending"]

_OVERSIZE = LabelMask()("", "oversize")
_PLACEHOLDER_KIND = re.compile(r"\[REDACTED:([A-Za-z0-9_.-]{1,64})")
_JSON_START = frozenset(b"{[")
# Integers shorter than this hold no phone, SSN or card number worth a lookup.
_LONG_NUMBER = 10**6
_JSON_DEPTH = 64

# A PEM private key spans lines, and the engine sees one line at a time: it
# masks the BEGIN line, but the base64 body and the END line would pass. So
# after a BEGIN line with no END, the lines that look like a PEM body (base64,
# RFC 1421 headers, blank) are masked until the END line, at most _PEM_LINES.
_PEM_BEGIN = re.compile(rb"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = re.compile(rb"-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
# The leading blanks and a header's value are possessive: followed by another
# run that can match the same blanks, a long line that fails in the end was
# split between the two every way (quadratic time) before the match failed.
_PEM_BODY = re.compile(rb"[ \t]*+(?:[A-Za-z0-9+/=]{0,128}|(?:Proc-Type|DEK-Info|Comment): [^\r\n]{0,256}+)[ \t]*")
_PEM_LINES = 200
_PEM_MASK = LabelMask()("", "private_key").encode()


def continues_pem(line: bytes) -> bool:
    """Return whether *line* could be inside a PEM block (body or END line).

    ``-j`` cuts files only before a line for which this is false, so that no
    piece starts inside a key and every piece redacts as a whole file would.
    """
    body, _ = split_ending(line)
    return _PEM_BODY.fullmatch(body) is not None or b"-----END" in body


def split_ending(line: bytes) -> tuple[bytes, bytes]:
    r"""Return ``(body, ending)`` where *ending* is ``b"\r\n"``, ``b"\n"`` or ``b""``."""
    if line.endswith(b"\r\n"):
        return line[:-2], b"\r\n"
    if line.endswith(b"\n"):
        return line[:-1], b"\n"
    return line, b""


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # A surrogate that did not come from our decoding (a JSON "\ud800"
        # escape, a custom mask): keep it representable rather than fail.
        return text.encode("utf-8", "surrogatepass")


@dataclass(slots=True)
class Stats:
    """Counts of one run: lines, bytes and findings per kind."""

    lines: int = 0
    changed: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, other: Stats) -> None:
        """Add the counts of *other* to these."""
        self.lines += other.lines
        self.changed += other.changed
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.kinds.update(other.kinds)


@dataclass(frozen=True, slots=True)
class LineFinding:
    """A finding located in a file: 1-based line and columns (code points)."""

    line: int
    column: int
    end_column: int
    kind: str
    detector: str


class _DuplicateKeyError(ValueError):
    """A JSON object repeats a key: re-encoding it would lose data."""


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeyError
    return result


def _separators(text: str) -> tuple[str, str]:
    # Re-encode in the style of the original, so a redacted line still looks
    # like its neighbours: compact (",", ":") or json.dumps' default.
    return (", " if ", " in text else ","), (": " if '": ' in text else ":")


class LineRedactor:
    """Redacts or scans lines of bytes with one :class:`~redactlog.Redactor`.

    Args:
        redactor: The redactor to use.
        parse_json: Whether lines that look like JSON are parsed and redacted
            structurally (``--format auto|jsonl``) or treated as text.
    """

    __slots__ = ("_json", "_pem", "_pem_left", "_redactor")

    def __init__(self, redactor: Redactor, *, parse_json: bool) -> None:
        self._redactor = redactor
        self._json = parse_json
        self._pem = any(detector.name == "private_key" for detector in redactor.detectors)
        self._pem_left = 0

    def start_file(self) -> None:
        """Forget the state of the previous file (an unfinished PEM block)."""
        self._pem_left = 0

    def redact(self, line: bytes, stats: Stats, *, whole: bool = True) -> bytes:
        """Return *line* redacted, its ending and every unmasked byte unchanged."""
        body, ending = split_ending(line)
        if not whole:
            # The cut may have split a secret ("4111 1111 1111 1"): its head goes with the tail.
            body = trim_partial_token(body.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
        out = self._pem_body(body, stats) if self._pem_left else None
        if out is None:
            out = self._redact_json(body, stats) if self._json and self._looks_like_json(body) else None
        if out is None:
            out = self._redact_text(body, stats)
        if self._pem and b"-----BEGIN" in body:
            self._pem_begins(body)
        if not whole:
            out += _OVERSIZE.encode()
            stats.kinds["oversize"] += 1
        if out is not body:
            stats.changed += 1
        return out + ending if ending else out

    def scan(self, line: bytes, number: int, *, whole: bool = True) -> list[LineFinding]:
        """Return the findings of *line*, which is line *number* of its file."""
        body, _ = split_ending(line)
        text = body.decode("utf-8", "surrogateescape")
        if self._pem_left and self._pem_body(body, Stats()) not in {None, body}:
            return [LineFinding(number, 1, len(text) + 1, "private_key", "pem_block")]
        found = [_located(f, number) for f in self._redactor.scan(text)]
        if self._pem and b"-----BEGIN" in body:
            self._pem_begins(body)
        if not found and self._json and self._looks_like_json(body):
            # The structural walk can see what text matching cannot (escaped
            # values, values under sensitive keys of any type).
            kinds = self._json_kinds(body)
            found = [LineFinding(number, 1, len(text) + 1, kind, "structured") for kind in sorted(kinds)]
        if not whole:
            found.append(LineFinding(number, len(text) + 1, len(text) + 1, "oversize", "limits"))
        return found

    def _pem_begins(self, body: bytes) -> None:
        begin = _PEM_BEGIN.search(body)
        if begin is not None and _PEM_END.search(body, begin.end()) is None:
            self._pem_left = _PEM_LINES

    def _pem_body(self, body: bytes, stats: Stats) -> bytes | None:
        """Mask a line inside a PEM block; ``None`` when the block has ended."""
        end = _PEM_END.search(body)
        if end is not None:
            self._pem_left = 0
            stats.kinds["private_key"] += 1
            return _PEM_MASK + self._redact_text(body[end.end() :], stats)
        if _PEM_BODY.fullmatch(body) is None:
            self._pem_left = 0
            return None
        self._pem_left -= 1
        if not body.strip():
            return body
        stats.kinds["private_key"] += 1
        return _PEM_MASK

    @staticmethod
    def _looks_like_json(body: bytes) -> bool:
        start = body.lstrip(b" \t")[:1]
        return bool(start) and start[0] in _JSON_START

    def _redact_text(self, body: bytes, stats: Stats) -> bytes:
        text = body.decode("utf-8", "surrogateescape")
        redacted, findings = self._redactor.redact_with_findings(text)
        if not findings:
            return body
        stats.kinds.update(f.kind for f in findings)
        return _encode(redacted)

    def _parse(self, body: bytes) -> tuple[str, object] | None:
        try:
            text = body.decode("utf-8")
            value = json.loads(text, object_pairs_hook=_no_duplicates)
        except (ValueError, RecursionError):
            return None
        return (text, value) if isinstance(value, dict | list) else None

    def _redact_json(self, body: bytes, stats: Stats) -> bytes | None:
        """Return the redacted JSON line, *body* itself when clean, ``None`` for not JSON."""
        parsed = self._parse(body)
        if parsed is None:
            return None
        text, value = parsed
        redacted = self._keys_and_numbers(self._redactor.redact_value(value), 0)
        kinds: Counter[str] = Counter()
        if redacted is not value:
            try:
                dumped = json.dumps(redacted, ensure_ascii=False, separators=_separators(text))
            except (TypeError, ValueError):
                return None
            kinds = Counter(_PLACEHOLDER_KIND.findall(dumped)) - Counter(_PLACEHOLDER_KIND.findall(text))
            kinds = kinds or Counter({"structured": 1})
            text = dumped
        # Defence in depth: text matching sees the line as a whole (a value
        # split over two strings, say). Keep its result only while it is
        # still JSON; otherwise the caller redacts the line as text.
        again, findings = self._redactor.redact_with_findings(text)
        if findings:
            try:
                json.loads(again)
            except ValueError:
                return None
            kinds.update(f.kind for f in findings)
            text = again
        if not kinds:
            return body
        stats.kinds.update(kinds)
        return _encode(text)

    def _keys_and_numbers(self, value: object, depth: int) -> object:
        """Redact what :meth:`~redactlog.Redactor.redact_value` leaves: object keys and long integers.

        An e-mail used as a key, or a card number stored as a JSON number,
        would otherwise pass. A masked number becomes its placeholder string,
        so the line stays valid JSON. Copy-on-write, like the walk itself.
        """
        if depth > _JSON_DEPTH:
            return value  # the text pass over the whole line still applies
        if isinstance(value, dict):
            items = [(self._redactor.redact(k), k, self._keys_and_numbers(v, depth + 1), v) for k, v in value.items()]
            if all(new_k is k and new_v is v for new_k, k, new_v, v in items):
                return value
            return {new_k: new_v for new_k, _, new_v, _ in items}
        if isinstance(value, list):
            values = [self._keys_and_numbers(v, depth + 1) for v in value]
            return value if all(n is o for n, o in zip(values, value, strict=True)) else values
        if type(value) is int and abs(value) >= _LONG_NUMBER:
            text = str(value)
            redacted = self._redactor.redact(text)
            return value if redacted == text else redacted
        return value

    def _json_kinds(self, body: bytes) -> set[str]:
        parsed = self._parse(body)
        if parsed is None:
            return set()
        text, value = parsed
        redacted = self._keys_and_numbers(self._redactor.redact_value(value), 0)
        if redacted is value:
            return set()
        dumped = json.dumps(redacted, ensure_ascii=False, default=str)
        kinds = set(_PLACEHOLDER_KIND.findall(dumped)) - set(_PLACEHOLDER_KIND.findall(text))
        return kinds or {"structured"}


def _located(finding: Finding, number: int) -> LineFinding:
    return LineFinding(number, finding.start + 1, finding.end + 1, finding.kind, finding.detector)
