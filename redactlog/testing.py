"""Helpers for your own test suite: prove that secrets never reach your logs."""

from __future__ import annotations

__all__: list[str] = []
