"""Phone numbers, validated with ``phonenumbers``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

import phonenumbers

from redactlog._finding import Finding, new_finding
from redactlog.detectors._base import DEFAULT_TIMEOUT, DIGITS, Deadline, compile_dual, detect_by_lines
from redactlog.detectors._digits import PHONE_CONTEXT as _CONTEXT
from redactlog.detectors._digits import DigitRuns, holds_context_stem

__all__ = ["DEFAULT_REGIONS", "PhoneDetector"]

_MAX_MATCH = 160
"""The longest candidate: eight groups of up to 15 digits and their separators, with a prefix."""

DEFAULT_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "IN", "BR", "JP", "AU")
"""Regions whose national formats are recognised without a ``+`` country code."""

# A run of digit groups joined by single separators. It starts with a digit
# (no look-behind first) so that ``re`` can skip to digits; a leading "+",
# "%2B" (URL-encoded plus) or "(" is added back in Python. In query strings
# "+" and "%20" also stand for a space.
_CANDIDATE = (
    # Not after a ":" (times, ports), except after a context word: "tel:" URIs,
    # "phone:0741...", vCard's "TEL;TYPE=CELL:", or after a JSON key. Not after a "," that follows
    # a digit ("1,234,567"), but after one that follows a letter (a CSV row)
    # or four digits, which no thousands group has (a list "415-555-2671,415-...").
    r"\d(?:(?<![\w.,/:#@$-]\d)|(?<=[^\W\d_],\d)|(?<=[0-9]{4},\d)|(?<=%2[Bb]\d)|(?<=%20\d)"
    r"|(?<=:\d)(?:(?<=(?i:tel|fax|sms):\d)|(?<=(?i:cell|call):\d)|(?<=(?i:phone):\d)|(?<=(?i:mobile):\d)"
    # A number right after a JSON key ('"mobile":4155552671', as compact JSON
    # writes it): a bare digit run, which counts only after a context word.
    r"|(?<=\":\d)))"
    # At least seven digits ahead, checked by the engine before any Python
    # runs: most digit runs in logs (ports, counts, IPs) are far shorter.
    r"(?=(?:(?:[ .\-/()+]|%20){0,3}\d){6})"
    r"\d{0,14}+"
    # Digit runs are maximal and possessive and every group needs its
    # separator, so a run can be split into groups in one way only: no
    # backtracking over the ways to partition a long digit run.
    # " / " joins an area code in German ("0151 / 123 456 78"). A time after a
    # blank ("2671 10:30:00") is no group: the number ends before it.
    r"(?:(?![ ]\d{1,2}:\d)(?:[ ]/[ ]|[ .\-/]|%20|\+|\)[ .\-]?|[ ]?\()\d{1,15}+){0,7}+"
    # A "," and a digit end no number, unless four digits come before the
    # comma and a whole number after it: "1234,00" is an amount. A "-" and a
    # letter or digit continue an id ("415-555-2671-A").
    r"(?![\w]|[.:/]\d|-\w|,\d(?:(?<![0-9]{4},\d)|(?!(?:[ .\-/()+]{0,3}\d){6})))"
)
# How far the candidate pattern reads past a match: its closing look-ahead takes
# a "," and then seven digits with up to three separators before each
# ("4155552671,203.0.113.45" ends a number). Windows are searched this far past
# their end, so that a number is not decided by where its run's neighbours, and
# so its window, happen to end.
_AFTER_RUN = 2 + 6 * 4
# "\Z", not "$": "$" also matches before a final line break, which would pull
# the break of the previous line into the number.
_PREFIX = re.compile(r"(?:(?:\+|%2[Bb]|\b00)[ ]?)?\(?\Z")


def _has_context(window: str) -> bool:
    """Whether *window* (the text before a candidate) holds a phone context word."""
    lowered = window.lower()
    # A few substring tests reject most windows in a fraction of the pattern's search.
    if not holds_context_stem(lowered):
        return False
    for match in _CONTEXT.finditer(lowered):
        start = match.start()
        if start == 0 or not lowered[start - 1].isalpha():
            return True
    return False


_GROUP = re.compile(r"\d+")
# Digit groups of a candidate that may be URL-encoded: the "2" and "0" of
# "%20" (and the "2" of "%2B") are part of a separator, not of the number.
_ENCODED_GROUP = re.compile(r"%[0-9A-Fa-f]{2}|(\d+)")


def _group_spans(candidate: str) -> list[tuple[int, int]]:
    """Return the spans of the digit groups of *candidate*."""
    if "%" not in candidate:
        return [m.span() for m in _GROUP.finditer(candidate)]
    return [m.span(1) for m in _ENCODED_GROUP.finditer(candidate) if m.start(1) >= 0]


# Shapes that are never national phone numbers: dates, times, IPv4 addresses,
# versions, decimals (coordinates, amounts) and the Brazilian postal code
# (CEP, 12345-678); the US SSN layout is _SSN_LAYOUT. French numbers in dotted or
# dashed pairs (01.42.68.53.00, 06-12-34-56-78), special-rate ones as France
# groups them (0.800.12.34.56, 08 numbers only) and NANP numbers with a dotted
# "1" (1.415.555.2671) look like versions or dates and are let through.
_NOT_PHONE = re.compile(
    r"^(?!0\d([.-])\d\d(?:\1\d\d){3}(?:\D|$)|0\.8\d\d(?:\.\d\d){3}(?:\D|$)|1\.[2-9]\d\d\.\d{3}\.\d{4}(?:\D|$))(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\d{1,3}(?:\.\d{1,3}){3}|\d+(?:\.\d+){3,})(?:\D|$)|^(?:0|[1-9]\d*)\.\d+$|^\d{5}-\d{3}$",
)
# A UUID whose first groups happen to be all digits ("08903526-7154-bc05-..."):
# request and delivery ids, never a phone number. A candidate can only start
# at its first group (the others follow a "-", which no candidate starts after).
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])")
_UUID_DASH = 8
# The US SSN layout, never a phone number, whatever its first digits ("004-94-0000").
_SSN_LAYOUT = re.compile(r"\d{3}([ -])\d{2}\1\d{4}")
_SEPARATOR = re.compile(r"[ .()\-/]|%20|\+")
# A date that opens with its year, as a word of a candidate: never part of a number.
_DATE_WORD = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_MEMO_SIZE = 4096
# Windows of one candidate tried at most (see PhoneDetector._best_window).
_MAX_WINDOWS = 8


# Regions where a national number is commonly written without its trunk
# prefix "0": Indian mobiles ("98765 43210") and Brazilian numbers, which
# start with the two-digit area code ("(11) 91234-5678"). Everywhere else
# with a trunk prefix ("0" in GB, DE, FR, JP, AU ...) a national number is
# written with it, so a digit run without it is an id, not a phone.
_WITHOUT_TRUNK = {
    "IN": re.compile(r"[6-9]\d{9}"),
    "BR": re.compile(r"[1-9]{2}(?:9\d{8}|[2-8]\d{7})"),
}


# NANP numbers are always grouped 3-3-4, optionally after a "1": "20 7946 0958"
# is a London number without its trunk prefix, not a number in Maine.
_NANP_GROUPS = frozenset({(10,), (11,), (3, 3, 4), (3, 7), (1, 3, 3, 4), (1, 10)})


@dataclass(frozen=True, slots=True)
class _NationalRule:
    """What a national number of one region looks like, before ``phonenumbers`` is asked."""

    region: str
    trunk: str
    lengths: frozenset[int]
    without_trunk: re.Pattern[str] | None

    @classmethod
    def of(cls, region: str) -> _NationalRule:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if metadata is None:
            return cls(region, "", frozenset(range(4, 18)), None)
        description = metadata.general_desc
        possible = description.possible_length if description is not None else None
        trunk = metadata.national_prefix or ""
        # NANP regions (trunk "1") write numbers without the trunk prefix.
        free = re.compile(r"[2-9]\d{9}") if trunk == "1" else _WITHOUT_TRUNK.get(region)
        return cls(region, trunk, frozenset(possible or range(4, 18)), free)

    def admits(self, digits: str, groups: tuple[int, ...], *, lenient: bool) -> bool:
        """Cheap pre-check before ``phonenumbers.parse``, which costs ~25 microseconds.

        *lenient* (a context word such as "phone" came before) accepts a
        number written without its trunk prefix.
        """
        if digits.startswith("00"):
            return False
        if self.trunk == "1" and groups not in _NANP_GROUPS:
            return False
        if self.trunk and digits.startswith(self.trunk) and len(digits) - len(self.trunk) in self.lengths:
            return True
        if lenient:
            return len(digits) in self.lengths
        if self.without_trunk is not None:
            return self.without_trunk.fullmatch(digits) is not None
        return not self.trunk and len(digits) in self.lengths


def _word_windows(  # noqa: PLR0913 - the candidate and what is known of it
    candidate: str,
    groups: list[tuple[int, int]],
    words: list[tuple[int, int]],
    digits_before: list[int],
    *,
    keep_first: bool,
    free: bool,
) -> list[tuple[int, int]]:
    """Return the windows of groups over whole *words* (first and last group of each), in the order to try them.

    Only windows of 7 to 15 digits. Windows that drop fewer words come
    first; among them, those whose first word opens as national numbers do
    (:func:`_opens_a_number`), then those that keep the start. A window
    starts after a blank, or at an opening parenthesis after one, and not
    after the first word when *keep_first* (a "+" country code). Unless
    *free* (an international number, or a context word), a window drops at
    most one word of a single group at each end, as lists of numbers ("ids
    45981 5944 432 5497 417") hold many windows that some region would take
    for a number.
    """
    count = len(words)
    # Single-group words before each word (a running count: no sum per window).
    singles = [0]
    for first, last in words:
        singles.append(singles[-1] + (first == last))
    windows: list[tuple[int, int]] = []
    for dropped in range(count):
        weak: list[tuple[int, int]] = []
        longest = 0
        for before in range(dropped + 1):
            last = count - 1 - (dropped - before)
            if last < before:
                continue
            window = (words[before][0], words[last][1])
            digits = digits_before[window[1] + 1] - digits_before[window[0]]
            longest = max(longest, digits)
            if not 7 <= digits <= 15:  # noqa: PLR2004 - E.164 bounds
                continue
            at = groups[window[0]][0]
            if before and (keep_first or not candidate[groups[window[0] - 1][1] : at].removesuffix("(").isspace()):
                continue
            if not free and (singles[before] > 1 or singles[count] - singles[last + 1] > 1):
                continue
            if _opens_a_number(candidate, at):
                windows.append(window)
            else:
                weak.append(window)
        windows += weak
        if longest < 7:  # noqa: PLR2004 - dropping more words leaves fewer digits
            break
    return windows


def _opens_a_number(candidate: str, at: int) -> bool:
    """Whether the group at *at* opens as national numbers do: with a trunk "0", or after "(" or "+"."""
    return candidate[at] == "0" or (at > 0 and candidate[at - 1] in "(+")


class PhoneDetector:
    """Detect phone numbers.

    Candidates are runs of 7 to 15 digits in phone-like groups; each is
    confirmed with :func:`phonenumbers.is_valid_number`, in international
    format (``+44 20 7946 0958``, ``0044 20 7946 0958``) or in the national
    format of one of *regions*. A national number must carry its region's
    trunk prefix where people write one (``020 7946 0958`` in GB,
    ``030 1234567`` in DE, ``03-1234-5678`` in JP); NANP numbers, Indian
    mobiles and Brazilian numbers are written without it. A bare digit run
    without separators or ``+`` (``4155552671``) counts only after a context
    word such as "phone", "tel", "mobile", "sms" or "call", since order
    numbers and ids look just the same. Dates, times, IPv4 addresses,
    version numbers, decimals and the SSN layout ``123-45-6789`` are never
    phone numbers.

    Args:
        regions: ISO 3166 region codes tried for national formats, in order.
        context_window: Characters before a candidate searched for context.

    .. versionadded:: 0.1.0
    """

    name = "phone"
    kind = "phone"
    triggers = (DIGITS,)
    priority = 30

    def __init__(
        self,
        *,
        regions: Iterable[str] = DEFAULT_REGIONS,
        context_window: int = 32,
        timeout: float = DEFAULT_TIMEOUT,
        runs: DigitRuns | None = None,
    ) -> None:
        self.regions = tuple(r.upper() for r in regions)
        self._runs = runs if runs is not None else DigitRuns()
        self.context_window = context_window
        self._pattern = compile_dual(_CANDIDATE, timeout=timeout)
        self._rules = tuple(_NationalRule.of(region) for region in self.regions)
        # Per-instance memo of validation verdicts: the same numbers, ids and
        # timestamps recur in logs and phonenumbers costs tens of microseconds
        # a call. Candidates are kept only as hashes, since a memo must not
        # hold a secret. A collision (a 1 in 2**64 accident: Python's str hash
        # is keyed per process) would only judge one candidate like another.
        self._memo: dict[int, bool] = {}

    def detect(self, text: str, /) -> Iterator[Finding]:
        """Yield the phone numbers in *text*."""
        return detect_by_lines(text, self._detect, self._pattern.timeout, max_match=_MAX_MATCH)

    def _detect(self, text: str) -> Iterator[Finding]:
        deadline = Deadline(text, self._pattern.timeout)
        for low, high in self._runs.windows(text, before=8, after=8, min_digits=7):
            yield from self._detect_in(text, low, high, deadline)

    def _detect_in(self, text: str, low: int, high: int, deadline: Deadline) -> Iterator[Finding]:
        # Matches start in the window; what they read past it, their closing
        # look-ahead included, is read from the text (see _AFTER_RUN). One
        # search after another, as finditer would, except that after a number
        # found inside a candidate the search goes on right after the number.
        length = len(text)
        end = min(length, high + _AFTER_RUN)
        position = low
        while position < high:
            windowed = self._pattern.search(text, position, end)
            if windowed is None:
                break
            deadline.tick()
            match, start = windowed, windowed.start()
            if start >= high:
                break
            position = windowed.end()
            if end < length and match.end() + _AFTER_RUN >= end:
                # Cut short by the search's end, or its look-ahead was: judged on the text itself.
                whole = self._pattern.match(text, start, min(length, start + _MAX_MATCH + _AFTER_RUN))
                if whole is None:
                    continue
                match = whole
                position = match.end()
            if text[start + _UUID_DASH : start + _UUID_DASH + 1] == "-" and _UUID.match(text, start) is not None:
                continue
            prefix = _PREFIX.search(text, max(0, start - 5), start)
            # A "(" before "00" wraps the whole number ("(0044 20 ...)"), not an area code.
            if prefix is not None and not (prefix.group() == "(" and text.startswith("00", start)):
                start = prefix.start()
            candidate = text[start : match.end()]
            groups = _group_spans(candidate)
            if sum(stop - begin for begin, stop in groups) < 7:  # noqa: PLR2004 - shortest valid national number here
                continue
            context = _has_context(text[max(0, start - self.context_window) : start])
            if not context and len(groups) <= 2 and not candidate.startswith(("+", "%2", "00", "0", "(")):  # noqa: PLR2004
                # One or two bare groups ("200 86767", an HTTP status and a
                # size) are a number only after a context word: the same rule
                # as in _best_window, decided before its cost.
                continue
            found = self._best_window(candidate, groups, context=context)
            if found is not None:
                yield new_finding(start + found[0], start + found[1], self.kind, self.name)
                # The rest of the candidate may be a number of its own ("415 555
                # 2671 415 555 2672"): a window ends before a blank, where a
                # candidate may start.
                position = min(position, start + found[1])

    def _best_window(self, candidate: str, groups: list[tuple[int, int]], *, context: bool) -> tuple[int, int] | None:
        """Return the span of a valid number inside *candidate*, or ``None``.

        *groups* are the spans of its digit groups (:func:`_group_spans`). A
        greedy candidate can glue a number to its neighbours ("id 7 call
        415-555-2671", "+1 415 555 2671 2024-01-05"), so after the whole of
        it the candidate is tried without whole words at either end, in the
        order of :func:`_word_windows`. Only whitespace separates a number
        from a neighbour; a "." or "-" inside a candidate ("10.0.19045.2965",
        "000-030-4211") joins one word, and a "+" country code belongs to
        what follows it. At most :data:`_MAX_WINDOWS` windows are tried, to
        keep validation calls bounded.
        """
        tried = 0
        # Digits before each group: a window's digit count by one subtraction.
        digits_before = [0]
        for begin, stop in groups:
            digits_before.append(digits_before[-1] + stop - begin)
        # The whole candidate first: most candidates are the number itself, and
        # the other windows are worked out only when it is not.
        whole = (0, len(groups) - 1)
        for first, last in chain((whole,), self._other_windows(candidate, groups, digits_before, context=context)):
            digit_count = digits_before[last + 1] - digits_before[first]
            if not 7 <= digit_count <= 15:  # noqa: PLR2004 - E.164 bounds
                continue
            tried += 1
            if tried > _MAX_WINDOWS:
                break
            start = 0 if first == 0 else groups[first][0]
            if start and candidate[start - 1] == "(":
                start -= 1  # an area code in parentheses: "ticket 81-4368 (563) 624-4540"
            end = groups[last][1]
            number = candidate[start:end]
            if _SSN_LAYOUT.fullmatch(number.lstrip("( ")):
                continue
            international = number.startswith(("+", "%2", "00"))
            if not international:
                if _NOT_PHONE.search(number.lstrip("( ")):
                    continue
                # One group is an id, and so are two unless the first opens
                # with the trunk "0" or an area code in parentheses:
                # "671-2086697" is a byte range, "030 1234567" a number.
                two = last - first == 1 and not number.startswith(("0", "("))
                if (first == last or two) and not context:
                    continue
            if self._valid(number, lenient=context):
                return start, end
        return None

    def _other_windows(
        self, candidate: str, groups: list[tuple[int, int]], digits_before: list[int], *, context: bool
    ) -> Iterator[tuple[int, int]]:
        """Yield the windows of groups (first, last) to try in *candidate* after the whole of it."""
        count = len(groups)
        separators = [candidate[groups[i][1] : groups[i + 1][0]] for i in range(count - 1)]
        # Words: groups joined by anything but blanks ("078-05-1120"); " ("
        # opens a word too ("(42)" after "+1 678-534-8675" is a count).
        breaks = [i for i, separator in enumerate(separators) if separator.removesuffix("(").isspace()]
        if not breaks:
            return
        words = list(zip([0, *(i + 1 for i in breaks)], [*breaks, count - 1], strict=True))
        international = candidate.startswith(("+", "%2", "00"))
        windows: list[tuple[int, int]] = []
        segment: list[tuple[int, int]] = []
        for word in [*words, None]:
            # A date, an SSN or a version (words of several groups) ends a
            # run of words a number may span.
            if word is not None and (
                word[0] == word[1] or not self._never_in_a_number(candidate, groups, word, international=international)
            ):
                segment.append(word)
                continue
            keep_first = international and segment[:1] == words[:1]
            windows += _word_windows(
                candidate, groups, segment, digits_before, keep_first=keep_first, free=context or keep_first
            )
            segment = []
        if separators[-1].endswith("(") and (1, count - 1) in windows:
            # "12 020 7946 (0958)": the group in parentheses may belong to the
            # number; keeping it by dropping a stray first group comes first.
            windows.remove((1, count - 1))
            windows.insert(0, (1, count - 1))
        for window in windows:
            if window != (0, count - 1):
                yield window

    @staticmethod
    def _never_in_a_number(
        candidate: str, groups: list[tuple[int, int]], word: tuple[int, int], *, international: bool
    ) -> bool:
        """Whether *word*, groups joined by anything but blanks, is a date, an SSN, an address or a version.

        No number holds one. After a country code the rest of a number may be
        written in any groups ("+33 6.12.34.56.78", "+41 79.123.45.67"): there
        only the SSN layout and a date that opens with its year rule a word out.
        """
        first, last = word
        text = candidate[groups[first][0] : groups[last][1]]
        if _SSN_LAYOUT.fullmatch(text) or _DATE_WORD.fullmatch(text):
            return True
        return not international and _NOT_PHONE.search(text) is not None

    def _valid(self, number: str, *, lenient: bool) -> bool:
        memo = self._memo
        key = hash((number, lenient))
        verdict = memo.get(key)
        if verdict is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            verdict = memo[key] = self._validate(number, lenient=lenient)
        return verdict

    def _validate(self, number: str, *, lenient: bool = False) -> bool:
        cleaned = number.replace("%2B", "+").replace("%2b", "+").replace("%20", " ")
        if cleaned.startswith("00"):
            cleaned = "+" + cleaned[2:]
        if cleaned.startswith("+"):
            cleaned = "+" + _SEPARATOR.sub(" ", cleaned[1:])
            regions: Iterable[str | None] = (None,)
        else:
            # After the first digit a "+" is a space written as in a form body ("07414+991950").
            cleaned = cleaned.replace("+", " ")
            runs = _GROUP.findall(cleaned)
            digits = "".join(runs)
            lengths = tuple(len(run) for run in runs)
            regions = [rule.region for rule in self._rules if rule.admits(digits, lengths, lenient=lenient)]
        for region in regions:
            try:
                parsed = phonenumbers.parse(cleaned, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed):
                return True
        return False
