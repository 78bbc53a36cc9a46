"""Turn a WSGI environ into the fields of a start record (the WSGI and Flask loggers share this)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from redactlog._engine import Redactor
from redactlog._http.peek import Peek, peek_wsgi_input
from redactlog._http.summary import RequestLogSettings, summarize_request

__all__ = ["environ_headers", "environ_path", "summarize_environ", "wsgi_text"]

# CGI names for the two headers that have no HTTP_ prefix in a WSGI environ.
_UNPREFIXED = {"CONTENT_TYPE": "content-type", "CONTENT_LENGTH": "content-length"}
# Some servers also send these with the prefix; Werkzeug ignores those copies too.
_DUPLICATES = frozenset({"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"})


def wsgi_text(value: object) -> str:
    """Decode a WSGI "bytes as Latin-1 text" value as UTF-8, replacing invalid bytes."""
    text = str(value)
    try:
        return text.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:  # already real text (a server that decodes for us)
        return text


def environ_path(environ: Mapping[str, Any]) -> str:
    """Return ``SCRIPT_NAME + PATH_INFO``, decoded."""
    return wsgi_text(environ.get("SCRIPT_NAME", "")) + wsgi_text(environ.get("PATH_INFO", ""))


def environ_headers(environ: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield the request headers as (lower-case name, value) pairs."""
    for key, value in environ.items():
        if key.startswith("HTTP_") and key not in _DUPLICATES:
            yield key[5:].replace("_", "-").lower(), str(value)
        elif key in _UNPREFIXED and value:
            yield _UNPREFIXED[key], str(value)


def summarize_environ(
    redactor: Redactor,
    settings: RequestLogSettings,
    environ: MutableMapping[str, Any],
    *,
    max_content_length: int | None = None,
    skip_body: str | None = None,
) -> dict[str, object]:
    """Peek at the body (unless *skip_body* says why not) and return the start record's fields.

    Never raises: a failure anywhere yields ``{"summary_error": <type>}``
    and whatever was read is back in ``wsgi.input`` all the same.
    """
    try:
        if not settings.log_body:
            peek = Peek(complete=True)
        elif skip_body is not None:
            peek = Peek(skipped=skip_body)
        else:
            peek = peek_wsgi_input(environ, settings.body_cap, max_content_length=max_content_length)
        fields = summarize_request(
            redactor,
            settings,
            method=str(environ.get("REQUEST_METHOD", "")),
            path=environ_path(environ),
            query_string=str(environ.get("QUERY_STRING", "")),
            headers=environ_headers(environ),
            body=peek.body,
            body_complete=peek.complete,
        )
    except Exception as exc:  # noqa: BLE001 - fail closed: a placeholder, never raw request data
        return {"summary_error": type(exc).__name__}
    if peek.skipped is not None:
        fields["body"] = f"<body not read: {peek.skipped}>"
        fields["body_not_read"] = peek.skipped
    if peek.error is not None:
        fields["peek_error"] = peek.error
    return fields
