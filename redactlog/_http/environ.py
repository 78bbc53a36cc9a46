"""Turn a WSGI environ into the fields of a start record (the WSGI and Flask loggers share this)."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from redactlog._http.peek import Peek, peek_wsgi_input
from redactlog._http.summary import RequestSummarizer

__all__ = ["environ_headers", "environ_path", "summarize_environ", "wsgi_text"]

# CGI names for the two headers that have no HTTP_ prefix in a WSGI environ.
_UNPREFIXED = {"CONTENT_TYPE": "content-type", "CONTENT_LENGTH": "content-length"}
# Some servers also send these with the prefix; Werkzeug ignores those copies too.
_DUPLICATES = frozenset({"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"})
# The peek of a logger that does not log bodies (immutable: shared by all requests).
_NOT_READ = Peek(complete=True)


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


def environ_headers(environ: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return the request headers as (lower-case name, value) pairs."""
    headers = [
        (key[5:].replace("_", "-").lower(), value if type(value) is str else str(value))
        for key, value in environ.items()
        if key[:5] == "HTTP_" and key not in _DUPLICATES
    ]
    for key, name in _UNPREFIXED.items():
        value = environ.get(key)
        if value:
            headers.append((name, str(value)))
    return headers


def summarize_environ(
    summarizer: RequestSummarizer,
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
        settings = summarizer.settings
        if not settings.log_body:
            peek = _NOT_READ
        elif skip_body is not None:
            peek = Peek(skipped=skip_body)
        else:
            peek = peek_wsgi_input(environ, settings.body_cap, max_content_length=max_content_length)
        fields = summarizer.request_fields(
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
