"""E-mail addresses, including percent-encoded and JSON-escaped forms."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator

import regex

from redactlog._finding import Finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, SHORT_TEXT, Deadline, compile_dual, detect_by_lines

__all__ = ["EmailDetector"]

_AT = r"(?:@|%40|\\u0040|&#64;|&#x40;)"
# JSON loggers escape non-ASCII characters ("\u00e9"), and so does the repr
# of UTF-8 bytes ("\xc3\xa9"): an escape counts as one character of a local
# part or a domain label.
_ESC = r"(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2})"
# A quoted local part may hold quoted pairs ("a\"b"@x), and so does one in a
# Python repr, which escapes an apostrophe ('"o\'neil"@example.com').
_LOCAL = (
    r"(?:\"(?:[^\"\\\r\n]|\\[^\r\n]){1,64}\""
    rf"|\\\"(?:[^\"\\\r\n]|{_ESC}){{1,64}}\\\""
    rf"|(?:[\w+.-]|%(?!40)[0-9A-Fa-f]{{2}}|\\u(?!0040)[0-9A-Fa-f]{{4}}|\\x(?!40)[0-9A-Fa-f]{{2}}){{1,64}})"
)
# A domain may also come percent-encoded from a URL or a form body
# ("b%C3%BCcher.de"): a byte of a non-ASCII character counts as one character.
_DOMAIN_ESC = rf"(?:{_ESC}|%[89A-Fa-f][0-9A-Fa-f])"
_ALNUM = rf"(?:[^\W_]|{_DOMAIN_ESC})"
_LABEL = rf"{_ALNUM}(?:(?:[\w-]|{_DOMAIN_ESC}){{0,61}}{_ALNUM})?"
_TLD = rf"(?:[^\W\d_]{{2,63}}|[Xx][Nn]--[A-Za-z0-9-]{{1,59}}|(?:{_DOMAIN_ESC}){{2,63}})"
_PATTERN = rf"(?<![\w.+%\\-]){_LOCAL}{_AT}(?P<domain>(?:{_LABEL}\.){{1,8}}{_TLD})(?![\w-])"
_TLD_SHAPE = re.compile(_TLD)
# A label is an alphanumeric character, then up to 62 word characters and
# "-" not ending in "_" or "-": taken possessively, since the run can only
# end at the "." that must follow (no backtracking through each label).
_PLAIN_DOMAIN = (
    r"(?P<domain>(?:[^\W_][\w-]{0,62}+(?<![_-])\.){1,8}(?P<tld>[^\W\d_]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59}))(?![\w-])"
)
# The same pattern without the alternatives that need a backslash or a "%"
# (escapes, percent-encoding): for texts that hold neither, it matches exactly
# the same, at a fraction of the cost of trying those alternatives per character.
_PLAIN_PATTERN = r"(?<![\w.+%\\-])(?:\"[^\"\\\r\n]{1,64}\"|[\w+.-]{1,64})(?:@|&#64;|&#x40;)" + _PLAIN_DOMAIN

# File extensions that follow "name@2x" in asset names; never real TLDs in logs.
_NOT_TLDS = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "ico",
        "bmp",
        "tif",
        "tiff",
        "avif",
        "css",
        "scss",
        "js",
        "mjs",
        "cjs",
        "ts",
        "tsx",
        "jsx",
        "map",
        "json",
        "yaml",
        "yml",
        "xml",
        "html",
        "htm",
        "txt",
        "log",
        "md",
        "rst",
        "py",
        "pyc",
        "rb",
        "go",
        "rs",
        "java",
        "class",
        "jar",
        "so",
        "dll",
        "exe",
        "bin",
        "dat",
        "zip",
        "gz",
        "tgz",
        "tar",
        "bz2",
        "xz",
        "zst",
        "sh",
        "bat",
        "lock",
        "toml",
        "ini",
        "cfg",
        "conf",
        "pdf",
        "csv",
        "tsv",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "eot",
        "mp3",
        "mp4",
        "wav",
        "webm",
        "mov",
        "avi",
    ],
)


class EmailDetector:
    r"""Detect e-mail addresses.

    Finds plain addresses with plus-tags, subdomains, quoted local parts,
    internationalised and punycode domains, and the forms that hide the ``@``
    from naive patterns: ``%40`` (URL-encoded), ``\u0040`` (JSON-escaped)
    and ``&#64;`` (HTML). Asset names such as ``logo@2x.png`` are not
    addresses; a password in URL user-info (``https://user:pw@host``) is left
    to the ``url_credentials`` detector.

    .. versionadded:: 0.1.0
    """

    name = "email"
    kind = "email"
    triggers = ("@", "%40", "\\u0040", "&#64;", "&#x40;")
    priority = 50

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._pattern = compile_dual(_PATTERN, timeout=timeout)
        self._plain = compile_dual(_PLAIN_PATTERN, timeout=timeout)
        # Every address holds one of the "@" forms. Trying the full pattern
        # at every position of a long text is what costs; instead find each
        # "@", the local part that ends right there, then match from it.
        self._anchors = compile_dual(_AT, timeout=timeout)
        self._local = compile_dual(rf"(?<![\w.+%\\-]){_LOCAL}(?={_AT})", timeout=timeout)

    def detect(self, text: str, /) -> Iterable[Finding]:
        """Return the e-mail addresses in *text*."""
        if len(text) <= SHORT_TEXT and "\\" not in text and "%" not in text and "&#" not in text:
            return self._detect_plain(text)
        return detect_by_lines(text, self._detect, self._pattern.timeout)

    def _detect_plain(self, text: str) -> list[Finding]:
        """Find the addresses of a short text whose only "@" form is the "@" itself.

        Most addresses in logs are plain ("jane.doe+tag@example.com"): their
        local part is the run of plain characters that ends at the "@" (for
        an address after a space, the match from that space proves it; else
        it is found by stripping those characters off the text before the
        "@"), and one match from its start takes the "@" and the domain.
        Anything else (quoted local parts, non-ASCII, a run too long) goes
        through the local-part pattern (:meth:`_general_address`), as in
        :meth:`_matches`, which finds exactly the same addresses.
        """
        at = text.find("@")
        if at < 0:
            return []
        findings: list[Finding] = []
        consumed = 0
        deadline: list[Deadline] = []
        kind, name = self.kind, self.name
        url = "://" in text
        # For an ASCII text the ASCII-only classes match exactly the same, faster.
        plain_address = _PLAIN_ADDRESS_ASCII if text.isascii() else _PLAIN_ADDRESS
        while at >= 0:
            low = at - _LOCAL_MAX - 1
            if low < consumed:  # noqa: PLR1730 - max() is a call, on every address
                low = consumed
            # The commonest shape first: a plain local part after a space
            # (the match itself proves the run plain and at most 64 long).
            address = None
            start = -1
            space = text.rfind(" ", low, at)
            if space >= 0:
                start = space + 1
                address = plain_address.match(text, start)
            if address is None:
                local = _plain_local_start(text, low, at)
                start = -1 if local is None else local
                if local is not None:
                    address = plain_address.match(text, local)
            if address is not None:
                consumed = address.end()
                if (
                    address[2].lower() not in _NOT_TLDS
                    and not (url and _in_url_userinfo(text, start))
                    and (text[consumed : consumed + 1] != ":" or _SCP_PATH.match(text, consumed) is None)
                ):
                    # The common case: _finding would keep it as it is.
                    findings.append(_new(Finding, (start, consumed, kind, name)))
                else:
                    finding = self._finding(text, start, consumed, *address.span(1))
                    if finding is not None:
                        findings.append(finding)
                at = text.find("@", consumed)
                continue
            match = self._general_address(text, consumed, at, deadline) if start < 0 else None
            if match is not None:
                consumed = match[1]
                finding = self._finding(text, *match)
                if finding is not None:
                    findings.append(finding)
                at = text.find("@", consumed)
            else:
                at = text.find("@", at + 1)
        return findings

    def _general_address(
        self, text: str, consumed: int, at: int, deadline: list[Deadline]
    ) -> tuple[int, int, int, int] | None:
        """Return the span and domain span of an address whose local part is not plain, or ``None``.

        *deadline* holds the text's time bound once one was needed.
        """
        before = text[at - 1] if at else ""
        if not (before == '"' or before.isalnum() or (before and before in "_+-.")):
            return None
        # Maybe a quoted or non-ASCII local part.
        if not deadline:
            deadline.append(Deadline(text, self._pattern.timeout, always=True))
        deadline[0].tick()
        local = self._local_start(text, max(consumed, at - _NEAR), at, at + 1)
        full = None if local is None else self._plain.match(text, local, len(text))
        return None if full is None else (*full.span(), *full.span("domain"))

    def _matches(self, text: str, deadline: Deadline) -> Iterator[re.Match[str] | regex.Match[str]]:
        length = len(text)
        consumed = 0
        pattern = self._plain if "\\" not in text and "%" not in text else self._pattern
        for anchor in self._anchors.finditer(text):
            deadline.tick()
            at, after = anchor.span()
            if at < consumed:
                continue
            local = self._local_start(text, max(consumed, at - _NEAR), at, after)
            if local is None and at - _NEAR > consumed and "\\u" in text[at - _NEAR : at]:
                local = self._local_start(text, max(consumed, at - _FAR), at, after)
            if local is None:
                continue
            high = min(length, after + _DOMAIN)
            match = pattern.match(text, local, high)
            if match is not None and match.end() >= high < length:
                match = pattern.match(text, local, length)
            if match is not None:
                consumed = match.end()
                yield match

    def _local_start(self, text: str, low: int, at: int, after: int) -> int | None:
        """Return where the local part that ends at *at* starts, or ``None``."""
        start = _plain_local_start(text, low, at)
        if start is not None:
            return start
        # The window can hold other local parts that end at an earlier "@"
        # ("from bob@corp to alice@example.com"): take the one ending here.
        for local in self._local.finditer_in(text, low, after):
            if local.end() == at:
                return local.start()
        return None

    def _detect(self, text: str) -> Iterator[Finding]:
        # Anchored scans can be driven quadratic by a text packed with anchors
        # ("=:" * 2048), short or not: always bounded, so they fail closed.
        deadline = Deadline(text, self._pattern.timeout, always=True)
        for match in self._matches(text, deadline):
            finding = self._finding(text, *match.span(), *match.span("domain"))
            if finding is not None:
                yield finding

    def _finding(self, text: str, start: int, end: int, domain_start: int, domain_end: int) -> Finding | None:
        """Return the finding for a match, or ``None`` for an asset name or URL user-info."""
        domain = text[domain_start:domain_end]
        while True:
            head, _, tld = domain.rpartition(".")
            if tld.lower() not in _NOT_TLDS:
                # After an extension is cut off ("a@b.min.css"), what is
                # left must still end in a TLD ("icon@1.5x.png" does not);
                # the pattern has checked the last label.
                if end != domain_end and _TLD_SHAPE.fullmatch(tld) is None:
                    return None
                break
            if "." not in head:
                return None
            domain = head
            end = domain_start + len(domain)
        if "://" in text and _in_url_userinfo(text, start):
            return None
        if _SCP_PATH.match(text, end) is not None and _is_scp_remote(text, start, end):
            # "git@github.com:acme/api.git": an scp-style remote (a user on a host, then a path), not an address.
            return None
        return Finding(start, end, self.kind, self.name)


# Findings of the fast path are built without the named tuple's Python-level __new__.
_new = tuple.__new__

_PLAIN_LOCAL = string.ascii_letters + string.digits + "_+-."
# Besides word characters, what the local-part pattern's look-behind refuses before a local part.
_NOT_BEFORE_LOCAL = frozenset(".+%\\-_")
_LOCAL_MAX = 64
# A plain local part already checked (at most 64 characters, nothing
# before it that the local-part pattern's look-behind refuses), its "@" and the domain.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9_+.-]{1,64}+@" + _PLAIN_DOMAIN)
_PLAIN_ADDRESS_ASCII = re.compile(_PLAIN_ADDRESS.pattern, re.ASCII)

# What follows the host of an scp-style remote or copy: a colon and a path
# ("~/", "/srv", "acme/api.git"). Not a colon and a word alone: "email:password"
# pairs of a credential dump hold an address.
_SCP_PATH = re.compile(r":(?:[~/]|[\w.-]{1,128}/)")
# The accounts remotes and copies log in as, and a repository path: with
# neither, "jane@example.com:/v1/chat" is an address before a colon.
_REMOTE_USERS = frozenset(
    {"git", "root", "ubuntu", "ec2-user", "admin", "deploy", "centos", "debian", "core", "pi", "azureuser", "opc"}
)
_GIT_PATH = re.compile(r":[\w~./-]{0,256}\.git(?![\w.-])")


def _is_scp_remote(text: str, start: int, end: int) -> bool:
    """Whether the address-like ``text[start:end]``, followed by a colon and a path, is an scp-style remote."""
    at = text.rfind("@", start, end)
    return text[start:at].lower() in _REMOTE_USERS or _GIT_PATH.match(text, end) is not None


_NEAR = 80
"""Characters before an "@" searched for its local part (64, plus quotes and encodings)."""
_FAR = 400
"""The same, for local parts made of JSON escapes (six characters each)."""
_DOMAIN = 1600
"""Characters after an "@" a domain may span (eight escaped labels)."""


def _plain_local_start(text: str, low: int, at: int) -> int | None:
    """Return where a plain local part that ends at *at* starts, not before *low*; ``None`` if there is none.

    Most local parts are plain ASCII ("jane.doe+tag"): stripping those
    characters off the text before the "@" finds the same start as the
    local-part pattern at a fraction of its cost. Anything else (quotes,
    escapes, non-ASCII, a run longer than a local part) is left to the
    pattern.
    """
    if low < at - _LOCAL_MAX - 1:  # noqa: PLR1730 - max() is a call, on every address
        low = at - _LOCAL_MAX - 1
    head = text[low:at]
    start = low + len(head.rstrip(_PLAIN_LOCAL))
    before = text[start - 1] if start else ""
    if (
        0 < at - start <= _LOCAL_MAX
        and not before.isalnum()  # \w is alphanumeric or "_"
        and before not in _NOT_BEFORE_LOCAL
    ):
        return start
    return None


def _in_url_userinfo(text: str, start: int) -> bool:
    """Whether *start* lies in the user-info of a URL (``scheme://user:pw@``)."""
    scheme = text.rfind("://", max(0, start - 256), start)
    if scheme < 0:
        return False
    # Nothing but user-info between "://" and the match: either the match is
    # the whole user-info ("https://<token>@host") or it follows "user:".
    between = text[scheme + 3 : start]
    return not any(c in between for c in " /?#\t\n@\"'")
