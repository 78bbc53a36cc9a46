"""Built-in detectors, and :func:`default_detectors` to get them all.

Each detector lives in its own module. Kinds (``email``, ``phone``, ``us_ssn``,
``credit_card``, ``jwt``, ``credential``, ``url_password``, ``private_key``,
``api_key``, ``signature``, ``secret``) are public and stable: they appear in
placeholders and findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from redactlog._keys import DEFAULT_SENSITIVE_KEYS, SensitiveKeys
from redactlog.detectors._base import DIGITS, RegexDetector
from redactlog.detectors._digits import DigitRuns
from redactlog.detectors.card import CreditCardDetector
from redactlog.detectors.email import EmailDetector
from redactlog.detectors.keyvalue import KeyValueDetector
from redactlog.detectors.phone import DEFAULT_REGIONS, PhoneDetector
from redactlog.detectors.signatures import SignatureDetector
from redactlog.detectors.ssn import USSocialSecurityNumberDetector
from redactlog.detectors.tokens import (
    AuthorizationDetector,
    JWTDetector,
    PrivateKeyDetector,
    URLCredentialsDetector,
    api_key_detectors,
)
from redactlog.typing import Detector

__all__ = [
    "DIGITS",
    "AuthorizationDetector",
    "CreditCardDetector",
    "EmailDetector",
    "JWTDetector",
    "KeyValueDetector",
    "PhoneDetector",
    "PrivateKeyDetector",
    "RegexDetector",
    "SignatureDetector",
    "URLCredentialsDetector",
    "USSocialSecurityNumberDetector",
    "api_key_detectors",
    "default_detectors",
]


def default_detectors(
    *,
    sensitive_keys: SensitiveKeys = DEFAULT_SENSITIVE_KEYS,
    phone_regions: Iterable[str] = DEFAULT_REGIONS,
) -> tuple[Detector, ...]:
    """Return a fresh tuple of every built-in detector.

    Args:
        sensitive_keys: Rules for the ``sensitive_keys`` detector.
        phone_regions: Regions whose national phone formats are recognised.

    .. versionadded:: 0.1.0
    """
    # Phone, SSN and card detectors share one digit-run scan per text.
    runs = DigitRuns()
    return (
        PrivateKeyDetector(),
        JWTDetector(),
        *api_key_detectors(),
        SignatureDetector(),
        URLCredentialsDetector(),
        AuthorizationDetector(),
        EmailDetector(),
        CreditCardDetector(runs=runs),
        USSocialSecurityNumberDetector(runs=runs),
        PhoneDetector(regions=phone_regions, runs=runs),
        KeyValueDetector(sensitive_keys),
    )
