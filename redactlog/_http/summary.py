"""Build the scrubbed, structured fields of request log records (no I/O).

This is the sans-IO core of the request loggers: WSGI, Flask and ASGI adapters
collect what they saw (method, path, query, headers, a bounded body prefix)
and hand it here; what comes back is safe to log.

Each part of a record is built on its own and fails closed on its own: if
scrubbing the body raises, the record says so in place of the body and still
carries the method, path and headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from redactlog._engine import Redactor
from redactlog._http.batch import CleanTexts
from redactlog._http.body import scrub_body
from redactlog._http.headers import DEFAULT_HEADER_ALLOWLIST, HeaderRules
from redactlog._http.query import DEFAULT_SENSITIVE_PARAMS, param_keys, scrub_pairs
from redactlog._http.schemes import SCHEME_HEADERS, signature_schemes
from redactlog._http.truncation import trim_partial_token
from redactlog._keys import SensitiveKeys
from redactlog.exceptions import ConfigurationError

__all__ = [
    "DEFAULT_BODY_CAP",
    "RequestLogSettings",
    "RequestSummarizer",
    "summarize_request",
    "summarize_response",
]

DEFAULT_BODY_CAP = 4096
"""Bytes of a request body the loggers read and log at most."""

MAX_PATH_LENGTH = 2048
"""Characters of a path that are logged; a longer path loses its tail."""

MAX_QUERY_LENGTH = 4096
"""Bytes of a query string that are logged; a longer one loses its last pairs."""

_FAILED = "<not logged: scrubbing failed>"
_TOKEN = re.compile(r"[A-Z]{1,16}")


def _lower_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values)


@dataclass(frozen=True, slots=True)
class RequestLogSettings:
    """What the request loggers log, and how much.

    Args:
        body_cap: Bytes of the body read and logged at most.
        log_body: Whether to log the (scrubbed) body at all.
        header_allowlist: Lower-case names of the headers whose scrubbed
            values are logged. Credential, signature and digest headers are
            logged with masked values whether listed or not; every other
            header is left out.
        sensitive_headers: Further header names whose values are masked.
        sensitive_params: Query and form keys masked on top of the
            redactor's sensitive keys (OAuth ``code`` and ``state`` by
            default).

    Raises:
        ConfigurationError: If *body_cap* is not a non-negative ``int``.

    .. versionadded:: 0.1.0
    """

    body_cap: int = DEFAULT_BODY_CAP
    log_body: bool = True
    header_allowlist: frozenset[str] = field(default=DEFAULT_HEADER_ALLOWLIST)
    sensitive_headers: frozenset[str] = field(default=frozenset())
    sensitive_params: frozenset[str] = field(default=DEFAULT_SENSITIVE_PARAMS)

    def __post_init__(self) -> None:
        if type(self.body_cap) is not int or self.body_cap < 0:  # bool is an int subclass, and no cap
            msg = f"body_cap must be a non-negative int, not {self.body_cap!r}"
            raise ConfigurationError(msg)
        # Defensive copies, normalised once: a caller's set changing later must
        # not change what is logged (and a plain str would be a set of letters).
        for name in ("header_allowlist", "sensitive_headers", "sensitive_params"):
            value = getattr(self, name)
            if isinstance(value, str):
                msg = f"{name} must be a collection of names, not a string"
                raise ConfigurationError(msg)
            object.__setattr__(self, name, _lower_set(value))


class RequestSummarizer:
    """The request-log core set up once for one redactor and one set of settings.

    Request loggers build one when they are created: everything that depends
    only on the redactor and the settings (the parameter keys, the header
    table) is worked out here, not on every request. Immutable apart from
    bounded memos (the header table's, and the strings and sets of JSON field
    names its redactor found clean), whose entries depend only on their keys,
    so one instance serves any number of threads.

    Args:
        redactor: Scrubs every value.
        settings: What to log.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_clean", "_headers", "_param_keys", "redactor", "settings")

    def __init__(self, redactor: Redactor, settings: RequestLogSettings) -> None:
        self.redactor = redactor
        self.settings = settings
        try:
            self._param_keys: SensitiveKeys | None = param_keys(redactor.sensitive_keys, settings.sensitive_params)
        except Exception:  # noqa: BLE001 - a broken redactor must not break the app: its queries fail closed
            self._param_keys = None
        self._headers = HeaderRules(settings.header_allowlist, settings.sensitive_headers)
        # Strings this redactor found clean: header values and JSON keys recur on every request.
        self._clean = CleanTexts()

    def request_fields(  # noqa: PLR0913 - the parts of a request, by name
        self,
        *,
        method: str,
        path: str,
        query_string: bytes | str,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        body_complete: bool,
        log_body: bool = True,
    ) -> dict[str, object]:
        """Return the scrubbed fields of a request's start record.

        Args:
            method: The request method.
            path: The decoded request path.
            query_string: The raw query string (percent-encoded); ``str`` is
                taken as WSGI's Latin-1 "bytes as text".
            headers: Name and value pairs, repeated names allowed.
            body: At most ``settings.body_cap`` bytes from the start of the body.
            body_complete: Whether *body* is the whole body.
            log_body: ``False`` leaves the body out even when the settings log
                bodies (an adapter that could not read it).

        Returns:
            See :func:`summarize_request`.
        """
        redactor = self.redactor
        # One pass for the names every part below looks them up by.
        pairs = [(name.strip().lower(), value) for name, value in headers]
        fields: dict[str, object] = {}
        # A method is a token ("POST"); anything else is scrubbed like any text.
        if _TOKEN.fullmatch(method):
            fields["method"] = method
        else:
            fields["method"] = _safe(redactor.redact, method[:32])
        fields["path"] = _safe(self._path, path)
        raw_query = query_string.encode("latin-1", "replace") if isinstance(query_string, str) else bytes(query_string)
        if raw_query:
            fields["query"] = _safe(self._query, raw_query)
        fields["headers"] = _safe(self._headers_field, pairs)
        # Most requests carry no signature: look for schemes only when a header
        # or a query parameter could name one.
        if raw_query or not SCHEME_HEADERS.isdisjoint([name for name, _ in pairs]):
            schemes = _safe(self._schemes, pairs, raw_query)
            if schemes:
                fields["signature_schemes"] = schemes
        if log_body and self.settings.log_body:
            self._body(fields, pairs, body, body_complete)
        return fields

    def _path(self, path: str) -> str:
        # WSGI and ASGI hand over decoded paths; decode once more only what is
        # still percent-encoded, so "alice%40example.com" cannot slip through.
        text = unquote(path, errors="replace") if "%" in path else path
        if len(text) > MAX_PATH_LENGTH:
            return self.redactor.redact(trim_partial_token(text[:MAX_PATH_LENGTH])) + "...[truncated]"
        return self.redactor.redact(text)

    def _keys(self) -> SensitiveKeys:
        if self._param_keys is None:
            msg = "the redactor has no usable sensitive keys"
            raise TypeError(msg)
        return self._param_keys

    def _query(self, raw: bytes) -> str:
        if len(raw) > MAX_QUERY_LENGTH:
            cut = raw[:MAX_QUERY_LENGTH]
            return scrub_pairs(self.redactor, self._keys(), cut, complete=False) + "...[truncated]"
        return scrub_pairs(self.redactor, self._keys(), raw)

    def _headers_field(self, pairs: list[tuple[str, str]]) -> dict[str, str]:
        return self._headers.scrub(self.redactor, pairs, self._clean)

    @staticmethod
    def _schemes(pairs: list[tuple[str, str]], raw_query: bytes) -> list[str]:
        return signature_schemes(pairs, _query_keys(raw_query))

    def _body(self, fields: dict[str, object], pairs: list[tuple[str, str]], body: bytes, body_complete: bool) -> None:
        cap = self.settings.body_cap
        try:
            content_type = content_encoding = ""
            for name, value in pairs:
                if name == "content-type":
                    content_type = value
                elif name == "content-encoding":
                    content_encoding = value
            fields["body"], fields["body_truncated"] = scrub_body(
                self.redactor,
                body[:cap],
                complete=body_complete and len(body) <= cap,
                content_type=content_type,
                content_encoding=content_encoding,
                param_keys=self._keys(),
                cap=cap,
                clean=self._clean,
            )
        except Exception:  # noqa: BLE001 - fail closed: a placeholder, never raw bytes
            fields["body"], fields["body_truncated"] = _FAILED, not body_complete


def summarize_request(  # noqa: PLR0913 - the parts of a request, by name
    redactor: Redactor,
    settings: RequestLogSettings,
    *,
    method: str,
    path: str,
    query_string: bytes | str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    body_complete: bool,
) -> dict[str, object]:
    """Return the scrubbed fields of a request's start record.

    A one-off :meth:`RequestSummarizer.request_fields`; request loggers hold
    their own :class:`RequestSummarizer`, set up once.

    Args:
        redactor: Scrubs every value.
        settings: What to log.
        method: The request method.
        path: The decoded request path.
        query_string: The raw query string (percent-encoded); ``str`` is taken
            as WSGI's Latin-1 "bytes as text".
        headers: Name and value pairs, repeated names allowed.
        body: At most ``settings.body_cap`` bytes from the start of the body.
        body_complete: Whether *body* is the whole body.

    Returns:
        ``method``, ``path``, ``query`` (when there is one), ``headers``,
        ``signature_schemes`` (when a signature is present: scheme names such
        as ``github`` or ``stripe:malformed``, never values) and, when bodies
        are logged, ``body`` and ``body_truncated``. A part that
        could not be scrubbed is replaced by a placeholder, never raw.

    .. versionadded:: 0.1.0
    """
    return RequestSummarizer(redactor, settings).request_fields(
        method=method,
        path=path,
        query_string=query_string,
        headers=headers,
        body=body,
        body_complete=body_complete,
    )


def summarize_response(*, status: int | None, duration_s: float, exception: BaseException | None) -> dict[str, object]:
    """Return the fields of a request's end record.

    Args:
        status: The response status, or ``None`` if no response was started.
        duration_s: Seconds from the start record to the end of the response.
        exception: The exception that ended the request, if any. Only its
            type is logged: messages often quote request data.

    Returns:
        ``status``, ``duration_ms`` and, after an exception, ``exception``
        (the qualified type name).

    .. versionadded:: 0.1.0
    """
    fields: dict[str, object] = {"status": status, "duration_ms": round(duration_s * 1000.0, 3)}
    if exception is not None:
        kind = type(exception)
        module = kind.__module__
        fields["exception"] = kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
    return fields


def _safe(build: Callable[..., object], *args: Any) -> object:
    try:
        return build(*args)
    except Exception:  # noqa: BLE001 - fail closed: one part lost, never raw data
        return _FAILED


def _query_keys(raw: bytes) -> list[str]:
    # Names only, to recognise presigned URLs: no need to decode the values.
    pairs = raw[:MAX_QUERY_LENGTH].split(b"&")
    return [unquote(pair.split(b"=", 1)[0].decode("latin-1")) for pair in pairs[:200] if pair]
