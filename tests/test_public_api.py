"""The public surface is a decision: check it, and that importing it stays light."""

from __future__ import annotations

import subprocess
import sys
import types

import redactlog


def test_all_is_sorted_and_complete():
    """__all__ lists exactly the public names the package defines."""
    public = {
        name
        for name, value in vars(redactlog).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    public -= {"annotations"}

    assert sorted(redactlog.__all__) == sorted(public)


def test_fixed_public_names_exist():
    """The names fixed by the design are importable."""
    for name in ("Redactor", "Finding", "RedactingFilter", "install", "RedactingProcessor"):
        assert hasattr(redactlog, name)


def test_import_does_not_pull_in_web_frameworks():
    """Importing redactlog never imports Flask, Werkzeug or Starlette."""
    code = (
        "import sys, redactlog; "
        "bad = [m for m in ('flask', 'werkzeug', 'starlette', 'fastapi') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == ""
