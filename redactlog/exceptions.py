"""Exceptions raised by redactlog.

Redaction itself never raises: these are raised only while *configuring*
redactlog (building a :class:`~redactlog.Redactor`, a mask or a detector), so
mistakes surface at start-up rather than on a log call::

    RedactlogError
     └── ConfigurationError
"""

from __future__ import annotations

__all__ = ["ConfigurationError", "RedactlogError"]


class RedactlogError(Exception):
    """Base class of every exception redactlog raises."""


class ConfigurationError(RedactlogError, ValueError):
    """An option, detector or mask was given an invalid value."""
