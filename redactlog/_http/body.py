"""Turn a bounded body prefix into a scrubbed string for the start record."""

from __future__ import annotations

import codecs
import json
import re
import zlib

from redactlog._engine import Redactor
from redactlog._http.batch import CleanTexts
from redactlog._http.jsonvalue import parse_json, redact_json_text
from redactlog._http.query import scrub_pairs
from redactlog._http.truncation import close_open_string, repair_json, trim_partial_token
from redactlog._keys import SensitiveKeys

__all__ = ["TRUNCATED_MARKER", "scrub_body"]

TRUNCATED_MARKER = "...[truncated]"
"""Appended to a logged body that is only a prefix of the request body."""

_TEXTUAL = frozenset(
    {
        "application/xml",
        "application/javascript",
        "application/graphql",
        "application/yaml",
        "application/x-yaml",
        "application/csv",
        "application/sql",
        "application/x-ndjson",
        "application/jsonl",
        "application/soap+xml",
    },
)
_GZIP = frozenset({"gzip", "x-gzip"})
_PART_HEADER = re.compile(
    rb"content-disposition:[ \t]*form-data(?P<params>[^\r\n]*)",
    re.IGNORECASE,
)
_PARAM = re.compile(r';\s*(?P<key>name|filename)\*?=\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^;\s]*))', re.I)
# Control characters other than whitespace: text with many of them is binary.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")


def scrub_body(  # noqa: PLR0913 - the body and the headers that say how to read it
    redactor: Redactor,
    body: bytes,
    *,
    complete: bool,
    content_type: str,
    content_encoding: str,
    param_keys: SensitiveKeys,
    cap: int,
    clean: CleanTexts | None = None,
) -> tuple[str, bool]:
    """Return the body as it may be logged, and whether it is only a prefix.

    *body* is at most the cap; *complete* says whether it is the whole body.
    Compressed bodies are inflated up to *cap* bytes (a bomb stays bounded);
    JSON and urlencoded bodies are masked by key; multipart bodies are shown as
    part names; binary bodies as their type. The result never contains bytes
    that were not scrubbed. JSON strings in *clean* are known clean and not
    scanned again.
    """
    encoding = content_encoding.strip().lower()
    if encoding and encoding != "identity":
        if encoding not in _GZIP and encoding != "deflate":
            return f"<{_label(encoding)}-encoded body, {len(body)} bytes read, values omitted>", not complete
        inflated = _inflate(body, encoding, cap)
        if inflated is None:
            return f"<{_label(encoding)} body that does not inflate, values omitted>", not complete
        body, whole = inflated
        complete = complete and whole
    if not body:
        return "", not complete
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "multipart/form-data":
        return _multipart(redactor, body, complete), not complete
    if media == "application/x-www-form-urlencoded":
        return _finish(scrub_pairs(redactor, param_keys, body, complete=complete), complete), not complete
    if _is_json(media):
        return _finish(_json(redactor, body, complete, clean), complete), not complete
    if _is_binary(media, body):
        return f"<binary {_label(media) or 'untyped'} body, {len(body)} bytes read, values omitted>", not complete
    return _finish(_text(redactor, body, complete), complete), not complete


def _finish(text: str, complete: bool) -> str:
    return text if complete else text + TRUNCATED_MARKER


def _inflate(body: bytes, encoding: str, cap: int) -> tuple[bytes, bool] | None:
    """Inflate at most *cap* bytes of *body*; return them and whether the stream ended."""
    # 16 + MAX_WBITS: gzip header; MAX_WBITS: zlib header; -MAX_WBITS: raw deflate
    # (some clients send raw deflate as "deflate", RFC 9110 notwithstanding).
    modes = (16 + zlib.MAX_WBITS,) if encoding in _GZIP else (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    for wbits in modes:
        inflater = zlib.decompressobj(wbits)
        try:
            # max_length bounds the output: a gzip bomb inflates to the cap, no more.
            out = inflater.decompress(body, max(cap, 1))
        except zlib.error:
            continue
        if out or inflater.eof:
            return out[:cap], inflater.eof and not inflater.unconsumed_tail
        # Nothing came out: raw deflate whose first bytes pass as a zlib header. Try the next mode.
    return None


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith(("+json", "/json"))


def _is_binary(media: str, body: bytes) -> bool:
    if media.startswith("text/") or media in _TEXTUAL or media.endswith("+xml"):
        return False
    if media:
        return True
    # No Content-Type: call it text when it decodes and holds few control bytes.
    sample = body[:512]
    return len(_CONTROL.findall(sample)) * 10 > len(sample)


_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _decode(body: bytes) -> str:
    """Decode a body as the application would: UTF-8, or UTF-16/32 where its bytes say so.

    ``json.loads`` (and so Flask's ``get_json``) accepts UTF-16 and UTF-32;
    decoded as UTF-8 their NUL bytes would hide every value from the
    detectors and the log would show the payload readable.
    """
    encoding = json.detect_encoding(body[:4]) if b"\x00" in body[:4] or body[:2] in _BOMS else "utf-8"
    return body.decode(encoding, "replace")


def _text(redactor: Redactor, body: bytes, complete: bool) -> str:
    text = _decode(body)
    if not complete:
        text = close_open_string(trim_partial_token(text))
    return redactor.redact(text)


def _json(redactor: Redactor, body: bytes, complete: bool, clean: CleanTexts | None) -> str:
    if complete:
        try:
            text = _decode(body)
            value, names = parse_json(text)
        except (ValueError, RecursionError):
            return _text(redactor, body, complete)  # malformed: the text rules still mask "key": value
        return redact_json_text(redactor, text, value, clean, names)
    value = repair_json(trim_partial_token(_decode(body)))
    if value is None:
        return _text(redactor, body, complete)
    text = json.dumps(value, ensure_ascii=False)
    return redact_json_text(redactor, text, value, clean)


def _multipart(redactor: Redactor, body: bytes, complete: bool) -> str:
    """List part names and scrubbed filenames; never a value."""
    parts: list[str] = []
    for match in _PART_HEADER.finditer(body):
        line = match["params"].decode("utf-8", "replace")
        if not complete and match.end() == len(body):
            break  # the header line itself was cut: its last parameter may be a fragment
        params: dict[str, str] = {}
        for param in _PARAM.finditer(line):
            params.setdefault(param["key"].lower(), param["quoted"] if param["quoted"] is not None else param["bare"])
        name = redactor.redact(params.get("name", "?"))
        if "filename" in params:
            name += f"(file={redactor.redact(params['filename'])})"
        parts.append(name)
    more = "" if complete else ", ..."
    return f"<multipart parts=[{', '.join(parts)}{more}] values omitted>"


def _label(value: str) -> str:
    """A media type or coding made safe to echo: short and made of token characters."""
    return re.sub(r"[^A-Za-z0-9.+/_-]", "?", value[:64])
