"""Count the instructions a Python command executes, with Valgrind's cachegrind (for the count_* scripts)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

__all__ = ["MISSING", "available", "instructions"]

MISSING = "valgrind is not installed (apt-get install valgrind)"
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def available() -> bool:
    """Whether ``valgrind`` is on the PATH."""
    return shutil.which("valgrind") is not None


def instructions(argv: list[str]) -> int:
    """Run ``python *argv`` under cachegrind and return the instructions it executed.

    The hash seed is fixed, so set and dict orders, and with them the work
    done, are the same on every run.
    """
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run([*command, sys.executable, *argv], capture_output=True, text=True, check=True, env=env)
    found = _REFS.search(done.stderr)
    if found is None:
        msg = f"no instruction count in valgrind's output for {argv!r}"
        raise RuntimeError(msg)
    return int(found.group(1).replace(",", ""))
