"""Peek at the start of a WSGI request body and put it back, byte for byte.

The logger reads at most the cap from ``environ["wsgi.input"]`` and replaces
the stream with a :class:`PrefixedStream` that yields those bytes first and
then the untouched rest; a body read whole is replaced by an ``io.BytesIO``.
Werkzeug (or any framework) later wraps it exactly as it would have wrapped
the original, so limits, streaming and form parsing behave as without the
logger.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import IO, Any

__all__ = ["Peek", "PrefixedStream", "content_length", "peek_wsgi_input"]


class PrefixedStream(io.RawIOBase):
    """A readable stream of *prefix* followed by what remains of *rest*.

    It uses only ``rest.read()`` (``readinto`` is optional in WSGI, PEP 3333)
    and never closes *rest*: the server owns it.
    """

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._offset = 0
        self._rest = rest

    def readable(self) -> bool:
        """Return ``True``."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill *buffer* from the prefix first, then from the rest; may return fewer bytes."""
        view = memoryview(buffer).cast("B")
        remaining = len(self._prefix) - self._offset
        if remaining > 0:
            size = min(remaining, len(view))
            view[:size] = self._prefix[self._offset : self._offset + size]
            self._offset += size
            return size
        data = self._rest.read(len(view))
        if not data:
            return 0
        view[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        """Read up to *size* bytes (everything when *size* is negative or ``None``)."""
        remaining = len(self._prefix) - self._offset
        if size is None or size < 0:
            head = bytes(self._prefix[self._offset :])
            self._offset = len(self._prefix)
            return head + self._rest.read()
        if remaining > 0:
            size = min(size, remaining)
            head = bytes(self._prefix[self._offset : self._offset + size])
            self._offset += size
            return head
        return self._rest.read(size)

    def readall(self) -> bytes:
        """Read to the end of the stream."""
        return self.read(-1)

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line (its newline included) from the prefix, then from the rest."""
        remaining = len(self._prefix) - self._offset
        if remaining <= 0:
            return self._rest.readline() if size is None or size < 0 else self._rest.readline(size)
        limit = remaining if size is None or size < 0 else min(size, remaining)
        window = bytes(self._prefix[self._offset : self._offset + limit])
        end = window.find(b"\n")
        if end >= 0:
            window = window[: end + 1]
        self._offset += len(window)
        if end >= 0 or (size is not None and 0 <= size <= len(window)):
            return window
        # The line goes on past the prefix: finish it from the rest.
        more = size - len(window) if size is not None and size >= 0 else -1
        return window + (self._rest.readline() if more < 0 else self._rest.readline(more))

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


@dataclass(frozen=True, slots=True)
class Peek:
    """What a peek read: the bytes, whether they are the whole body, and why nothing was read."""

    body: bytes = b""
    complete: bool = False
    skipped: str | None = None
    error: str | None = None


def content_length(environ: MutableMapping[str, Any]) -> int | None:
    """Return the declared body length, as Werkzeug reads it (``None`` if absent, invalid or chunked)."""
    if "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
        return None
    value = environ.get("CONTENT_LENGTH")
    if value is None or value == "":
        return None
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return None


def peek_wsgi_input(environ: MutableMapping[str, Any], cap: int, *, max_content_length: int | None = None) -> Peek:
    """Read at most *cap* (+1 without a length) body bytes and put them back in front of the stream.

    Never reads past ``CONTENT_LENGTH`` (with keep-alive that would block on
    the next request); without one, reads only if the server terminates the
    input (``wsgi.input_terminated``), exactly when Werkzeug would. A body
    declared larger than *max_content_length* is not read at all: the
    application rejects it, and the client should not be asked to send it.
    """
    length = content_length(environ)
    if max_content_length is not None and length is not None and length > max_content_length:
        return Peek(skipped="content length exceeds the limit")
    if length is not None:
        want = min(cap, length)
    elif environ.get("wsgi.input_terminated"):
        want = cap + 1  # the extra byte tells a body of exactly cap bytes from a longer one
    else:
        # Without a length or a terminated stream the body is unreadable (and
        # Werkzeug shows the app an empty one); reading could block forever.
        return Peek(body=b"", complete=True)
    if want == 0:  # an empty body, or a cap of 0
        return Peek(body=b"", complete=length == 0)
    raw: IO[bytes] = environ["wsgi.input"]
    chunks: list[bytes] = []
    got = 0
    eof = False
    error: str | None = None
    try:
        while got < want:
            # Servers may return short reads; loop until the bytes or EOF.
            chunk = raw.read(want - got)
            if not chunk:
                eof = True
                break
            chunks.append(chunk)
            got += len(chunk)
    except Exception as exc:  # noqa: BLE001 - a client gone mid-body: keep what came, the app sees the rest
        error = type(exc).__name__
    data = b"".join(chunks)
    # With a length, the body is whole once it is all read; without one, once
    # EOF came before the extra byte that would prove it longer than the cap.
    complete = got >= length if length is not None else eof and got <= cap
    if data:
        # A body read whole is served from memory by io.BytesIO (in C): the
        # server's stream has nothing more of this request to give.
        environ["wsgi.input"] = io.BytesIO(data) if complete and error is None else PrefixedStream(data, raw)
    return Peek(body=data[:cap], complete=complete, error=error)
