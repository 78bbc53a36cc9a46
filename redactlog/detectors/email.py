"""E-mail addresses, including percent-encoded and JSON-escaped forms."""

from __future__ import annotations

from collections.abc import Iterator

from redactlog._finding import Finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, compile_dual

__all__ = ["EmailDetector"]

_AT = r"(?:@|%40|\\u0040|&#64;|&#x40;)"
_LOCAL = r"(?:\"[^\"\\\r\n]{1,64}\"|(?:[\w+-]|%(?!40)[0-9A-Fa-f]{2}|\.(?!\.)){1,64})"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TLD = r"(?:[^\W\d_]{2,63}|xn--[A-Za-z0-9-]{1,59})"
_PATTERN = rf"(?<![\w.+%-]){_LOCAL}{_AT}(?P<domain>(?:{_LABEL}\.){{1,8}}{_TLD})(?![\w-])"

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

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the e-mail addresses in *text*."""
        for match in self._pattern.finditer(text):
            start, end = match.span()
            domain_start, domain_end = match.span("domain")
            domain = text[domain_start:domain_end]
            while True:
                head, _, tld = domain.rpartition(".")
                if tld.lower() not in _NOT_TLDS:
                    break
                if "." not in head:
                    end = -1
                    break
                domain = head
                end = domain_start + len(domain)
            if end < 0 or _in_url_userinfo(text, start):
                continue
            yield Finding(start, end, self.kind, self.name)


def _in_url_userinfo(text: str, start: int) -> bool:
    """Whether *start* lies in the user-info of a URL (``scheme://user:pw@``)."""
    window = text[max(0, start - 256) : start]
    scheme = window.rfind("://")
    if scheme < 0:
        return False
    between = window[scheme + 3 :]
    return ":" in between and not any(c in between for c in " /\t\n@\"'")
