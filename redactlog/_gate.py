"""Decide cheaply which detectors can possibly match a text.

Most log records hold nothing sensitive. For them the whole cost of redaction
is this gate, with no detector called. Python has no fast multi-literal
search: a loop of ``literal in text`` tests pays an interpreter round trip per
literal, and a plain alternation of literals makes :mod:`re` try every branch
at nearly every position. So every trigger literal is written as its rarest
character followed by look-arounds for the rest (``_(?<=ghp_)``), and all of
them form one pattern that :mod:`re` skips through in C to those few
characters. Only the literals of an anchor character that actually matched
are then tested one by one. Literals without a rare character, and the
single characters ``=``, ``:`` and ``,`` that fill structured lines, are tested
with ``in``; the detectors they wake need keywords or their own
``might_match`` check too (see :class:`~redactlog.typing.Detector`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from redactlog._fold import fold
from redactlog._skeleton import MAX_KEY, decode, hex_words_collapsed, may_overlap_hex_word, skeleton, zero_digits
from redactlog.detectors._base import DIGITS
from redactlog.detectors._digits import has_phone_context
from redactlog.typing import Detector

__all__ = ["Gate"]

# Characters ranked from rarest to commonest in ordinary log prose; a literal
# is anchored on the first of these it contains. Lower-case letters other than
# z, q and x never anchor a literal: they are in nearly every line.
_RANKING: Final = "@\\%#=:_|^~`$&<>{}[]*+;!?QZXKJVWzqxYUGHFBPMDCLNROTSEIA-/,("

# What every phone, SSN and card number contains: seven digits joined by
# single separators, not starting inside a longer run. Shapes that fill log
# lines but are never such numbers are skipped: ISO dates and timestamps
# ("2026-11-24 10:00:01"), fractions of seconds after a colon (":01.123456"),
# and dotted IPv4 addresses ("192.168.100.200").
_DIGIT_HINT: Final = re.compile(r"[0-9][0-9](?:[0-9]|[ .+-][0-9][0-9][ .+-][0-9]|%20[0-9])")
# The parts of a digit shape: the start (a digit not inside a run, not after a
# dot that follows a digit), the exclusions, and the six further digits.
_START = r"[0-9](?<![0-9][0-9])"
_NOT_AFTER_DIGIT_DOT = r"(?<![0-9]\.[0-9])"
_NOT_DATE = r"(?![0-9]{3}-[01][0-9]-[0-3][0-9](?:[T ][0-2][0-9]:|[^0-9]|$))"
_NOT_FRACTION = r"(?!(?<=:[0-9])[0-9][.,][0-9])"
_NOT_IPV4 = r"(?!(?<!\+[0-9])[0-9]{0,2}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9.]))"
_SIX_MORE = r"(?:(?:[ .()/+-]|%20|%2[Bb]){0,2}+[0-9]){6}"
# The same for texts without a "%", unrolled: re repeats a group through its
# slow general machinery, a single character class through a tight loop, and
# each pattern runs at every digit run of a line.
_SIX_MORE_PLAIN = r"[ .()/+-]{0,2}+[0-9]" * 6
_SHAPE_REST = f"{_NOT_AFTER_DIGIT_DOT}{_NOT_DATE}{_NOT_FRACTION}{_NOT_IPV4}"
# Seven digits first: most digit runs are short and fail there, before the
# costlier exclusions are tried (all are zero-width after the first digit).
_DIGIT_SHAPE: Final = re.compile(f"{_START}(?={_SIX_MORE}){_SHAPE_REST}")
_DIGIT_SHAPE_PLAIN: Final = re.compile(f"{_START}(?={_SIX_MORE_PLAIN}){_SHAPE_REST}")

_MAX_SELECTIONS: Final = 4096
_MAX_SKELETONS: Final = 4096
_MAX_WOKEN: Final = 1024
# Shortest skeleton whose hex words select() collapses (the longest is the
# longest it remembers, MAX_KEY; might_match(), _MAX_STARTS_KEY). Looking for them costs
# a short text a tenth of its redaction, and most short texts that get past
# might_match() hold a secret, whose skeleton is new whatever its hex words.
_COLLAPSE_FROM: Final = 48
_MAX_STARTS_KEY: Final = 256  # bytes of a skeleton remembered by might_match (at most 1 MiB in all)
# Shortest text might_match() looks up by its skeleton before searching its
# literals (when it has none of the single characters that wake detectors):
# on a shorter one the search costs less than building the skeleton.
_QUIET_FROM: Final = 64
# A memo's "not there" (None is a value: too many shape starts), compared by identity.
_UNSEEN: Final[tuple[int, ...]] = (-1,)

_Static = tuple[int, int, tuple[int, ...] | None, int]
"""What a skeleton decides: literal bits, found-keyword bits, digit shape starts (``None``: too many), vetoes."""


# Two bare groups of seven or eight digits in all ("200 23507": an HTTP status
# and a response size in an access log). Too short for an SSN or a card, and
# the phone detector takes them only after a context word such as "call":
# without one, such a run wakes none of the digit detectors. The run must be
# whole: no digit, separator, "+", "(", "%" or "%2B" joins it on either side.
# Any digit: the detectors' patterns take other scripts' digits too ("٩").
_BARE_PAIR: Final = re.compile(r"[1-9][0-9]{0,7} [0-9]{1,8}(?!\d|(?:[ .()/+\-]|%2[0Bb]){1,2}\d)")
_JOINED_BEFORE: Final = re.compile(r"(?:[\d+(%][ .()/+\-]{0,2}|%2[0Bb][ ]?)\Z")
# One bare group of seven to eleven digits ("t=1700000000", "order 12345678"):
# too short for a card; an SSN only if it has nine digits and follows an SSN
# context word; a phone number only after a phone context word.
_BARE_NUMBER: Final = re.compile(r"[1-9][0-9]{6,10}(?!\d|(?:[ .()/+\-]|%2[0Bb]){1,2}\d)")
_NINE_DIGITS: Final = 9
_LONGEST_BARE_NUMBER: Final = 11


# The ISO date and time that opens most log lines, up to its seconds. Its
# digits are most of the line's and none of them can start a digit shape
# (see _DIGIT_SHAPE), so the search starts at the seconds.
_LEADING_TIMESTAMP: Final = re.compile(r"[0-9]{4}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9]:")


# Where a digit shape may start, decided on a skeleton (see Gate): the shape
# without its one exclusion that depends on the values of digits (dates, by
# their months, days and hours), and zero-width after the first digit so that
# every start is found. Each start is then checked on the text itself.
# In a skeleton "%20" and "%2B" read "%00" and "%0B".
_SKELETON_HINT: Final = re.compile(_DIGIT_HINT.pattern.replace("%20", "%00"))
_SHAPE_START: Final = re.compile(
    f"{_START}(?={_SIX_MORE.replace('%20|%2', '%00|%0')}){_NOT_AFTER_DIGIT_DOT}{_NOT_FRACTION}{_NOT_IPV4}"
)
_SHAPE_START_PLAIN: Final = re.compile(f"{_START}(?={_SIX_MORE_PLAIN}){_NOT_AFTER_DIGIT_DOT}{_NOT_FRACTION}{_NOT_IPV4}")
_MAX_STARTS: Final = 32
_SHAPE_DIGITS: Final = 7
_SHORT: Final = 64  # characters of a skeleton whose digits are counted first (see _shape_starts)


# Every place where a digit shape starts in a text (zero-width: a shape that
# starts inside another one's digits is found as well).
_SHAPE_STARTS_IN_TEXT: Final = re.compile(f"{_START}(?={_SIX_MORE}){_NOT_AFTER_DIGIT_DOT}")
_SHAPE_STARTS_IN_TEXT_PLAIN: Final = re.compile(f"{_START}(?={_SIX_MORE_PLAIN}){_NOT_AFTER_DIGIT_DOT}")
# A word character other than a digit of any script: a shape glued to it ("user1234567",
# "id_20261124") can only be the bare SSN of "ssn123456789". The "B" of a
# URL-encoded plus ("%2B44...") is a separator, not glue.
_GLUE: Final = re.compile(r"(?<!%2)[^\W\d]")
# A dot before a shape that no digit precedes (".536847293" after "ssn is"):
# the phone, card and dashed-SSN patterns never start after a dot, but a bare
# SSN after its context word does, so such a shape is SSN-shaped only. After
# ")" the dot joins an area code ("(415).555...") as any separator does.
_AFTER_A_DOT: Final = re.compile(r"(?:\A|[^)])\.\Z")


def _has_digit_shape(text: str) -> bool:
    if len(text) <= _LONGEST_BARE_NUMBER and text.isdigit() and text.isascii():
        # A lone run of digits (a JSON integer, an id) decided without a
        # regular expression, as _digit_shape_search decides it: too short
        # for a card, and with no context word beside it neither a phone
        # number nor an SSN, unless it opens with a "0" (see _BARE_NUMBER).
        return len(text) >= _SHAPE_DIGITS and text[0] == "0"
    return _digit_shape_search(text)


def _digit_shape_search(text: str) -> bool:
    if len(text) <= _SHORT and text.isascii() and skeleton(text).count(b"0") < _SHAPE_DIGITS:
        # Too few digits for any shape, counted in C: cheaper on a short text
        # than the hint, which stops at any three digits in a row ("SKU-4993").
        return False
    # The cheap hint rejects most texts in a fraction of the precise search.
    if _DIGIT_HINT.search(text) is None:
        # An ASCII text is done; another may write its separators or digits
        # in look-alikes (the engine scans it folded, see redactlog._fold).
        if text.isascii():
            return False
        text = fold(text)
        if _DIGIT_HINT.search(text) is None:
            return False
    else:
        text = fold(text)
    timestamp = _LEADING_TIMESTAMP.match(text)
    start = 0 if timestamp is None else timestamp.end()
    shapes = _SHAPE_STARTS_IN_TEXT if "%" in text else _SHAPE_STARTS_IN_TEXT_PLAIN
    return _wakes_digit_detectors(text, [shape.start() for shape in shapes.finditer(text, start)])


# The leading ISO timestamp of a skeleton, up to its seconds ("0000-00-00 00:00:"),
# mapped to the shape starts in it: the same in every skeleton, since no shape
# reaches past its last ":". Looking for them is a quarter of the search on a log line.
_TIMESTAMP_LENGTH: Final = len("0000-00-00 00:00:")
_TIMESTAMP_STARTS: Final = {
    prefix: tuple(start.start() for start in _SHAPE_START_PLAIN.finditer(prefix))
    for prefix in ("0000-00-00 00:00:", "0000-00-00T00:00:")
}


def _shape_starts(zeroed: str) -> tuple[int, ...] | None:
    """Return where digit shapes may start in a skeleton's text; ``None`` for too many places."""
    # A shape has seven digits, and a skeleton writes every ASCII digit as "0":
    # on a short text, counting them in C is cheaper than the hint's search
    # (on a long one, which nearly always has seven, it is an extra pass).
    if (len(zeroed) <= _SHORT and zeroed.count("0") < _SHAPE_DIGITS) or _SKELETON_HINT.search(zeroed) is None:
        return ()
    leading = _TIMESTAMP_STARTS.get(zeroed[:_TIMESTAMP_LENGTH])
    starts: list[int] = [] if leading is None else list(leading)
    position = 0 if leading is None else _TIMESTAMP_LENGTH
    for start in (_SHAPE_START if "%" in zeroed else _SHAPE_START_PLAIN).finditer(zeroed, position):
        if len(starts) == _MAX_STARTS:
            return None
        starts.append(start.start())
    return tuple(starts)


# What the digit shapes of a text say (see _digit_shapes_need): the digit
# detectors wake, or they wake only if a phone context word, or an SSN
# context stem, occurs in the text (both bits: either will do).
_WAKE: Final = 1
_NEEDS_PHONE_CONTEXT: Final = 2
_NEEDS_SSN_STEM: Final = 4


def _wakes_digit_detectors(text: str, starts: Sequence[int]) -> bool:
    """Whether a digit shape starting at one of *starts* needs the digit detectors (see _digit_shapes_need)."""
    need = _digit_shapes_need(text, starts)
    return need == _WAKE or bool(need and need & _contexts(text.lower()))


def _contexts(lowered: str) -> int:
    """Return which of the context words digit shapes may need occur in the lower-cased *lowered*.

    Neither depends on a digit or on a hex word (no context word holds a
    digit or is made of hex letters, and neither can be glued to one), so a
    skeleton's text, hex words collapsed, has the same contexts as its texts.
    """
    found = _NEEDS_PHONE_CONTEXT if has_phone_context(lowered) else 0
    # The SSN detector looks for its context words only where "ss" or "soc" occurs.
    if "ss" in lowered or "soc" in lowered:
        found |= _NEEDS_SSN_STEM
    return found


def _digit_shapes_need(text: str, starts: Sequence[int]) -> int:
    """Return whether a digit shape starting at one of *starts* wakes the digit detectors, or what context it needs.

    ``0`` for no, ``_WAKE`` for yes, otherwise the context bits. Some shapes
    wake them only with context: bare pairs (see _BARE_PAIR) and bare numbers
    (see _BARE_NUMBER) after a phone context word, shapes glued to a letter
    or "_" and bare nine-digit numbers after an SSN context stem. The phone,
    card and dashed-SSN patterns never start at a digit glued to a word
    character; a later start in the same run is one of *starts* of its own.
    """
    bare = ssn_shaped = False
    shape = _DIGIT_SHAPE if "%" in text else _DIGIT_SHAPE_PLAIN
    for start in starts:
        if shape.match(text, start) is None:
            continue
        if start and (_GLUE.match(text, start - 1) is not None or _AFTER_A_DOT.match(text, start - 2, start)):
            ssn_shaped = True
            continue
        if _JOINED_BEFORE.search(text, max(0, start - 4), start) is not None:
            return _WAKE
        pair = _BARE_PAIR.match(text, start)
        if pair is not None and len(pair.group()) <= 9:  # noqa: PLR2004 - eight digits and the space
            bare = True
            continue
        number = _BARE_NUMBER.match(text, start)
        if number is None:
            return _WAKE
        bare = True
        ssn_shaped = ssn_shaped or len(number.group()) == _NINE_DIGITS
    return (_NEEDS_PHONE_CONTEXT if bare else 0) | (_NEEDS_SSN_STEM if ssn_shaped else 0)


def _no_match(text: str) -> None:
    """The search of a detector set without trigger literals."""


def _anchor(literal: str) -> str | None:
    """Return the rarest character of *literal*, or ``None`` when it has no rare one."""
    for char in _RANKING:
        if char in literal:
            return char
    return None


def _anchored_pattern(groups: dict[str, dict[str, int]], singles: str = "") -> re.Pattern[str] | None:
    """One pattern with a branch per anchor character, matching where one of its literals occurs.

    Each branch starts with the anchor itself, so :mod:`re` only stops at
    anchor characters; look-behinds and look-aheads check the rest of each
    literal there. A match is the anchor character alone, so ``findall``
    lists the anchors of the literals that occur. *singles* are further
    one-character literals, matched by branches of their own.
    """
    if not groups and not singles:
        return None
    branches = [re.escape(char) for char in singles]
    for anchor, literals in groups.items():
        # Literals that end in their anchor need only a look-behind; those of
        # one width share it, and re factors their common prefixes.
        behind: dict[int, list[str]] = {}
        # Literals with the anchor inside share a look-behind per prefix ("SK" of
        # Twilio's "SK0" to "SKf"), one look-ahead listing what may follow.
        around: dict[str, list[str]] = {}
        checks: list[str] = []
        # Literals that start with their anchor share one look-ahead, in which
        # re factors their common prefixes ("xox" of Slack's "xoxb-", "xoxp-"...).
        ahead_only: list[str] = []
        for literal in literals:
            at = literal.index(anchor)
            if at + 1 == len(literal):
                behind.setdefault(at, []).append(re.escape(literal))
            elif at:
                around.setdefault(literal[: at + 1], []).append(re.escape(literal[at + 1 :]))
            else:
                ahead_only.append(re.escape(literal[1:]))
        checks.extend(f"(?<={re.escape(prefix)})(?={'|'.join(sorted(rests))})" for prefix, rests in around.items())
        if ahead_only:
            checks.append(f"(?={'|'.join(sorted(ahead_only))})")
        checks.extend(f"(?<={'|'.join(sorted(same))})" for width, same in behind.items() if width)
        # A literal that is its anchor alone needs no check: the bare anchor.
        alternatives = "|".join(checks) if all(checks) and 0 not in behind else ""
        branches.append(f"{re.escape(anchor)}(?:{alternatives})" if alternatives else re.escape(anchor))
    return re.compile("|".join(branches))


def _may_collapse_hex_words(words: list[str], digit_blind: list[Detector]) -> bool:
    """Whether skeletons may have their hex words collapsed (see :mod:`redactlog._skeleton`).

    Only when none of *words* (trigger literals and keywords, as the gate
    matches them) could reach into a hex word, and every detector whose
    digit-blind check is asked about skeletons says it ignores them too.
    """
    return not any(map(may_overlap_hex_word, words)) and all(
        getattr(detector, "might_match_ignores_hex_words", False) is True for detector in digit_blind
    )


class _Literals:
    """Trigger literals, and which detectors (as bits) each one wakes."""

    __slots__ = ("_anchored", "_by_anchor", "_plain", "search_any", "singles", "words")

    def __init__(self, literals: dict[str, int]) -> None:
        plain: dict[str, int] = {}
        groups: dict[str, dict[str, int]] = {}
        for literal, bits in literals.items():
            anchor = _anchor(literal) if len(literal) > 1 else None
            if anchor is None:
                plain[literal] = plain.get(literal, 0) | bits
            else:
                group = groups.setdefault(anchor, {})
                group[literal] = group.get(literal, 0) | bits
        self._plain = tuple(plain.items())
        # Anchor -> its literals and their bits; a match of an anchor with one
        # literal has checked all of it, so that literal needs no test.
        self._by_anchor: dict[str, tuple[int, tuple[tuple[str, int], ...]]] = {
            anchor: (next(iter(group.values())), ()) if len(group) == 1 else (0, tuple(group.items()))
            for anchor, group in groups.items()
        }
        self._anchored = _anchored_pattern(groups)
        # For Gate.might_match(): one search for the anchored literals and the
        # single characters together, then the few literals without a rare character.
        any_literal = _anchored_pattern(groups, "".join(sorted(literal for literal in plain if len(literal) == 1)))
        self.search_any: Callable[[str], object] = any_literal.search if any_literal is not None else _no_match
        self.words = tuple(literal for literal in plain if len(literal) > 1)
        # Commonest first: Gate.might_match() stops at the first one a text holds.
        self.singles = tuple(
            sorted(
                (literal for literal in plain if len(literal) == 1),
                key=lambda single: _RANKING.find(single) if single in _RANKING else len(_RANKING),
                reverse=True,
            )
        )

    def occur_in(self, text: str) -> bool:
        """Whether any of the literals occurs in *text*."""
        if self.search_any(text) is not None:
            return True
        for word in self.words:  # noqa: SIM110 - a generator costs more
            if word in text:
                return True
        return False

    def bits(self, text: str) -> int:
        """Return the union of the bits of the literals that occur in *text*."""
        bits = 0
        for literal, literal_bits in self._plain:
            if literal in text:
                bits |= literal_bits
        if self._anchored is not None:
            by_anchor = self._by_anchor
            # findall and set() run in C: a line full of "-" or ":" costs no
            # interpreter round trip per occurrence.
            found = self._anchored.findall(text)
            for anchor in set(found) if found else ():
                checked, literals = by_anchor[anchor]
                bits |= checked
                for literal, literal_bits in literals:
                    if literal in text:
                        bits |= literal_bits
        return bits


class Gate:
    """Maps a text to the detectors whose triggers occur in it.

    What does not depend on the value of any digit is decided on the text's
    skeleton, the text with every digit written as ``0``: which trigger
    literals and keywords occur (matched in their skeleton form too, ``v1,``
    as ``v0,``, which can only wake a detector more often), what checks
    declared ``might_match_ignores_digits`` say, and where a digit shape may
    start. Whether a shape does start there is checked on the text itself,
    since dates are told from numbers by their digits, and so are the other
    detectors' ``might_match`` checks. The decisions are remembered per
    skeleton of a text that woke no detector (lines of one log statement
    share it), never of a text that may hold a secret.
    """

    __slots__ = (
        "_always",
        "_blind_checks",
        "_check_bits",
        "_checks",
        "_collapses_hex_words",
        "_contexts",
        "_detectors",
        "_digit_bits",
        "_keyword_bits",
        "_keywords",
        "_literals",
        "_quiet",
        "_search_any",
        "_selections",
        "_singles",
        "_starts",
        "_static",
        "_woke",
        "_woken",
        "_words",
        "_zeroed",
    )

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self._detectors = tuple(detectors)
        always = 0
        digit_bits = 0
        literals: dict[str, int] = {}
        for index, detector in enumerate(self._detectors):
            bit = 1 << index
            triggers = detector.triggers
            if triggers is None:
                always |= bit
                continue
            for trigger in triggers:
                if trigger == DIGITS:
                    digit_bits |= bit
                elif trigger:
                    literals[trigger] = literals.get(trigger, 0) | bit
        keyword_bits = 0
        check_bits = 0
        keywords: dict[str, int] = {}
        checks: list[tuple[int, Callable[[str], bool]]] = []
        blind_checks: list[tuple[int, Callable[[str], bool]]] = []
        for index, detector in enumerate(self._detectors):
            bit = 1 << index
            check = getattr(detector, "might_match", None)
            words = getattr(detector, "keywords", None)
            if callable(check):
                if getattr(detector, "might_match_ignores_digits", False) is True:
                    blind_checks.append((bit, check))
                else:
                    check_bits |= bit
                    checks.append((bit, check))
            elif words:
                keyword_bits |= bit
                for word in words:
                    word = zero_digits(word.lower())  # noqa: PLW2901 - the form matched on skeletons
                    keywords[word] = keywords.get(word, 0) | bit
        self._keyword_bits = keyword_bits
        self._keywords = tuple(keywords.items())
        self._collapses_hex_words = _may_collapse_hex_words(
            [*map(zero_digits, literals), *keywords],
            [self._detectors[bit.bit_length() - 1] for bit, _ in blind_checks],
        )
        self._check_bits = check_bits
        self._checks = tuple(checks)
        self._blind_checks = tuple(blind_checks)
        # Few combinations of detectors ever occur; building the tuple for each
        # text costs more than the rest of the gate. The memo is bounded by the
        # number of combinations seen, a few dozen in practice.
        self._selections: dict[int, tuple[Detector, ...]] = {0: ()}
        self._always, self._digit_bits = always, digit_bits
        literal_set = self._literals = _Literals(literals)
        self._search_any = literal_set.search_any
        self._words = literal_set.words
        self._singles = literal_set.singles
        zeroed: dict[str, int] = {}
        for literal, bits in literals.items():
            key = zero_digits(literal)
            zeroed[key] = zeroed.get(key, 0) | bits
        self._zeroed = _Literals(zeroed)
        self._new_memos()

    def _new_memos(self) -> None:
        """Create the gate's memos, all empty."""
        # Skeleton -> what it decides (see _static_bits). Only skeletons of
        # texts that woke no detector are kept, so that, like the redactor's
        # memo of clean texts, it never holds a secret. Bounded.
        self._static: dict[bytes, _Static] = {}
        # The same for skeletons of texts that woke a detector, which may hold
        # a secret: keyed by the skeleton's hash (Python's per-process keyed
        # hash) and length, never the skeleton. A log statement that writes the
        # same secret again (a user's address on each of their requests) then
        # skips the gate's work on it. Smaller; bounded.
        self._woken: dict[tuple[int, int], _Static] = {}
        # Skeleton -> where digit shapes may start, for might_match(): only
        # skeletons of texts it found clean, so never a secret. Bounded.
        self._starts: dict[bytes, tuple[int, ...] | None] = {}
        # The same for skeletons in which no trigger literal can occur
        # whatever the digits (checked on the skeleton itself): a long
        # text with such a skeleton skips the literal search. Bounded.
        self._quiet: dict[bytes, tuple[int, ...] | None] = {}
        # The hash and length of the last text whose digit shapes might_match()
        # found waking: select() will not remember its skeleton, so it skips
        # collapsing its hex words. Never the text itself; a stale or shared
        # value only costs a collapse, or saves one that would not have helped.
        self._woke: tuple[int, int] = (0, -1)
        # Skeleton of a text that woke no detector -> its context words for
        # digit shapes (see _contexts): an access log's status and size need a
        # look for phone context words on every line. Like _static, never a
        # secret's skeleton. Bounded.
        self._contexts: dict[bytes, int] = {}

    def might_match(self, text: str) -> bool:
        """Return ``False`` when no detector can match *text* (the fast path)."""
        if not text.isascii():
            # Detectors see the text folded: the trigger "SK1" is in "SK" and an
            # Arabic-Indic one. So does the literal search.
            text = fold(text)
        if len(text) >= _QUIET_FROM and not self._always:
            for single in self._singles:
                if single in text:
                    break
            else:
                return self._might_match_quiet(text)
        # Inlined literal search: this runs for every text redacted.
        if self._always or self._search_any(text) is not None:
            return True
        for word in self._words:
            if word in text:
                return True
        return bool(self._digit_bits) and self._needs_digit_detectors(text)

    def _needs_digit_detectors(self, text: str) -> bool:
        """Whether *text* (folded) needs the digit detectors: :func:`_has_digit_shape`, remembered per skeleton.

        Where a digit shape may start depends on the skeleton only, as in
        :meth:`select`; whether one does start there is checked on the text.
        Texts of one log statement share a skeleton, and most of the cost of
        the search is finding those places (about three times that of building
        the skeleton and looking it up).
        """
        if len(text) <= _LONGEST_BARE_NUMBER and text.isdigit() and text.isascii():
            return _has_digit_shape(text)
        key = skeleton(text)
        if len(key) <= _SHORT and key.count(b"0") < _SHAPE_DIGITS and text.isascii():
            return False  # too few digits for any shape
        memo = self._starts
        if key not in memo and self._collapses_hex_words and len(key) <= _MAX_STARTS_KEY:
            key = hex_words_collapsed(key)
        if key in memo:
            return self._digits_wake(text, memo[key])
        # A new skeleton: the search decides. Only a clean text's skeleton is
        # remembered, so where its shapes may start is found for those only.
        if self._digits_wake(text, None):
            return True
        if len(key) <= _MAX_STARTS_KEY:
            if len(memo) >= _MAX_SKELETONS:
                memo.clear()
            memo[key] = _shape_starts(decode(key))
        return False

    def _might_match_quiet(self, text: str) -> bool:
        """:meth:`might_match` for a long text (folded) without the single characters that wake detectors.

        Such texts (free prose, request strings joined for one scan) are
        where the literal search costs most: it stops at every anchor
        character ("-", capitals) and finds nothing. Their skeletons are
        remembered when no trigger literal can occur in any text that has
        them (keywords matter to select() only), so a text with a remembered
        skeleton only has its digits looked at.
        """
        key = skeleton(text)
        memo = self._quiet
        if key not in memo and self._collapses_hex_words and len(key) <= _MAX_STARTS_KEY:
            key = hex_words_collapsed(key)
        starts = memo.get(key, _UNSEEN)
        if starts is _UNSEEN:
            if self._literals.occur_in(text) or (self._digit_bits and self._digits_wake(text, None)):
                return True
            if len(key) <= _MAX_STARTS_KEY:
                zeroed = decode(key)
                # Literals are matched with their digits written as "0" here:
                # a skeleton without them holds none in any of its texts.
                if not self._zeroed.occur_in(zeroed):
                    if len(memo) >= _MAX_SKELETONS:
                        memo.clear()
                    memo[key] = _shape_starts(zeroed) if self._digit_bits else ()
            return False
        # Without digit detectors the remembered starts are ().
        return self._digits_wake(text, starts)

    def _digits_wake(self, text: str, starts: tuple[int, ...] | None) -> bool:
        """Whether a digit shape starting at one of *starts* (``None``: anywhere) wakes the digit detectors.

        Remembers the hash and length of a text they wake (see ``_woke``).
        """
        wakes = _has_digit_shape(text) if starts is None else bool(starts) and _wakes_digit_detectors(text, starts)
        if wakes:
            self._woke = (str.__hash__(text), len(text))
        return wakes

    def select(self, text: str) -> tuple[Detector, ...]:
        """Return the detectors to run on *text*, in configuration order."""
        key = skeleton(text)
        static = self._static.get(key)
        fresh = False
        if static is None:
            if (
                self._collapses_hex_words
                and _COLLAPSE_FROM <= len(key) <= MAX_KEY
                and self._woke != (str.__hash__(text), len(text))
            ):
                key = hex_words_collapsed(key)
                static = self._static.get(key)
            if static is None:
                static = self._woken.get((hash(key), len(key)))
                if static is None:
                    fresh = True
                    static = self._static_bits(decode(key))
        bits, found, starts, vetoed = static
        bits |= self._always
        if starts is None:
            if _has_digit_shape(text):
                bits |= self._digit_bits
        elif starts:
            need = _digit_shapes_need(text, starts)
            if need == _WAKE or (need and need & self._contexts_of(key, text)):
                bits |= self._digit_bits
        # Detectors with keywords need one of them too (case-insensitively),
        # e.g. "bearer" for the authorization detector on a line with ":";
        # vetoed ones said no on the skeleton.
        bits &= (~self._keyword_bits | found) & ~vetoed
        if bits & self._check_bits:
            # Detectors with their own cheap check (the key/value detector looks
            # for a sensitive key before a separator) decide for themselves.
            for check_bit, check in self._checks:
                if bits & check_bit and not check(text):
                    bits &= ~check_bit
        if fresh and len(key) <= MAX_KEY:
            if not bits:
                # Nothing to detect: this text is clean, and so is its skeleton.
                if len(self._static) >= _MAX_SKELETONS:
                    self._static.clear()
                self._static[key] = static
            else:
                if len(self._woken) >= _MAX_WOKEN:
                    self._woken.clear()
                self._woken[hash(key), len(key)] = static
        selection = self._selections.get(bits)
        if selection is None:
            selection = tuple(d for i, d in enumerate(self._detectors) if bits >> i & 1)
            if len(self._selections) < _MAX_SELECTIONS:
                self._selections[bits] = selection
        return selection

    def _contexts_of(self, key: bytes, text: str) -> int:
        """Return the context words for digit shapes in *text* (see _contexts), remembered per skeleton *key*.

        Only when *key* is in the memo of skeletons of texts that woke no
        detector: never a secret's skeleton.
        """
        if key not in self._static:
            return _contexts(text.lower())
        memo = self._contexts
        found = memo.get(key)
        if found is None:
            if len(memo) >= _MAX_SKELETONS:
                memo.clear()
            # From the skeleton itself, so that what is remembered depends on the key alone.
            found = memo[key] = _contexts(decode(key).lower())
        return found

    def _static_bits(self, zeroed: str) -> _Static:
        """Return what a skeleton's text decides.

        The bits of the trigger literals that occur, the bits of the keywords
        found, where digit shapes may start, and the bits of the detectors
        whose digit-blind ``might_match`` says no.
        """
        bits = self._zeroed.bits(zeroed)
        starts = _shape_starts(zeroed) if self._digit_bits else ()
        # The detectors select() may still wake: keywords and digit-blind
        # checks matter for these only (no digit shape, no digit detectors).
        possible = bits | self._always | (self._digit_bits if starts != () else 0)
        vetoed = 0
        for check_bit, check in self._blind_checks:
            if possible & check_bit and not check(zeroed):
                vetoed |= check_bit
        found = 0
        if possible & self._keyword_bits:
            lowered = zeroed.lower()
            for word, word_bits in self._keywords:
                if word in lowered:
                    found |= word_bits
        return bits, found, starts, vetoed
