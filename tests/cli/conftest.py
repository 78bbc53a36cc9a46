"""Fixtures for the command-line tests: run ``redactlog`` as a real process."""

from __future__ import annotations

import os
import random
import re
import string
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample.log"
PLACEHOLDER = rb"\[REDACTED:[A-Za-z0-9_.:-]+\]"

Run = Callable[..., subprocess.CompletedProcess[bytes]]


class Tools:
    """Helpers for the tests, handed out by the ``tools`` fixture.

    (With ``--import-mode=importlib`` test modules cannot import conftest.)
    """

    sample = SAMPLE
    placeholder = PLACEHOLDER

    @staticmethod
    def fake(prefix: str, length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        """Return *prefix* and *length* random characters: a fake token built at run time."""
        return prefix + "".join(random.choice(alphabet) for _ in range(length))

    @staticmethod
    def email() -> str:
        """Return a fresh fake e-mail address."""
        return Tools.fake("user.", 8, string.ascii_lowercase) + "@example.com"

    @staticmethod
    def outside_spans(segments: Sequence[bytes | None]) -> re.Pattern[bytes]:
        """Return a pattern: the literal segments exactly, a placeholder for each ``None``."""
        return re.compile(b"".join(PLACEHOLDER if s is None else re.escape(s) for s in segments), re.DOTALL)


@pytest.fixture(name="tools")
def fixture_tools() -> type[Tools]:
    """The helper class."""
    return Tools


@pytest.fixture(name="run")
def fixture_run(tmp_path: Path) -> Run:
    """Run ``python -m redactlog`` in *tmp_path* (so no stray config file is found)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTLOG_")}

    def run(
        *args: str | Path,
        stdin: bytes = b"",
        cwd: Path | None = None,
        extra_env: dict[str, str] | None = None,
        stderr: int | None = subprocess.PIPE,
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "redactlog", *map(str, args)],
            input=stdin,
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=cwd or tmp_path,
            env={**env, **(extra_env or {})},
            timeout=60,
            check=False,
        )

    return run
