"""Instructions per request of the request-logger benchmarks' apps, counted by Valgrind.

The request benchmarks (``bench_http_flask.py``, ``bench_http_fastapi.py``)
report requests per CPU-second, which move by 20 % and more between runs on
a shared machine. This script counts, with ``valgrind --tool=cachegrind``,
the instructions one request costs the same apps over a real socket
(Werkzeug's server or uvicorn on 127.0.0.1 in a thread, one keep-alive
``httpx.Client``; server and client threads together), with and without the
logger: the measure to compare two versions of the loggers with.

Each count runs in its own process: a warm-up, then REQUESTS requests with
fresh bodies; a run with the same warm-up and a quarter of the requests is
subtracted, so start-up and warm-up cancel out. The counts leave out what
the kernel does for the socket, which CPU time includes: the instruction
share of the logger is therefore larger than its share of CPU time. Needs
``valgrind`` (``apt-get install valgrind``); takes about ten minutes.

Run::

    .venv/bin/python benchmarks/count_http_instructions.py    # writes benchmarks/results/http_instructions.md
    .venv/bin/python benchmarks/count_http_instructions.py --requests 100 --out -
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _valgrind import MISSING, available, instructions  # a sibling module: benchmarks run as scripts

RESULTS = Path(__file__).parent / "results" / "http_instructions.md"
HERE = Path(__file__).parent
WARM_UP = 100

# (framework, app) -> what the row says.
APPS = {
    ("flask", "bare"): "Flask, no logger",
    ("flask", "extension"): "Flask, `RequestLogger`",
    ("flask", "floor"): "Flask, two plain log records",
    ("fastapi", "bare"): "FastAPI, no logger",
    ("fastapi", "logged"): "FastAPI, `RequestLoggingMiddleware`",
}
BARE = {"flask": "bare", "fastapi": "bare"}


def _flask_requests(app_name: str, bodies: list[bytes]) -> None:
    from bench_http_flask import build_app, socket_poster

    app = build_app(app_name, mode=None if app_name == "bare" else app_name)
    with socket_poster(app) as post:
        for body in bodies:
            if post(body) != 200:
                raise RuntimeError(app_name)


def _fastapi_requests(app_name: str, bodies: list[bytes]) -> None:
    import httpx
    from bench_http_fastapi import Served, build_app

    with Served(build_app(logged=app_name == "logged")) as url, httpx.Client(base_url=url) as client:
        for body in bodies:
            response = client.post("/orders", content=body, headers={"content-type": "application/json"})
            if response.status_code != 200:
                raise RuntimeError(response.text)


def _workload(spec: str, requests: int) -> None:
    """Serve WARM_UP + *requests* requests of one app (the child side)."""
    sys.path.insert(0, str(HERE))
    from _http_payload import payloads

    framework, app_name, body_kind, built = spec.split(":")
    # Both runs of a pair build the same bodies, so that building them cancels out.
    bodies = payloads(pii=body_kind == "pii", count=WARM_UP + int(built))[: WARM_UP + requests]
    run = _flask_requests if framework == "flask" else _fastapi_requests
    run(app_name, bodies)


def _count(spec: str, requests: int, built: int) -> int:
    return instructions([__file__, "--worker", f"{spec}:{built}", "--requests", str(requests)])


def _per_request(spec: str, requests: int) -> float:
    few = max(1, requests // 4)
    return (_count(spec, requests, requests) - _count(spec, few, requests)) / (requests - few)


def main() -> int:
    """Count, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="requests counted per app (default 400)")
    parser.add_argument("--out", default=str(RESULTS), help="results path, or - for stdout only")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _workload(args.worker, args.requests)
        return 0
    if not available():
        print(MISSING, file=sys.stderr)
        return 2
    specs = [f"{framework}:{app}:{body}" for (framework, app) in APPS for body in ("clean", "pii")]
    # Two counts at a time: valgrind runs one thread per process, and the machine has two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(zip(specs, pool.map(lambda spec: _per_request(spec, args.requests), specs), strict=True))
    rows = [
        "| app | body | instructions per request | over the app alone |",
        "|---|---|---:|---:|",
    ]
    for (framework, app), label in APPS.items():
        for body, body_label in (("clean", "no personal data"), ("pii", "an e-mail and a phone number")):
            value = counts[f"{framework}:{app}:{body}"]
            bare = counts[f"{framework}:{BARE[framework]}:{body}"]
            share = "" if app == BARE[framework] else f"+{(value / bare - 1) * 100:.1f} %"
            rows.append(f"| {label} | {body_label} | {value:,.0f} | {share} |")
    report = "\n".join(
        [
            "# Instructions per request of the request loggers",
            "",
            f"Generated by `benchmarks/count_http_instructions.py --requests {args.requests}` on "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: Python {platform.python_version()}, "
            f"{platform.machine()}, Valgrind cachegrind. The apps and 1 KB JSON bodies of "
            "`bench_http_flask.py` and `bench_http_fastapi.py` behind Werkzeug's server or uvicorn on "
            "127.0.0.1, one keep-alive `httpx.Client`, server and client threads counted together, a new "
            "body on every request. Nearly deterministic (the servers' idle polling moves counts by about 1 % between "
            "runs), unlike the requests per CPU-second of those benchmarks, which move by 20 %; "
            "the kernel's work on the socket is not counted, so the logger's share here is larger than its "
            "share of CPU time. The target (overhead <= 15 %) is stated in requests per second.",
            "",
            *rows,
            "",
        ]
    )
    print(report)
    if args.out != "-":
        Path(args.out).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
