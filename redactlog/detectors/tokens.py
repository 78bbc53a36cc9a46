"""Tokens and credentials: JWTs, Authorization values, provider API keys, PEM keys, URL passwords."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from typing import Final

import regex

from redactlog._finding import Finding, new_finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, Deadline, RegexDetector, compile_dual, detect_by_lines

__all__ = [
    "AuthorizationDetector",
    "JWTDetector",
    "PrivateKeyDetector",
    "URLCredentialsDetector",
    "api_key_detectors",
]

_B64URL = re.compile(r"[A-Za-z0-9_-]+")


def _b64url_json(segment: str) -> object:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


class JWTDetector:
    """Detect JSON Web Tokens (JWS and JWE compact forms), checked structurally.

    The header must decode to a JSON object with an ``alg`` or ``typ``
    member; the payload must decode to JSON. Unsigned tokens (empty third
    part) count too, since their claims are still personal data. An
    encrypted token (JWE: five parts, a header with ``enc``) is masked with
    all five, its encrypted key empty or not (``"alg": "dir"``).

    .. versionadded:: 0.1.0
    """

    name = "jwt"
    kind = "jwt"
    triggers = ("eyJ",)
    priority = 80

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        # Runs of the base64url alphabet never hold a ".": each part ends at
        # its dot, and the optional last two parts (a JWE's) are tried once.
        self._pattern = compile_dual(
            r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{0,16384}\.[A-Za-z0-9_-]{0,2048}"
            r"(?P<jwe>\.[A-Za-z0-9_-]{1,65536}\.[A-Za-z0-9_-]{0,1024})?(?![A-Za-z0-9_-])",
            timeout=timeout,
        )

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the JWTs in *text*."""
        return detect_by_lines(text, self._detect, self._pattern.timeout)

    def _detect(self, text: str) -> Iterator[Finding]:
        deadline = Deadline(text, self._pattern.timeout)
        search = self._pattern.search
        position = 0
        while (match := search(text, position)) is not None:
            deadline.tick()
            end = _token_end(match)
            if end is None:
                # Not a token, but one may start in a later part of what matched
                # ("eyJnot-json.<a whole JWT>"): look again from the next part.
                position = match.start() + 1
                continue
            yield new_finding(match.start(), end, self.kind, self.name)
            position = end


def _token_end(match: re.Match[str] | regex.Match[str]) -> int | None:
    """Return where the token a JWT candidate holds ends, or ``None`` when it holds none."""
    header, payload, _ = match.group().split(".", 2)
    decoded = _b64url_json(header)
    if not isinstance(decoded, dict) or not ("alg" in decoded or "typ" in decoded):
        return None
    if match["jwe"] is not None and "enc" in decoded:
        return match.end()
    # A JWS: its three parts (a signed token followed by ".x.y" is still one).
    if len(payload) >= 2 and (_b64url_json(payload) is not None or len(payload) > 16):  # noqa: PLR2004
        return match.start("jwe") if match["jwe"] is not None else match.end()
    return None


_SCHEMES: Final = ("bearer", "basic", "token", "digest", "negotiate", "ntlm")
# Scheme words in a text beyond which one search of the whole pattern costs less
# than a match at each of them.
_MAX_STARTS: Final = 16


class AuthorizationDetector:
    """Detect credentials after an HTTP authentication scheme.

    ``Bearer <token>``, ``Basic <base64 user:password>``, ``Token <token>``
    and ``Digest``/``Negotiate``/``NTLM`` values, wherever they appear (not
    only after ``Authorization:``). To leave prose alone ("bearer of bad
    news", "Basic authentication failed"), a Basic value must decode to
    ``user:password`` and other values must look like tokens (at least 8
    characters with a digit or one of ``._~+/=-``, ``=`` only as padding);
    ``key=value`` parameters count only after ``Digest``, so
    ``token_type=bearer expires_in=3600`` and ``Bearer realm="api"``
    challenges are kept.

    .. versionadded:: 0.1.0
    """

    name = "authorization"
    kind = "credential"
    # "Bearer x" and "Basic x" also occur in prose; other schemes only after
    # a header name, which brings ":" or "=".
    triggers = ("earer", "asic", ":", "=")
    # The gate also needs one of these (in any case): a scheme word and the
    # blank the pattern requires after it, so lines with ":" or "=" but no
    # scheme never reach the detector, nor do "token=...", "csrf_token: ..."
    # and "basic_auth=...".
    keywords = tuple(f"{scheme}{blank}" for scheme in _SCHEMES for blank in " \t")
    priority = 60

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._pattern = compile_dual(
            r"(?i:\b(?P<scheme>bearer|basic|token|digest|negotiate|ntlm)\b)[ \t]{1,8}"
            # RFC 7235: a token68 ("=" only as padding at its end) or, for
            # Digest, comma-separated auth-params.
            r"(?P<value>[A-Za-z0-9._~+/-]{8,8192}=*(?![A-Za-z0-9._~+/=-])"
            r"|(?P<params>[A-Za-z][\w-]{0,30}=(?:\"[^\"\n]{0,512}\"|[^\s,\"]{1,512})"
            r"(?:,[ \t]*[A-Za-z][\w-]{0,30}=(?:\"[^\"\n]{0,512}\"|[^\s,\"]{1,512})){0,16}))",
            timeout=timeout,
        )

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the credentials in *text*."""
        return detect_by_lines(text, self._detect, self._pattern.timeout)

    def _detect(self, text: str) -> Iterator[Finding]:
        lowered = text.lower()
        if text.isascii():
            # Every match starts at a scheme word, and in ASCII text lower()
            # finds exactly where (?i) would: the pattern, whose leading \b and
            # case-insensitive words leave re no character to skip to, is
            # tried only there.
            # Counted in C first (no scheme word overlaps itself): a text full of
            # them is cheaper for re to walk in C than to try at each one.
            words = sum(lowered.count(scheme) for scheme in _SCHEMES)
            if not words:
                return
            matches: Iterator[re.Match[str] | regex.Match[str]]
            if words <= _MAX_STARTS:
                starts = sorted(at for scheme in _SCHEMES for at in _occurrences(lowered, scheme))
                matches = self._matches_at(text, starts)
            else:
                matches = self._pattern.finditer(text)
        elif any(scheme in lowered for scheme in _SCHEMES):
            matches = self._pattern.finditer(text)
        else:
            return
        deadline = Deadline(text, self._pattern.timeout)
        for match in matches:
            deadline.tick()
            scheme, value = match["scheme"].lower(), match["value"]
            if match["params"] is not None and scheme != "digest":
                # "token_type=bearer expires_in=3600", "Bearer realm=..." (a
                # challenge, not a credential).
                continue
            if scheme == "basic":
                if not _is_basic_credential(value):
                    continue
            elif not any(c.isdigit() or c in "._~+/=-" for c in value):
                continue
            yield new_finding(match.start("value"), match.end("value"), self.kind, self.name)

    def _matches_at(self, text: str, starts: list[int]) -> Iterator[re.Match[str] | regex.Match[str]]:
        """Yield what ``finditer`` would, trying the pattern only at *starts* (sorted)."""
        done = 0
        for start in starts:
            if start < done:
                continue
            match = self._pattern.match(text, start)
            if match is not None:
                done = match.end()
                yield match


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Yield where *word* starts in *text*."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _is_basic_credential(value: str) -> bool:
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in decoded


# curl's "-u user:password" and "--user user:password" (also "-uuser:pw",
# "--user=..." and quoted): the same credential as a URL's user-info.
_USER_OPTION = (
    r"""(?<![\w-])(?:-u|--user)(?:[ =][ ]{0,3})?"""
    r"""(?:(?P<q>['"])[^\s:'"]{1,256}:(?P<quoted>[^'"\n]{1,1024})(?P=q)|[^\s:'"]{1,256}:(?P<password>[^\s'"]{1,1024}))"""
)


class URLCredentialsDetector:
    """Detect the password in a URL's user-info: ``postgres://app:<password>@db/prod``.

    The user name is kept (it is usually an account, not a secret); a
    user-info without a password (``https://token@host``) is masked whole,
    since that form carries tokens. The same credential given to curl
    (``curl -u alice:<password>``, ``--user``) loses its password too.

    .. versionadded:: 0.1.0
    """

    name = "url_credentials"
    kind = "url_password"
    triggers = ("://", "-u")
    priority = 70

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._pattern = compile_dual(
            r"\b[A-Za-z][A-Za-z0-9+.-]{0,30}://(?P<authority>[^\s/?#\"'<>]{1,1024})",
            timeout=timeout,
        )
        self._user_option = compile_dual(_USER_OPTION, timeout=timeout)

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the URL passwords (or password-less user-infos) in *text*."""
        return detect_by_lines(text, self._detect, self._pattern.timeout)

    def _detect(self, text: str) -> Iterator[Finding]:
        deadline = Deadline(text, self._pattern.timeout)
        if "-u" in text:
            for option in self._user_option.finditer(text):
                deadline.tick()
                group = "password" if option["quoted"] is None else "quoted"
                yield new_finding(*option.span(group), self.kind, self.name)
        # User-info ends in "@": most URLs in logs have none and cost nothing.
        if "@" not in text:
            return
        for match in self._pattern.finditer(text):
            deadline.tick()
            authority = match["authority"]
            userinfo, at, _ = authority.rpartition("@")
            if not at or not userinfo:
                continue
            start = match.start("authority")
            user, colon, password = userinfo.partition(":")
            if colon and password:
                yield new_finding(start + len(user) + 1, start + len(userinfo), self.kind, self.name)
            elif not colon and len(user) >= 16:  # noqa: PLR2004 - a token, not a user name
                yield new_finding(start, start + len(user), self.kind, self.name)


class PrivateKeyDetector:
    """Detect PEM private-key blocks, including truncated and JSON-escaped ones.

    .. versionadded:: 0.1.0
    """

    name = "private_key"
    kind = "private_key"
    triggers = ("-----BEGIN",)
    priority = 90
    max_block = 16384

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._begin = compile_dual(r"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----", timeout=timeout)

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the private-key blocks in *text*; an unterminated block is masked to its end."""
        position = 0
        while True:
            match = self._begin.search(text, position)
            if match is None:
                return
            end_marker = text.find("-----END", match.end(), match.end() + self.max_block)
            if end_marker < 0:
                end = min(len(text), match.end() + self.max_block)
            else:
                close = text.find("-----", end_marker + 8, end_marker + 80)
                end = close + 5 if close >= 0 else end_marker + 8
            yield new_finding(match.start(), end, self.kind, self.name)
            position = end


# A pattern that opens with a word boundary and a literal: \bSK[0-9a-f]{32}.
_BOUNDARY_AND_LITERAL = re.compile(r"\\b([A-Za-z0-9_]+)(?![*+?{])")


def _literal_first(pattern: str) -> str:
    r"""Move a leading word boundary behind the literal that follows it.

    ``\bSK...`` and ``SK(?<!\wSK)...`` match the same text, but re searches
    for a pattern's leading literal in C and tries the rest only there, while
    a leading ``\b`` is tried at every character. It matters where a trigger
    wakes a detector that finds nothing ("SKU-0042" for the Twilio key).
    """
    match = _BOUNDARY_AND_LITERAL.match(pattern)
    if match is None:
        return pattern
    literal = match.group(1)
    return f"{literal}(?<!\\w{literal}){pattern[match.end() :]}"


def _provider(name: str, pattern: str, triggers: tuple[str, ...], *, timeout: float) -> RegexDetector:
    return RegexDetector(
        name,
        _literal_first(pattern),
        kind="api_key",
        triggers=triggers,
        priority=85,
        timeout=timeout,
        audited=True,
    )


def api_key_detectors(*, timeout: float = DEFAULT_TIMEOUT) -> tuple[RegexDetector, ...]:
    """Return one detector per cloud or SaaS key format, each named after its provider.

    Formats are the providers' public ones; every detector has literal
    triggers (its key prefix), so they cost nothing on text without them.

    .. versionadded:: 0.1.0
    """
    word_end = r"(?![A-Za-z0-9_])"
    table: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        (
            "github_token",
            r"\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251})" + word_end,
            ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        ),
        (
            "gitlab_token",
            r"\bgl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_.-]{20,128}",
            ("glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "gloas-"),
        ),
        ("aws_access_key_id", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])", ("AKIA", "ASIA", "ABIA", "ACCA")),
        (
            "aws_secret_access_key",
            # A blank alone separates them in "aws configure set aws_secret_access_key <secret>".
            # (Only after a name ending in "key", and never a 40-digit hex run: a SHA-1 after "aws-secrets-operator".)
            r"(?i:aws)[\w.-]{0,20}(?i:secret)[\w.-]{0,20}"
            r"(?:[\"']?\s{0,3}[:=,]\s{0,3}[\"']?|(?<=[kK][eE][yY])[ \t]{1,3}+(?![0-9a-f]{40}(?![A-Za-z0-9/+=])))"
            r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
            ("=", ":", ",", "secret_access_key ", "SECRET_ACCESS_KEY "),
        ),
        (
            "aws_session_token",
            r"\b(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{60,4096}",
            ("FwoGZXIvYXdz", "IQoJb3JpZ2lu"),
        ),
        ("google_api_key", r"\bAIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])", ("AIza",)),
        (
            "slack_token",
            r"\bxox[abposre]-[A-Za-z0-9-]{10,250}",
            ("xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxs-", "xoxr-", "xoxe-"),
        ),
        (
            "slack_webhook",
            r"(?<=hooks\.slack\.com/)(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{16,256}",
            ("://hooks.slack.com/",),
        ),
        (
            "discord_webhook",
            r"(?<=/api/webhooks/)[0-9]{17,20}/[A-Za-z0-9_-]{60,100}(?![A-Za-z0-9_-])",
            # With the scheme's "://": anchored on ":", which the gate already
            # stops at, rather than on "/", which fills paths and dates.
            ("://discord.com/api/webhooks/", "://discordapp.com/api/webhooks/"),
        ),
        (
            "stripe_key",
            r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,247}" + word_end,
            ("sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_", "pk_test_"),
        ),
        ("stripe_webhook_secret", r"\bwhsec_[A-Za-z0-9+/=]{16,128}", ("whsec_",)),
        ("anthropic_key", r"\bsk-ant-[A-Za-z0-9]{2,12}-[A-Za-z0-9_-]{20,256}", ("sk-ant-",)),
        (
            "openai_key",
            r"\bsk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,256}(?![A-Za-z0-9_-])",
            ("sk-",),
        ),
        # "SK" alone would wake the detector for every SKU, TASK and DESK.
        ("twilio_api_key", r"\bSK[0-9a-f]{32}\b", tuple(f"SK{digit}" for digit in "0123456789abcdef")),
        ("sendgrid_key", r"\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}", ("SG.",)),
        ("npm_token", r"\bnpm_[A-Za-z0-9]{36}" + word_end, ("npm_",)),
        ("pypi_token", r"\bpypi-AgE[A-Za-z0-9_-]{50,1024}", ("pypi-AgE",)),
        ("huggingface_token", r"\bhf_[A-Za-z0-9]{30,40}" + word_end, ("hf_",)),
        ("shopify_token", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + word_end, ("shpat_", "shpca_", "shppa_", "shpss_")),
        ("digitalocean_token", r"\bdo[opr]_v1_[a-f0-9]{64}" + word_end, ("dop_v1_", "doo_v1_", "dor_v1_")),
        ("mailgun_key", r"\bkey-[0-9a-f]{32}" + word_end, ("key-",)),
    )
    detectors = [_provider(name, pattern, triggers, timeout=timeout) for name, pattern, triggers in table]
    # An access key id and its secret joined by a colon, as credential files,
    # CLI flags and connection strings write them: only the secret is masked
    # here (the id is aws_access_key_id's).
    detectors.append(
        RegexDetector(
            "aws_key_pair",
            r"\bA[KS]IA[A-Z0-9]{16}:(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
            kind="api_key",
            triggers=("AKIA", "ASIA"),
            group="s",
            priority=85,
            timeout=timeout,
            audited=True,
        )
    )
    # The AWS secret needs its context to be recognised, but only the key is masked.
    detectors[3] = RegexDetector(
        "aws_secret_access_key",
        table[3][1],
        kind="api_key",
        triggers=table[3][2],
        keywords=("secret",),
        group="s",
        priority=85,
        timeout=timeout,
        audited=True,
    )
    return tuple(detectors)
