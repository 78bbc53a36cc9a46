"""redactlog: keep personal data, credentials and signatures out of your logs."""

from __future__ import annotations

from redactlog._engine import Redactor
from redactlog._finding import Finding
from redactlog._http.summary import RequestLogSettings
from redactlog._keys import DEFAULT_SENSITIVE_KEYS, SensitiveKeys, normalize_key
from redactlog._masking import FixedMask, LabelMask, PartialMask, PseudonymMask
from redactlog._stdlib import RedactingFilter, RedactingFormatter, install
from redactlog._structlog import RedactingProcessor
from redactlog._structured import Limits
from redactlog.detectors import RegexDetector, default_detectors
from redactlog.exceptions import ConfigurationError, RedactlogError
from redactlog.typing import Detector, Mask

__all__ = [
    "DEFAULT_SENSITIVE_KEYS",
    "ConfigurationError",
    "Detector",
    "Finding",
    "FixedMask",
    "LabelMask",
    "Limits",
    "Mask",
    "PartialMask",
    "PseudonymMask",
    "RedactingFilter",
    "RedactingFormatter",
    "RedactingProcessor",
    "RequestLogSettings",
    "RedactlogError",
    "Redactor",
    "RegexDetector",
    "SensitiveKeys",
    "default_detectors",
    "install",
    "normalize_key",
]

__version__ = "0.1.0"
