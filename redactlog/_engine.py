"""The Redactor: detectors in, redacted copies out, never an exception."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence

from redactlog._cut import cut_cleanly
from redactlog._finding import Finding, new_finding
from redactlog._fold import fold
from redactlog._gate import Gate
from redactlog._keys import DEFAULT_SENSITIVE_KEYS, SensitiveKeys
from redactlog._masking import BUILTIN_LABELS, LabelMask, PartialMask, PseudonymMask
from redactlog._structured import Limits, ValueWalker
from redactlog.detectors import default_detectors
from redactlog.exceptions import ConfigurationError
from redactlog.typing import Detector, Mask

__all__ = ["Redactor"]

FAILED: str = "redaction_failed"
"""Kind of the placeholder that replaces a text whose redaction failed."""

OVERSIZE: str = "oversize"
"""Kind of the placeholder that replaces the part of a text beyond ``max_length``."""


# Masks whose placeholders all start with "[REDACTED" (and so can be ruled out
# with one substring test).
_LABELLED_MASKS = (LabelMask, PartialMask, PseudonymMask)

_LAST_RESORT = "[REDACTED:redaction_failed]"
"""Written when even the mask fails: a fixed text that holds nothing of the input."""

_MEMO_SIZE = 4096
_MEMO_MAX_LENGTH = 256


class _Counter:
    """A thread-safe event counter, written only on the (rare) failure path."""

    __slots__ = ("_lock", "value")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def add(self) -> None:
        with self._lock:
            self.value += 1


class Redactor:
    """Finds and masks personal data, credentials and signatures.

    A redactor is immutable and thread-safe: build one at start-up and share
    it between every logging filter, processor, request logger and thread.
    ``Redactor()`` gives every built-in detector and ``[REDACTED:<kind>]``
    placeholders.

    Redaction never raises and fails closed: if a detector raises or exceeds
    its time bound, the whole text is replaced by
    ``[REDACTED:redaction_failed]`` and :attr:`failures` is incremented.

    Args:
        detectors: The detectors to use; ``None`` for
            :func:`~redactlog.detectors.default_detectors`.
        add: Further detectors. One whose name is already taken replaces the
            detector of that name.
        disable: Names of detectors to remove.
        mask: The mask for every kind without its own in *masks*.
        masks: Masks by kind, e.g. ``{"email": PseudonymMask(key=...)}``.
        sensitive_keys: Field names whose values are always masked, in
            structured values and in ``key=value`` text.
        limits: Bounds on text length and on the walk of structured values.

    Raises:
        ConfigurationError: For a disabled name that no detector has, or an
            object that is not a detector.

    .. versionadded:: 0.1.0
    """

    __slots__ = (
        "_builtin_placeholders",
        "_clean",
        "_detectors",
        "_failures",
        "_gate",
        "_keys",
        "_labels",
        "_limits",
        "_mask",
        "_masks",
        "_priorities",
        "_walker",
    )

    def __init__(  # noqa: PLR0913 - keyword-only configuration
        self,
        detectors: Iterable[Detector] | None = None,
        *,
        add: Iterable[Detector] = (),
        disable: Iterable[str] = (),
        mask: Mask | None = None,
        masks: Mapping[str, Mask] | None = None,
        sensitive_keys: SensitiveKeys = DEFAULT_SENSITIVE_KEYS,
        limits: Limits | None = None,
    ) -> None:
        base = default_detectors(sensitive_keys=sensitive_keys) if detectors is None else tuple(detectors)
        by_name: dict[str, Detector] = {}
        candidates: tuple[object, ...] = (*base, *add)
        for detector in candidates:
            if not isinstance(detector, Detector):
                msg = f"{detector!r} is not a detector: it needs name, triggers, priority and detect()"
                raise ConfigurationError(msg)
            by_name[detector.name] = detector
        for name in disable:
            if by_name.pop(name, None) is None:
                msg = f"cannot disable unknown detector {name!r}; known: {sorted(by_name)}"
                raise ConfigurationError(msg)
        self._detectors = tuple(by_name.values())
        self._gate = Gate(self._detectors)
        self._mask: Mask = mask if mask is not None else LabelMask()
        self._masks: Mapping[str, Mask] = dict(masks or {})
        self._keys = sensitive_keys
        self._limits = limits if limits is not None else Limits()
        self._priorities = {detector.name: detector.priority for detector in self._detectors}
        # With the default mask alone, a built-in kind's placeholder is a look-up, not a call.
        # A private dict: a mapping proxy's get() is a second call.
        self._labels: dict[str, str] = dict(BUILTIN_LABELS) if type(self._mask) is LabelMask and not self._masks else {}
        self._builtin_placeholders = all(type(m) in _LABELLED_MASKS for m in (self._mask, *self._masks.values()))
        self._failures = _Counter()
        self._clean: set[str] = set()
        self._walker = ValueWalker(self.redact, sensitive_keys, self._mask_value, self._limits)

    def __repr__(self) -> str:
        names = ", ".join(d.name for d in self._detectors)
        return f"Redactor(detectors=[{names}])"

    @property
    def detectors(self) -> tuple[Detector, ...]:
        """The detectors in use, in order."""
        return self._detectors

    @property
    def sensitive_keys(self) -> SensitiveKeys:
        """The rules for sensitive field names."""
        return self._keys

    @property
    def limits(self) -> Limits:
        """The bounds in force."""
        return self._limits

    @property
    def failures(self) -> int:
        """How many texts were masked whole because a detector failed or timed out."""
        return self._failures.value

    def mask(self, secret: str, kind: str, /) -> str:
        """Return what this redactor writes in place of *secret* of the given *kind*.

        For integrations that decide themselves that a whole value is secret
        (a header on a deny-list, say) and must mask it consistently with the
        redactor's masks, pseudonyms included. Never raises.
        """
        try:
            return self._mask_value(secret, kind)
        except Exception:  # noqa: BLE001 - fail closed, never raise into the caller
            return self._fail()

    def placeholder(self, kind: str, /) -> str:
        """Return the placeholder this redactor writes for a value of *kind*.

        For integrations that must replace a whole field themselves, such as
        ``placeholder("redaction_failed")`` after an unexpected error.
        """
        return self.mask("", kind)

    def count_failure(self) -> None:
        """Record that an integration masked something whole because redaction failed."""
        self._failures.add()

    def redact(self, text: str, /) -> str:
        """Return *text* with every finding replaced by its placeholder.

        Never raises: a non-``str`` argument is converted with :func:`str`
        first, and any failure masks the whole text.
        """
        if type(text) is str:
            if not self._gate.might_match(text) or (len(text) <= _MEMO_MAX_LENGTH and text in self._clean):
                return text
        else:
            text = _coerce(text)
            if not self._gate.might_match(text):
                return text
        try:
            redacted, findings = self._apply(text)
        except Exception:  # noqa: BLE001 - fail closed, never raise into the caller
            return self._fail()
        # A text cut at max_length was not scanned whole: never remember it as clean.
        if not findings and len(text) <= _MEMO_MAX_LENGTH and len(text) <= self._limits.max_length:
            self._remember_clean(text)
        return redacted

    def scan(self, text: str, /) -> list[Finding]:
        """Return the merged findings in *text*, sorted by position.

        A finding carries the kind, position and detector name, never the
        value. Raises nothing; on a detector failure the whole text is one
        finding of kind ``redaction_failed``.
        """
        text = _coerce(text)
        try:
            return self._findings(text[: self._limits.max_length])
        except Exception:  # noqa: BLE001 - fail closed, never raise into the caller
            self._failures.add()
            return [new_finding(0, len(text), FAILED, "")]

    def redact_value(self, value: object, /) -> object:
        """Return a redacted copy of *value*, which is never mutated.

        Dicts, lists, tuples, sets and their nesting are walked; values under
        sensitive keys are masked whatever they look like; strings are
        redacted as by :meth:`redact`; bytes are decoded (invalid UTF-8
        replaced) when they hold something to mask. Objects of other types are
        kept when their ``str`` and ``repr`` hold nothing sensitive and are
        replaced by their redacted ``str`` otherwise. Containers are copied only
        when something inside them changed, so clean values come back as the
        very same objects. Cycles, depth and size are bounded (see
        :class:`Limits`).
        """
        try:
            return self._walker.walk(value)
        except Exception:  # noqa: BLE001 - fail closed, never raise into the caller
            return self._fail()

    def redact_with_findings(self, text: str, /) -> tuple[str, list[Finding]]:
        """Return the redacted text and the findings it masked, in one pass."""
        if type(text) is not str:
            text = _coerce(text)
        if not self._gate.might_match(text):
            return text, []
        try:
            return self._apply(text)
        except Exception:  # noqa: BLE001 - fail closed, never raise into the caller
            return self._fail(), [Finding(0, len(text), FAILED, "")]

    def _remember_clean(self, text: str) -> None:
        # Short values recur endlessly in logs (levels, logger names, ISO
        # timestamps, status words). Only texts found clean are kept, so the
        # memo never holds a secret; set operations are atomic under the GIL.
        clean = self._clean
        if len(clean) >= _MEMO_SIZE:
            clean.clear()
        clean.add(text)

    def _mask_for(self, kind: str) -> Mask:
        return self._masks.get(kind, self._mask)

    def _mask_value(self, secret: str, kind: str) -> str:
        return self._mask_for(kind)(secret, kind)

    def _fail(self) -> str:
        """Count a failure and return the placeholder for a text masked whole."""
        self._failures.add()
        try:
            # No part of the text goes to the mask: a PartialMask must not keep
            # a tail of a text that was never scanned.
            placeholder = self._mask_value("", FAILED)
        except Exception:  # noqa: BLE001 - a broken mask must not leak the text either
            return _LAST_RESORT
        return placeholder if type(placeholder) is str else _LAST_RESORT

    def _apply(self, text: str) -> tuple[str, list[Finding]]:
        if len(text) > self._limits.max_length:
            return self._apply_cut(text)
        findings = self._findings(text)
        if not findings:
            return text, findings
        if len(findings) == 1:
            # The commonest case, without a list of pieces (a mask that does
            # not return a str fails here as in the join below).
            # Attributes, not unpacking: a custom detector's findings need only
            # look like Finding (one finding is passed on without _merge).
            only = findings[0]
            start, end, kind = only.start, only.end, only.kind
            label = self._labels.get(kind)
            if label is None:
                label = self._masks.get(kind, self._mask)(text[start:end], kind)
            return text[:start] + label + text[end:], findings
        mask_for = self._masks.get
        default = self._mask
        pieces: list[str] = []
        position = 0
        for finding in findings:
            start, end, kind = finding.start, finding.end, finding.kind
            pieces.append(text[position:start])
            pieces.append(mask_for(kind, default)(text[start:end], kind))
            position = end
        pieces.append(text[position:])
        return "".join(pieces), findings

    def _apply_cut(self, text: str) -> tuple[str, list[Finding]]:
        """:meth:`_apply` for a text longer than ``max_length``: its scanned head, then the oversize placeholder."""
        tail = self._mask_value("", OVERSIZE)
        # The token the cut ran into is dropped with the tail: its first part
        # ("4111 1111 1111 1", "alice@exa") is a fragment no detector finds.
        redacted, findings = self._apply(cut_cleanly(text, self._limits.max_length))
        # A mask that does not return a str fails here (and the text fails closed).
        return redacted + tail, findings

    def _findings(self, text: str) -> list[Finding]:
        # Same length, character for character: the findings in the folded
        # text are the findings in *text*.
        text = fold(text)
        detectors = self._gate.select(text)
        if not detectors:
            return []
        raw: list[Finding] = []
        for detector in detectors:
            raw.extend(detector.detect(text))
        if not raw:
            return []
        only = raw[0]
        if len(raw) == 1 and 0 <= only.start < only.end <= len(text):
            merged = raw  # nothing to merge
        else:
            merged = _merge(raw, self._priorities, len(text))
        if self._builtin_placeholders and "[REDACTED" not in text:
            # Every mask in use writes "[REDACTED..." placeholders: none here.
            return merged
        return _subtract_placeholders(merged, self._placeholder_spans(text))

    def _placeholder_spans(self, text: str) -> list[tuple[int, int]]:
        spans = set(self._mask.placeholders(text))
        for mask in self._masks.values():
            spans.update(mask.placeholders(text))
        return sorted(spans)


def _merge(findings: list[Finding], priorities: Mapping[str, int], length: int) -> list[Finding]:
    """Union overlapping findings; the merged kind is the highest priority, then longest, finding's."""
    findings.sort(key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    best: Finding | None = None
    start = end = -1
    for finding in findings:
        f_start = max(0, finding.start)
        f_end = min(length, finding.end)
        if f_end <= f_start:
            continue
        if best is not None and f_start < end:
            end = max(end, f_end)
            if _rank(finding, priorities) > _rank(best, priorities):
                best = finding
            continue
        if best is not None:
            merged.append(new_finding(start, end, best.kind, best.detector))
        best, start, end = finding, f_start, f_end
    if best is not None:
        merged.append(new_finding(start, end, best.kind, best.detector))
    return merged


def _rank(finding: Finding, priorities: Mapping[str, int]) -> tuple[int, int]:
    return priorities.get(finding.detector, 0), finding.end - finding.start


def _subtract_placeholders(findings: Sequence[Finding], spans: Sequence[tuple[int, int]]) -> list[Finding]:
    """Cut placeholders out of findings, so redacting twice changes nothing.

    Dropping a finding that merely touches a placeholder would let
    ``password=abc[REDACTED]def`` leak ``abc`` and ``def``; cutting keeps both
    masked while the placeholder itself is never replaced again.
    """
    if not spans:
        return list(findings)
    result: list[Finding] = []
    for finding in findings:
        start = finding.start
        for p_start, p_end in spans:
            if p_end <= start or p_start >= finding.end:
                continue
            if p_start > start:
                result.append(new_finding(start, p_start, finding.kind, finding.detector))
            start = max(start, p_end)
        if start < finding.end:
            result.append(new_finding(start, finding.end, finding.kind, finding.detector))
    return result


def _coerce(value: object) -> str:
    if type(value) is str:
        return value
    try:
        text = str(value)
    except Exception:  # noqa: BLE001 - hostile __str__
        return "[REDACTED:unrepresentable]"
    return text if type(text) is str else "[REDACTED:unrepresentable]"
