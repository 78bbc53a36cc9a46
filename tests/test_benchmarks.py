"""The benchmark scripts still run: each once, on tiny inputs, writing no results file.

They reach into private parts of the engine for their breakdowns, so a
refactoring can break them without any other test noticing. Nothing here is
timed: the figures themselves are for ``benchmarks/results/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize(
    "script_and_args",
    [
        pytest.param(["bench_engine.py", "--lines", "200", "--repeat", "1", "--out", "-"], id="engine"),
        pytest.param(["bench_logging.py", "--calls", "10", "--rounds", "2", "--no-write"], id="logging"),
        pytest.param(["bench_cli.py", "--size-mb", "1", "--no-write"], id="cli"),
        pytest.param(
            ["bench_http_flask.py", "--requests", "10", "--rounds", "1", "--no-write", "--transport", "testclient"],
            id="flask",
        ),
        pytest.param(["bench_http_fastapi.py", "--requests", "10", "--rounds", "1", "--no-write"], id="fastapi"),
    ],
)
def test_benchmark_script_runs(script_and_args: list[str]) -> None:
    """The script exits 0 and prints its figures."""
    done = _run(*script_and_args)

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()


@pytest.mark.parametrize("spec", ["flask:extension:pii:3", "fastapi:logged:clean:3"])
def test_instruction_count_workload_runs(spec: str) -> None:
    """The workload that count_http_instructions.py runs under Valgrind serves its requests (no Valgrind here)."""
    done = _run("count_http_instructions.py", "--worker", spec, "--requests", "3")

    assert done.returncode == 0, done.stderr[-2000:]


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
