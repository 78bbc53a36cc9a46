"""Values under sensitive keys in text: ``password=...``, ``"token": "..."``, ``Cookie: ...``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

import regex

from redactlog._finding import Finding, new_finding
from redactlog._keys import DEFAULT_SENSITIVE_KEYS, SensitiveKeys, holds_no_secret, normalize_key
from redactlog._skeleton import decode, may_overlap_hex_word, skeleton, zero_digits
from redactlog.detectors._base import DEFAULT_TIMEOUT, SHORT_TEXT, Deadline, DualPattern, compile_dual, detect_by_lines
from redactlog.detectors.signatures import signature_digest_spans

__all__ = ["KeyValueDetector"]

_PAIR = r"""
# Keys are taken possessively: a key cannot end earlier than its run of key
# characters, so giving characters back would only cost time on every word.
# Every pair starts with one of the characters of the first class; taking it
# before the alternatives lets re skip in C over the others (digits, blanks,
# punctuation). The alternatives then look back at it. The group k4 holds a
# bare key without its first character (the match starts there). A quoted
# key may close a subscript (os.environ["DB_PASSWORD"] = "..."). A bare key
# may hold brackets and percent-escapes, as Rails and PHP name form fields
# ("user[password]", "user%5Bpassword%5D"), and PowerShell names an
# environment variable "$env:API_TOKEN".
[\\"'A-Za-z_@$]
(?:
    (?<=\\)"(?P<k1>[^"\\\n]{1,64}+)\\"
  | (?<=")(?P<k2>[^"\\\n]{1,64}+)"\]?
  | (?<=')(?P<k3>[^'\\\n]{1,64}+)'\]?
  | (?<![\w.].)(?<![\w.]-.)(?<=[A-Za-z_@$])(?P<k4>(?:(?<=\$)env:(?=[A-Za-z_]))?[\w.\-\[\]%]{0,63}+)
)
[ \t]{0,32}+(?P<sep>:|=>|=)[ \t]{0,32}
(?:
    \\"(?P<v1>(?:[^"\\]++|\\(?!"))*)\\"
  # A string prefix (b'...', u"...") belongs to the value; a quote that is
  # never closed (a truncated payload) runs to the end of the line.
  | [bBrRuUfF]{0,2}"(?P<v2>(?:[^"\\\n]++|\\.)*)(?:"|(?=\n)|\Z)
  | [bBrRuUfF]{0,2}'(?P<v3>(?:[^'\\\n]++|\\.)*)(?:'|(?=\n)|\Z)
  # Plain characters are taken in possessive runs (not one alternation per
  # character, which long values would pay for). Brackets are kept inside a
  # value when they close in it, so "abc[REDACTED:x]def" and "p(1)x" are one
  # value; a bracket pair is tried before a lone opening bracket, and a lone
  # closing bracket ends the value.
  # A YAML folded block's header (">", ">-") is a value of its own: the
  # block on the following lines is found in Python.
  | (?P<v4>(?:[^\s,;&"'<>()\[\]{}]{1,4096}+|\[[^\s\[\]]{0,64}\]|\([^\s()]{0,64}\)|[(\[{]){1,64}
      |>[+-]?[1-9]?[+-]?(?=[ \t]{0,64}(?:\#[^\n]{0,256})?\n))
)
"""
_SCHEMES = frozenset({"bearer", "basic", "token", "digest", "negotiate", "ntlm", "hmac", "signature", "apikey"})
_AFTER_SCHEME = re.compile(r"[ \t]{1,8}[^\s\"']{1,8192}(?:,[ \t]{0,8}[^\s,\"']{1,1024}){0,16}")
# An authentication scheme at the start of a value ("Bearer <token>"): the
# scheme is kept readable, the credential after it is masked.
_LEADING_SCHEME = re.compile(
    r"(?i:bearer|basic|token|digest|negotiate|ntlm|hmac|signature|apikey|aws4-hmac-sha256)[ \t]+(?=\S)"
)
# An unquoted signature value runs over the "," and ";" that separate its
# parts ("t=..,v1=..", "keyId=..,signature=..") and over further
# space-separated "v1,<b64>" entries and ", v1=" parts (a Stripe header
# written with a blank after its comma); "&" still ends a query parameter.
# Bounded: a real signature value is well under a kilobyte, and the parts are
# parsed one by one in Python.
_SIGNATURE_VALUE = re.compile(
    r"[^\s\"'&<>\]}]{0,2048}(?:(?:[ ]{1,8}v\d{1,2}a?,|(?<=,)[ ]{1,8}v\d{1,2}=)[^\s\"'&<>\]}]{1,1024}){0,16}"
)
_TO_LINE_END = frozenset({"cookie", "set_cookie", "authorization", "proxy_authorization"})
# The first letters of the schemes of _LEADING_SCHEME (and the long s, which
# "(?i)" matches as "s"): most values start with another and skip the pattern.
_SCHEME_INITIALS = frozenset("bBtTdDnNhHsSaA\u017f")
_SEPARATOR_NEXT = re.compile(r"[ \t]{0,32}(?::|=>|=)")
# The characters _SEPARATOR_NEXT can start with ("" is never in a frozenset of characters).
_SEPARATOR_FIRST = frozenset(" \t:=")
_NEXT_PAIR = re.compile(r"[A-Za-z_][\w.-]{0,63}=")
_MAX_NESTING = 3
_BLANKS = frozenset(" \t")
_MAX_COLON_BLANKS = 3
_TRAILING = frozenset(" \t\r")
# A Python pair tuple, as in the repr of ASGI headers and multi-dicts:
# ('password', '...'), (b'x-api-key', b'...'). The key is a field name, the
# value one string literal; runs are possessive, so the scan stays linear.
_TUPLE_PAIR = (
    r"""\([bu]?(?P<q>['"])(?P<key>[A-Za-z_$][\w$.\-]{0,63}+)(?P=q),[ \t]{0,3}[bBuU]?"""
    r"""(?:'(?P<v1>(?:[^'\\\n]++|\\.)*+)'|"(?P<v2>(?:[^"\\\n]++|\\.)*+)")[ \t]{0,3}\)"""
)
# The keys of such tuples, for might_match().
_TUPLE_KEYS = re.compile(r"""\([bu]?(['"])([A-Za-z_$][\w$.\-]{0,63}+)\1,""")
# Every pair tuple holds one of these (its opening).
_TUPLE_OPENINGS = ("('", '("', "(b'", '(b"', "(u'", '(u"')
# The dashes of a long option: two, never after a word character or another
# dash ("sync--1", "---"), or one after a blank or a quote before a name of
# four letters or more, as keytool and openssl write theirs ("-storepass <value>").
# (The leading "-" lets re skip to the dashes of a line in C.)
_OPTION_DASHES = r"""-(?:(?<![\w-]-)-|(?<=[ \t'"]-)(?=[A-Za-z][\w.\-]{3}))"""
# A long command-line option and its value after a blank, as a shell command
# is logged ("--password <value>") or as a list of arguments prints in a
# Python repr ("'--password', '<value>'", the message of CalledProcessError).
# The value is one word that does not start with "-" (that is the next
# option), or a quoted string; runs are possessive, so the scan stays linear.
_OPTION = (
    rf"""{_OPTION_DASHES}(?P<key>[A-Za-z][\w.\-]{{0,63}}+)"""
    r"""(?:(?P<q>['"]),[ \t]{0,3}[bu]?(?:'(?P<v1>(?:[^'\\\n]++|\\.)*+)'|"(?P<v5>(?:[^"\\\n]++|\\.)*+)")"""
    r"""|[ \t]{1,3}+(?:'(?P<v2>[^'\n]{1,4096}+)'|"(?P<v3>[^"\n]{1,4096}+)"|(?P<v4>[^\s'"\-][^\s'"]{0,4095}+)))"""
)
# Sensitive key names that mostly name something else as a command-line option
# ("sort --key 2", "--session default", "--pin 3.11") or as a padded column
# ("INFO auth            : login ok").
_AMBIGUOUS_NAMES = frozenset({"key", "session", "pin", "sig", "auth"})
# The same for a single dash: ffmpeg's "-pass 1" is an encoding pass.
_AMBIGUOUS_SHORT_NAMES = frozenset({"pass"})
_PATH_STARTS = ("/", "./", "../", "~/")
# The keys of such options, for might_match().
_OPTION_KEYS = re.compile(rf"{_OPTION_DASHES}([A-Za-z][\w.\-]{{0,63}}+)(?:['\"],|[ \t])")
# A name/value record printed as text: a field "name" (or "key") holding a
# field name, then a field "value", in JSON, a Python repr or keyword
# arguments ({"name": "DB_PASSWORD", "value": "..."}, EnvVar(name='DB_PASSWORD',
# value='...'), AWS tags' {"Key": ..., "Value": ...}, SSM parameters, whose
# names are paths, CloudFormation's ParameterKey and ParameterValue), XML or
# HTML attributes (<add key="ApiSecret" value="..."/>), or YAML, where the
# value may sit on the next line ("- name: DB_PASSWORD" then "  value: ...").
# Up to two short fields may stand between the name and the value ('Type':
# 'SecureString'). Runs are possessive and bounded, so the scan stays linear.
_RECORD_SEPARATOR = r"(?:,[ \t\r\n]{0,16}+|\r?\n[ \t]{0,16}+|[ \t]{1,16}+)"
_VALUE_FIELD = r"""["']?(?i:value|parametervalue)["']?[ \t]{0,3}[:=]"""
_FIELD_BETWEEN = (
    rf"""(?!{_VALUE_FIELD})["']?[A-Za-z_][\w\-]{{0,31}}+["']?[ \t]{{0,3}}[:=][ \t]{{0,3}}"""
    r"""(?:"[^"\n]{0,128}+"|'[^'\n]{0,128}+'|[\w.\-]{1,128}+)"""
)
_NAMED_RECORD = (
    r"""(?<![\w$.\-])(?P<nq>["']?)(?i:name|key|parameterkey|optionname)(?P=nq)[ \t]{0,3}[:=][ \t]{0,3}"""
    r"""(?P<q>["']?)(?P<name>[A-Za-z_$/][\w$./\-]{0,127}+)(?P=q)[ \t]{0,3}"""
    rf"""(?:{_RECORD_SEPARATOR}{_FIELD_BETWEEN}){{0,2}}+(?P<next>{_RECORD_SEPARATOR})"""
    r"""(?P<vq>["']?)(?i:value|parametervalue)(?P=vq)[ \t]{0,3}[:=][ \t]{0,3}[bu]?"""
    r"""(?:"(?P<v1>(?:[^"\\\n]++|\\.)*+)"|'(?P<v2>(?:[^'\\\n]++|\\.)*+)'|(?P<v3>[^\s"'][^\n]{0,4095}+))"""
)
# The names of such records, for might_match().
_RECORD_NAMES = re.compile(
    r"""(?i:name|key|parameterkey|optionname)["']?[ \t]{0,3}[:=][ \t]{0,3}["']?"""
    r"""([A-Za-z_$/][\w$./\-]{0,127}+)["']?[ \t]{0,3}[,\s]"""
)
# An XML or HTML element named by a sensitive key: <password>...</password>,
# AWS's <SecretAccessKey>...</SecretAccessKey>, <ns:Token>...</ns:Token>, and
# the same with the text in a CDATA section. The closing tag must match.
_ELEMENT = (
    r"""<(?P<tag>(?:[A-Za-z_][\w.\-]{0,31}+:)?[A-Za-z_][\w.\-]{0,63}+)(?:[ \t\r\n][^<>]{0,1024}+)?>"""
    r"""(?:<!\[CDATA\[(?P<cdata>(?:[^\]]++|\](?!\]>)){0,4096}+)\]\]>|(?P<text>[^<]{1,4096}+))</(?P=tag)>"""
)
# A property list's entry: <key>Password</key><string>...</string>.
_PLIST_PAIR = r"<key>(?P<name>[^<\n]{1,64}+)</key>\s{0,64}+<string>(?P<value>[^<]{1,4096}+)</string>"
# The names of elements that close, for might_match().
_ELEMENT_NAMES = re.compile(r"</(?:[A-Za-z_][\w.\-]{0,31}:)?([A-Za-z_][\w.\-]{0,63})>")
# Where an unquoted value ends in a JSON object, a repr or a YAML flow
# mapping; in a YAML block it runs to the end of its line.
_FLOW_VALUE_END = re.compile(r"[,;}\])]|\s")
# A pair percent-encoded inside another value, as a redirect URL carries its
# own query ("redirect_uri=https%3A%2F%2Fx.com%2Fcb%3Ftoken%3D..."): the key
# after "%3F" ("?"), "%26" ("&"), "%2C", "%20" or at a word start, "%3D"
# ("="), and the value up to the next encoded "&" or "=".
_ENCODED_PAIR = (
    r"""(?:(?<=%3[Ff])|(?<=%2[06Cc])|(?<![\w%]))(?P<key>[A-Za-z_][\w.\-]{0,63}+)%3[Dd]"""
    r"""(?P<value>(?:[^%&\s"'<>]++|%(?!26|3[Dd])[0-9A-Fa-f]{2}){1,4096}+)"""
)
# The keys of such pairs, for might_match() (on a skeleton: "%3D" reads "%0D").
_ENCODED_KEYS = re.compile(r"([A-Za-z_][\w.\-]{0,63})%0[Dd]")
# Credentials in statements rather than pairs: SQL's PASSWORD '...' and
# IDENTIFIED BY '...' (a Postgres or MySQL log of every statement), the
# arguments of Redis's AUTH as MONITOR prints them, and a .netrc entry.
_STATEMENT = (
    r"""(?i:\b(?:password(?:[ \t]{1,8}+(?:\([ \t]{0,8})?|\([ \t]{0,8})"""
    r"""|identified[ \t]{1,8}+(?:with[ \t]{1,8}+\w{1,64}+[ \t]{1,8}+)?by[ \t]{1,8}+(?:password[ \t]{1,8}+)?)"""
    r"""(?:'(?P<v1>(?:[^'\\\n]|''|\\.){1,512}+)'|"(?P<v2>(?:[^"\\\n]|""|\\.){1,512}+)")"""
    r"""|"auth"(?:[ \t]{1,8}"[^"\n]{0,256}+")?[ \t]{1,8}"(?P<v3>[^"\n]{1,512}+)["]"""
    r"""|\bmachine[ \t]{1,8}+\S{1,256}+[ \t]{1,8}+login[ \t]{1,8}+\S{1,256}+[ \t]{1,8}+password[ \t]{1,8}+"""
    r"""(?P<v4>\S{1,512}+))"""
)
# Every statement holds one of these words (lower-cased) followed by one of
# its characters: "password" before a blank or "(" (a .netrc entry's too),
# "identified" or Redis's "auth" before a blank.
_STATEMENT_STARTS = (("password", " \t("), ("identified", " \t"), ('"auth"', " \t"))
# Applied to the reversed text: from each separator ("=", ":", or the "="
# of "=>"), over up to 32 blanks, the key before it: quoted (the closing
# quote comes first, then an escaping backslash for '\"key\"'), or a bare
# run of key characters. Look-ahead only, so that a separator inside a long
# quoted key is still a starting point of its own. Every key the pair
# pattern can match before its separator is contained in one capture.
_KEYS_BEFORE_SEPARATORS = re.compile(
    r"""[:=][ \t]{0,32}+\]?(?="\\?([^"\\\n]{1,64})|'([^'\\\n]{1,64})|([\w.\-@$\[\]%]{1,64}))"""
)
_MAX_CLEAN_KEYS = 4096
# Every byte but an ASCII letter, deleted to count a value's letters.
_NOT_LETTERS = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())


# A URL scheme and "://" right before a user name.
_SCHEME_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://\Z")
_LONGEST_SCHEME = 34
# What ends a URL's authority: a password holding one is not in the user-info
# the url_credentials detector reads, so its pair is kept here.
_AUTHORITY_END = re.compile(r"[/?#]")


def _is_url_user_name(text: str, key_start: int, value: str, *, nested: bool) -> bool:
    """Whether the key at *key_start* is a URL's user name, and *value* up to its "@" the password.

    *nested*: *text* is the value of an outer pair, which for ``"https://..."``
    is that of the key ``https``: the scheme is then the outer key.
    """
    at = value.find("@")
    if at <= 0 or text[key_start - 2 : key_start] != "//" or _AUTHORITY_END.search(value, 0, at) is not None:
        return False
    if nested and key_start == len("//"):
        return True
    return _SCHEME_BEFORE.search(text, max(0, key_start - _LONGEST_SCHEME), key_start) is not None


_OPENING = frozenset("[{(")
_BRACKET_PAIRS = {"[": "]", "{": "}", "(": ")"}
# What changes the nesting of a structure written as text: brackets, quotes and escapes.
_STRUCTURE = re.compile(r"""[\[\]{}()"'\\]""")
_MAX_STRUCTURE = 65_536


# A YAML block scalar's header: an optional tag ("!vault"), "|" or ">", and
# its chomping and indentation indicators, then at most a comment.
_BLOCK_HEADER = re.compile(r"(?:![^\s]{0,64}[ \t]{1,8})?[|>][+-]?[1-9]?[+-]?[ \t]*(?:#[^\n]*)?")
_MAX_BLOCK_LINES = 256


def _yaml_block_end(text: str, key_start: int, value_start: int) -> int | None:
    """Return where the YAML block scalar whose header starts at *value_start* ends, or ``None``.

    ``None`` when the rest of the line is no block header or no line of the
    block follows. The block is every following line indented deeper than
    its key (blank lines included), at most ``_MAX_BLOCK_LINES``.
    """
    line_end = text.find("\n", value_start)
    if line_end < 0 or _BLOCK_HEADER.fullmatch(text, value_start, line_end) is None:
        return None
    key_column = key_start - (text.rfind("\n", 0, key_start) + 1)
    end = None
    position = line_end + 1
    for _ in range(_MAX_BLOCK_LINES):
        if position >= len(text):
            break
        next_end = text.find("\n", position)
        next_end = len(text) if next_end < 0 else next_end
        line = text[position:next_end]
        stripped = line.lstrip(" \t")
        if stripped:
            if len(line) - len(stripped) <= key_column:
                break
            end = next_end
        position = next_end + 1
    return end


_WHOLE_VALUE_STARTS = frozenset("|>![{(")


def _whole_value_end(text: str, key_start: int, start: int, end: int) -> int | None:
    """Return where a value masked whole ends: a YAML block or a bracketed structure starting at *start*.

    ``None`` when the value at *start* is neither (it is masked as a word, to
    *end*); *start* itself for an empty structure, which is kept.
    """
    if text[start] in _OPENING:
        whole = max(end, _closing_bracket(text, start))
        return start if not text[start + 1 : whole - 1].strip() else whole
    return _yaml_block_end(text, key_start, start)


def _padded_column(text: str, colon: int) -> bool:
    """Whether more than three blanks stand before the *colon*.

    "INFO auth            : login ok" is a padded column, not a pair, when its
    name is an ambiguous one (see _AMBIGUOUS_NAMES); "password     : ..." is
    still a pair. Aligned dumps pad before "=", which may take up to 32 blanks.
    """
    before = colon - _MAX_COLON_BLANKS - 1
    return before >= 0 and not text[before:colon].strip(" \t")


_AnyMatch = re.Match[str] | regex.Match[str]


def _key(match: _AnyMatch) -> str:
    return str(match["key"])


def _name(match: _AnyMatch) -> str:
    return str(match["name"])


def _local_tag(match: _AnyMatch) -> str:
    # A plist's <key>Password</key> names the next element; an S3 listing's
    # <Key> is an object's path: neither is a secret, whatever its name.
    name = match["tag"].rpartition(":")[2]
    return "" if name.lower() == "key" else name


def _has_statement_start(text: str) -> bool:
    """Whether *text* holds the start of a statement (see _STATEMENT_STARTS).

    Decided with ``str.find``: the statement pattern, case-insensitive with
    a word boundary first, would be tried at every character of the many
    lines that hold "password" only as a key ("password=...").
    """
    lowered = text.lower()
    for word, followers in _STATEMENT_STARTS:
        at = lowered.find(word)
        while at >= 0:
            at += len(word)
            if at < len(lowered) and lowered[at] in followers:
                return True
            at = lowered.find(word, at)
    return False


def _closing_bracket(text: str, start: int) -> int:
    """Return the end of the bracketed structure that opens at *start* (past its closing bracket).

    Brackets inside quoted strings do not count. A structure that is not
    closed within ``_MAX_STRUCTURE`` characters (a truncated line) runs to
    the end of its first line: the rest of that line is under the sensitive
    key, the next log lines are not.
    """
    closers: list[str] = []
    quote = ""
    escaped_at = -1
    limit = min(len(text), start + _MAX_STRUCTURE)
    line_end = text.find("\n", start, limit)
    for match in _STRUCTURE.finditer(text, start, limit):
        char = match.group()
        at = match.start()
        if at == escaped_at:
            continue
        if char == "\\":
            escaped_at = at + 1
        elif quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in _BRACKET_PAIRS:
            closers.append(_BRACKET_PAIRS[char])
        elif closers and char == closers[-1]:
            closers.pop()
            if not closers:
                return at + 1
    # Not closed: a truncated line. Its rest is under the key; the next lines are not.
    return limit if line_end < 0 else line_end


class KeyValueDetector:
    """Detect values held under sensitive keys, whatever the values look like.

    Understands ``key=value`` (logfmt, query strings, form bodies),
    ``key: value`` (headers, YAML), ``"key": "value"`` (JSON, also escaped
    inside another JSON string) and ``'key': 'value'`` (Python reprs). The
    key is kept; the value is masked (inside its quotes, so JSON stays
    valid). ``Cookie``, ``Set-Cookie`` and ``Authorization`` values are
    masked to the end of the line, keeping a leading scheme word
    (``Authorization: Bearer [REDACTED:...]``). Values under signature keys
    keep their labels and timestamps and lose only their digests (see
    :func:`~redactlog.detectors.signatures.signature_digest_spans`); their
    unquoted values run over "," and ";". Pairs inside the value of another
    key are found too (``login failed: password=...``, a JSON document logged
    as a string), and ``password= user=bob`` has an empty password.

    Args:
        keys: The rules that decide which keys are sensitive.

    .. versionadded:: 0.1.0
    """

    name = "sensitive_keys"
    # Statements (SQL's PASSWORD '...', Redis's "AUTH") are read on lines
    # that hold ":" or "=" too, as log lines with a timestamp do: their
    # words as triggers would cost every other text a search.
    triggers = (
        "=",
        ":",
        "--",
        "</",
        "%3D",
        "%3d",
        *_TUPLE_OPENINGS,
    )
    priority = 20
    might_match_ignores_digits = True

    def __init__(self, keys: SensitiveKeys = DEFAULT_SENSITIVE_KEYS, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.keys = keys
        self._pattern = compile_dual(_PAIR, re.VERBOSE, timeout=timeout)
        self._tuple_pair = compile_dual(_TUPLE_PAIR, timeout=timeout)
        self._option = compile_dual(_OPTION, timeout=timeout)
        self._named_record = compile_dual(_NAMED_RECORD, timeout=timeout)
        self._element = compile_dual(_ELEMENT, timeout=timeout)
        self._plist_pair = compile_dual(_PLIST_PAIR, timeout=timeout)
        self._statement = compile_dual(_STATEMENT, timeout=timeout)
        self._encoded_pair = compile_dual(_ENCODED_PAIR, timeout=timeout)
        # Every sensitive key, lower-cased, contains one word of each rule: a
        # text with none of these probes holds no sensitive key at all.
        self._probes = tuple(sorted(_probes((*keys.names, *keys.extra_names, *keys.fragments, *keys.parts)), key=len))
        # Probes are matched on skeletons (digits written as "0", see
        # redactlog._skeleton), reversed like the keys they are looked for in.
        self._reversed_probes = tuple(zero_digits(probe)[::-1] for probe in self._probes)
        # No probe can reach into a hex word, so the gate may collapse those
        # before asking might_match (unless a custom key name is one).
        self._ignores_hex_words = not any(may_overlap_hex_word(zero_digits(probe)) for probe in self._probes)
        # A value with fewer ASCII letters than every probe holds none.
        self._fewest_probe_letters = min((sum(c.isalpha() for c in probe) for probe in self._probes), default=0)
        # Captured keys (reversed) seen without any probe: keys repeat
        # endlessly in logs. Bounded; holds key names only.
        self._clean_keys: set[tuple[str, str, str]] = set()

    @property
    def might_match_ignores_hex_words(self) -> bool:
        """Whether :meth:`might_match` gives one answer for texts that differ only in their hex words.

        Hex words are ids and hashes such as ``3fa2b9c1`` (see
        ``redactlog._skeleton``); no sensitive key word can reach into one,
        unless a custom key name is made of hex characters.
        """
        return self._ignores_hex_words

    def might_match(self, text: str, /) -> bool:
        """Return whether *text* has a key holding a probe word right before a separator.

        Every finding is the value of a sensitive key followed by ``:``,
        ``=`` or ``=>`` (after a closing quote and up to 32 blanks), and
        every sensitive key holds one of the probe words. Scanning the
        reversed text from each separator finds those keys in one pass;
        the redactor's gate calls this before :meth:`detect`. The answer
        does not depend on the value of any digit
        (:attr:`might_match_ignores_digits`), so the gate may remember it per
        skeleton of a clean text.
        """
        return self._has_probe_key(decode(skeleton(text)))

    def _names_a_probe(self, keys: Iterable[str]) -> bool:
        """Whether one of *keys* (in skeleton form) holds a probe word."""
        for key in keys:
            lowered = key.lower()[::-1]
            for probe in self._reversed_probes:
                if probe in lowered:
                    return True
        return False

    def _has_probe_key(self, zeroed: str) -> bool:
        clean = self._clean_keys
        keys = set(_KEYS_BEFORE_SEPARATORS.findall(zeroed[::-1]))
        keys.difference_update(clean)
        for key in keys:
            lowered = "".join(key).lower()
            for probe in self._reversed_probes:
                if probe in lowered:
                    return True
            if "@" in lowered:
                # An address used as a key ({"alice@example.com": 3}) is data,
                # not a name: it is not remembered.
                continue
            if len(clean) >= _MAX_CLEAN_KEYS:
                clean.clear()
            clean.add(key)
        # The other shapes name their keys in patterns of their own.
        if "(" in zeroed and self._names_a_probe(key for _, key in _TUPLE_KEYS.findall(zeroed)):
            return True
        if "-" in zeroed and self._names_a_probe(_OPTION_KEYS.findall(zeroed)):
            return True
        if ("'" in zeroed or '"' in zeroed or "machine" in zeroed) and _has_statement_start(zeroed):
            return True
        if ("%0D" in zeroed or "%0d" in zeroed) and self._names_a_probe(_ENCODED_KEYS.findall(zeroed)):
            return True
        if "</" in zeroed and self._names_a_probe(_ELEMENT_NAMES.findall(zeroed)):
            return True
        return ("alue" in zeroed or "ALUE" in zeroed) and self._names_a_probe(_RECORD_NAMES.findall(zeroed))

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the values of sensitive keys in *text*."""
        # No probe check here: the redactor's gate has already called
        # might_match(), and a direct call is merely slower without it.
        yield from detect_by_lines(text, self._scan_piece, self._pattern.timeout)
        if len(text) > SHORT_TEXT:
            # A record or an element spanning lines may straddle two pieces:
            # these scans, linear and bounded, also run over the whole text.
            deadline = Deadline(text, self._pattern.timeout, always=True)
            if "alue" in text or "ALUE" in text:
                yield from self._scan_named_records(text, deadline)
            if "</" in text:
                yield from self._scan_elements(text, deadline)

    def _scan_piece(self, text: str) -> Iterator[Finding]:
        deadline = Deadline(text, self._pattern.timeout)
        pairs = self._scan(text, 0, 0, deadline)
        # Pair tuples need a "(" and options a "--": most lines skip those
        # scans, and a generator around them.
        if "(" in text:
            pairs = chain(pairs, self._scan_tuples(text, deadline))
        if "-" in text:
            pairs = chain(pairs, self._scan_options(text, deadline))
        if "alue" in text or "ALUE" in text:
            pairs = chain(pairs, self._scan_named_records(text, deadline))
        if "</" in text:
            pairs = chain(pairs, self._scan_elements(text, deadline))
        if "%3D" in text or "%3d" in text:
            pairs = chain(pairs, self._scan_encoded_pairs(text, deadline))
        if ("'" in text or '"' in text or "machine" in text) and _has_statement_start(text):
            pairs = chain(pairs, self._scan_statements(text, deadline))
        return pairs

    def _named_matches(
        self, pattern: DualPattern, text: str, deadline: Deadline, name: Callable[[_AnyMatch], str]
    ) -> Iterator[tuple[_AnyMatch, str]]:
        """Yield the matches of *pattern* whose ``name(match)`` is a sensitive key, with its kind."""
        kind_of = self.keys.kind_of
        tick = deadline.tick if deadline.bounded else None
        for match in pattern.finditer(text):
            if tick is not None:
                tick()
            kind = kind_of(name(match))
            if kind is not None:
                yield match, kind

    def _value_findings(self, value: str, start: int, kind: str) -> Iterator[Finding]:
        """Yield the finding for *value* at *start*: its digests for a signature, else all of it."""
        if kind == "signature":
            for s, e in signature_digest_spans(value):
                yield new_finding(start + s, start + e, kind, self.name)
        else:
            yield new_finding(start, start + len(value), kind, self.name)

    def _scan_tuples(self, text: str, deadline: Deadline) -> Iterator[Finding]:
        """Yield the values of pair tuples whose first item is a sensitive key."""
        for match, kind in self._named_matches(self._tuple_pair, text, deadline, _key):
            start, end = match.span("v1" if match["v1"] is not None else "v2")
            if start < end:
                yield new_finding(start, end, kind, self.name)

    def _scan_options(self, text: str, deadline: Deadline) -> Iterator[Finding]:
        """Yield the values of long command-line options named by a sensitive key.

        An option whose value is not masked gives that value back: in
        ``'-quiet', '--password', '<value>'`` the "value" of ``-quiet`` is the
        next option, so the search goes on after the name, not the value.
        """
        kind_of = self.keys.kind_of
        tick = deadline.tick if deadline.bounded else None
        search = self._option.search
        position = 0
        while (match := search(text, position)) is not None:
            if tick is not None:
                tick()
            position = match.end("key")
            name = match["key"].lower()
            kind = kind_of(name)
            if (
                kind is None
                or name in _AMBIGUOUS_NAMES
                or (name in _AMBIGUOUS_SHORT_NAMES and text[match.start() + 1] != "-")
            ):
                continue
            group = match.lastgroup or "v4"
            start, end = match.span(group)
            value = text[start:end]
            if start == end or holds_no_secret(value) or value.startswith(_PATH_STARTS):
                # A path names where the secret is kept ("--tls-key /etc/tls/key.pem").
                continue
            position = match.end()
            yield from self._value_findings(value, start, kind)

    def _holds_probe(self, text: str) -> bool:
        if text.isascii() and len(text.encode().translate(None, _NOT_LETTERS)) < self._fewest_probe_letters:
            # Fewer letters than any probe has (a timestamp, a number): decided in C.
            return False
        lowered = text.lower()
        for probe in self._probes:  # noqa: SIM110 - a generator costs more
            if probe in lowered:
                return True
        return False

    def _scan_encoded_pairs(self, text: str, deadline: Deadline) -> Iterator[Finding]:
        """Yield the values of percent-encoded pairs named by a sensitive key."""
        for match, kind in self._named_matches(self._encoded_pair, text, deadline, _key):
            start, end = match.span("value")
            if not holds_no_secret(text[start:end]):
                yield new_finding(start, end, kind, self.name)

    def _scan_statements(self, text: str, deadline: Deadline) -> Iterator[Finding]:
        """Yield the passwords of SQL statements, Redis AUTH commands and .netrc entries."""
        tick = deadline.tick if deadline.bounded else None
        for match in self._statement.finditer(text):
            if tick is not None:
                tick()
            group = match.lastgroup or "v4"
            start, end = match.span(group)
            if not holds_no_secret(text[start:end]):
                yield new_finding(start, end, "secret", self.name)

    def _scan_elements(self, text: str, deadline: Deadline) -> Iterator[Finding]:
        """Yield the text of XML and HTML elements named by a sensitive key, and of plist values named so."""
        if "<key>" in text:
            for match, kind in self._named_matches(self._plist_pair, text, deadline, _name):
                if not holds_no_secret(match["value"]):
                    yield new_finding(match.start("value"), match.end("value"), kind, self.name)
        for match, kind in self._named_matches(self._element, text, deadline, _local_tag):
            group = "cdata" if match["cdata"] is not None else "text"
            start, end = match.span(group)
            value = text[start:end]
            if holds_no_secret(value):
                continue
            yield from self._value_findings(value, start, kind)

    def _scan_named_records(self, text: str, deadline: Deadline) -> Iterator[Finding]:
        """Yield the values of name/value records whose name is a sensitive key."""
        for match, kind in self._named_matches(self._named_record, text, deadline, _name):
            group = match.lastgroup or "v3"
            start, end = match.span(group)
            if group == "v3" and text[start] in _WHOLE_VALUE_STARTS:
                # A list or object as the value, or a YAML block ("value: |" then
                # indented lines): masked whole, as under a sensitive key. The
                # unquoted group runs to the end of the line, so the structure
                # is measured from its opening alone.
                whole = _whole_value_end(text, match.end("next"), start, start + 1)
                if whole is not None:
                    if whole > start:
                        yield new_finding(start, whole, kind, self.name)
                    continue
            if group == "v3":
                # YAML block style has the value to the end of its line; elsewhere
                # (JSON, reprs, flow mappings, attributes) it ends at the next
                # separator, blank or bracket.
                if "\n" not in match["next"]:
                    stop = _FLOW_VALUE_END.search(text, start, end)
                    end = end if stop is None else stop.start()
                while end > start and text[end - 1] in _TRAILING:
                    end -= 1
            value = text[start:end]
            if start == end or holds_no_secret(value):
                continue
            yield from self._value_findings(value, start, kind)

    def _scan_inside(
        self, text: str, value_span: tuple[str, int, int], offset: int, depth: int, deadline: Deadline
    ) -> Iterator[Finding]:
        """Yield the findings inside the value of an ordinary key: *value_span* is its group, start and end.

        A JSON document logged as a string (an escaped quote before "token") is
        one quoted value; its own pairs are looked at inside it. So is
        "failed: password=x", where the unquoted value of "failed" is itself a pair.
        """
        if depth >= _MAX_NESTING:
            return
        group, start, end = value_span
        value = text[start:end]
        quoted = group in {"v2", "v3"}
        if quoted and text[end : end + 1] not in {'"', "'"}:
            # 'msg: "cut short password=x': an unclosed string runs to
            # the end of the line, so the pairs inside it are its own.
            if "=" in value or ":" in value:
                yield from self._scan(value, offset + start, depth + 1, deadline)
                return
        elif quoted and text[end + 1 : end + 2] in _SEPARATOR_FIRST and _SEPARATOR_NEXT.match(text, end + 1):
            # 'error: "token": "x"': the quoted "value" of "error" is
            # the next key; its pair starts at the opening quote.
            line_end = text.find("\n", end)
            rest = text[start - 1 : len(text) if line_end < 0 else line_end]
            yield from self._scan(rest, offset + start - 1, depth + 1, deadline)
            return
        # A closed quoted value may hold pairs of its own too: a logfmt message
        # (msg="login failed password=..."), a JSON log field holding a URL or a
        # whole line, an escaped JSON document. Every sensitive key holds a probe
        # word: a value without one is not scanned again (JSON logs quote many
        # timestamps).
        if ('\\"' in value or "=" in value or ":" in value) and self._holds_probe(value):
            if group == "v4" and value.endswith(":"):
                # "error: password: x": the "value" of "error" is the
                # next key, so its pair runs on to the end of the line.
                line_end = text.find("\n", end)
                value = text[start : len(text) if line_end < 0 else line_end]
            yield from self._scan(value, offset + start, depth + 1, deadline)

    def _scan(self, text: str, offset: int, depth: int, deadline: Deadline) -> Iterator[Finding]:
        kind_of = self.keys.kind_of
        tick = deadline.tick if deadline.bounded else None
        # The end of the last structure or block masked whole: pairs inside it are masked already,
        # and measuring each one's own structure again would cost quadratic time.
        masked_to = 0
        for match in self._pattern.finditer(text):
            if tick is not None:
                tick()
            if match.start() < masked_to:
                continue
            # One call for every group: this loop runs for every pair of a line.
            k1, k2, k3, _, _, v1, _, _, _ = match.groups()
            key = k1 or k2 or k3 or text[match.start() : match.end("k4")]
            kind = kind_of(key)
            if (
                kind is not None
                and match["sep"] == ":"
                and _padded_column(text, match.start("sep"))
                and normalize_key(key) in _AMBIGUOUS_NAMES
            ):
                kind = None
            # The value group is the last one that took part in the match.
            group = match.lastgroup or "v4"
            if kind is None and v1 is not None:
                continue
            start, end = match.span(group)
            value = text[start:end]
            if kind is None:
                # Most values of ordinary keys hold no pair and are not the next
                # key: decided here, without a generator per pair.
                if depth < _MAX_NESTING and (
                    "=" in value
                    or ":" in value
                    or "\\" in value
                    or (group != "v4" and text[end + 1 : end + 2] in _SEPARATOR_FIRST)
                ):
                    yield from self._scan_inside(text, (group, start, end), offset, depth, deadline)
                continue
            if holds_no_secret(value):
                continue
            if (
                group == "v4"
                and match["sep"] == ":"
                and _is_url_user_name(text, match.start(), value, nested=depth > 0)
            ):
                # "https://hmachado:<pw>@host" holds "hmac" in a user name, not in a key: the
                # url_credentials detector masks the password alone, and the host stays readable.
                continue
            if group == "v4" and value[0] in _WHOLE_VALUE_STARTS:
                whole = _whole_value_end(text, match.start(), start, end)
                if whole is not None:
                    # A YAML block ("password: |" then indented lines) or a list,
                    # tuple or object ({"secrets": ["a", "b"]}, auth=('bob', '...')):
                    # masked whole; an empty structure is kept.
                    if whole > start:
                        masked_to = whole
                        yield new_finding(offset + start, offset + whole, kind, self.name)
                    continue
            if group == "v4":
                if (
                    match["sep"] == "="
                    and match.start(group) > match.end("sep")
                    and text[match.start("sep") - 1] not in _BLANKS
                    and _NEXT_PAIR.match(value)
                ):
                    # "password= user=bob": the key's value is empty. Not so with
                    # blanks on both sides, "secret = YWJj==" (base64 padding).
                    continue
                end = self._extend_unquoted(text, key, value, end, signature=kind == "signature")
                value = text[start:end]
            scheme = _LEADING_SCHEME.match(value) if value[:1] in _SCHEME_INITIALS else None
            if scheme is not None and scheme.end() < len(value):
                start += scheme.end()
                value = value[scheme.end() :]
            if kind == "signature":
                for s, e in signature_digest_spans(value):
                    yield new_finding(offset + start + s, offset + start + e, kind, self.name)
            else:
                yield new_finding(offset + start, offset + end, kind, self.name)

    @staticmethod
    def _extend_unquoted(text: str, key: str, value: str, end: int, *, signature: bool) -> int:
        if signature:
            return _SIGNATURE_VALUE.match(text, end).end()  # type: ignore[union-attr] # matches empty
        lowered = key.lower()
        # Every name in _TO_LINE_END holds one of these words: most keys skip normalising.
        if ("cookie" in lowered or "authorization" in lowered) and normalize_key(key) in _TO_LINE_END:
            line_end = text.find("\n", end)
            return len(text) if line_end < 0 else line_end
        if value.lower() in _SCHEMES:
            more = _AFTER_SCHEME.match(text, end)
            if more is not None:
                return more.end()
        return end


# Parts of compound key names that occur everywhere in logs ("/api/v1",
# "order number"); another part of the name makes a far better probe.
_COMMON_PARTS = frozenset(
    {
        "api",
        "id",
        "number",
        "num",
        "no",
        "access",
        "client",
        "master",
        "private",
        "security",
        "national",
        "encryption",
        "signing",
        "x",
        "amz",
        "data",
        "code",
        "user",
        "type",
    },
)


def _probes(rules: tuple[str, ...]) -> set[str]:
    """Choose one probe word per rule, reusing words already chosen where possible.

    A raw key lower-cased contains every ``_``-separated part of its
    normalised form, so any part is a valid probe; fewer and rarer probes
    mean fewer lines on which the detector runs for nothing.
    """
    parts = [[p for p in normalize_key(rule).split("_") if p] for rule in rules]
    chosen = {p[0] for p in parts if len(p) == 1}
    for rule_parts in parts:
        if len(rule_parts) == 1 or any(c in part for part in rule_parts for c in chosen):
            continue
        rare = [part for part in rule_parts if part not in _COMMON_PARTS] or rule_parts
        chosen.add(max(rare, key=len))
    return _minimal(chosen)


def _minimal(words: set[str]) -> set[str]:
    """Drop every word that contains another: the shorter one already matches."""
    return {w for w in words if w and not any(o != w and o in w for o in words)}
