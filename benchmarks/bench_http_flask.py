"""Requests per second of a small Flask app with and without the redactlog request loggers.

Every app runs in the same process and is driven the same way, one request at
a time, in two set-ups:

* ``testclient``: Flask's test client (no sockets), so the figure is the
  logger's cost against Flask alone, the harshest comparison;
* ``socket``: each app behind Werkzeug's server on 127.0.0.1, driven by one
  keep-alive ``httpx.Client``, which is closer to what a deployment pays.

Every round runs each app once, in a shuffled order. Rates are each app's
best round (as timeit reports the minimum: interference only ever slows a
round down); overheads are the median over rounds of each app's overhead
against the bare app of the same round, which cancels most of the load other
jobs put on a shared machine (see ``_rounds.py``).

Apps: ``bare`` (no logger), ``extension`` (:class:`redactlog.flask.RequestLogger`),
``extension_headers_only`` (``log_body=False``), ``wsgi`` (the
:class:`redactlog.wsgi.RequestLoggingMiddleware` around ``app.wsgi_app``) and
``floor``: two signal receivers that log one fixed record each through the same
logger, with nothing read or scrubbed, i.e. what any request logger that writes
two stdlib records pays. Each request sends a different body (same keys, new
ids), and rates are requests per CPU-second of the process (server threads
included).

Run::

    .venv/bin/python benchmarks/bench_http_flask.py            # prints and writes the results file
    .venv/bin/python benchmarks/bench_http_flask.py --requests 300 --rounds 3 --no-write
    .venv/bin/python benchmarks/bench_http_flask.py --transport socket
"""

from __future__ import annotations

import argparse
import logging
import os
import pathlib
import platform
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from importlib.metadata import version
from typing import Any

import httpx
from _http_payload import payloads  # a sibling module: benchmarks run as scripts
from _rounds import paired_overhead, run_shuffled
from flask import Flask, request
from flask.signals import request_started, request_tearing_down
from werkzeug.serving import make_server

import redactlog
from redactlog._http.sink import EventSink
from redactlog._http.summary import RequestLogSettings, RequestSummarizer, summarize_response
from redactlog.flask import RequestLogger
from redactlog.wsgi import RequestLoggingMiddleware

RESULTS = pathlib.Path(__file__).parent / "results" / "http_flask.md"
# CPU time of this process (server threads included), not wall time: on a machine shared with other
# jobs, time spent waiting for a CPU would otherwise land on whichever app happened to be running.
clock = time.process_time
REDACTOR = redactlog.Redactor()
LOGGER_NAME = "bench.redactlog.http.flask"
APPS: dict[str, dict[str, Any]] = {
    "bare": {},
    "extension": {"mode": "extension"},
    "extension_headers_only": {"mode": "extension", "log_body": False},
    "wsgi": {"mode": "wsgi"},
    "floor": {"mode": "floor"},
}
HEADERS = {"Content-Type": "application/json", "User-Agent": "bench/1.0", "X-Request-Id": "bench"}


def bench_logger() -> logging.Logger:
    """A real handler and formatter writing to /dev/null: the cost of emitting is included."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    if not logger.handlers:
        handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the process
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return logger


def build_app(name: str, *, mode: str | None = None, log_body: bool = True) -> Flask:
    app = Flask(f"bench_{name}")

    @app.post("/orders")
    def orders() -> dict[str, int]:
        data = request.get_json()
        return {"items": len(data["items"])}

    if mode == "extension":
        RequestLogger(app, redactor=REDACTOR, logger=bench_logger(), log_body=log_body)
    elif mode == "floor":
        add_plain_records(app)
    elif mode == "wsgi":
        app.wsgi_app = RequestLoggingMiddleware(  # type: ignore[method-assign]
            app.wsgi_app, redactor=REDACTOR, logger=bench_logger(), log_body=log_body
        )
    return app


def add_plain_records(app: Flask) -> None:
    """Log two fixed records per request from the same signals, with nothing read or scrubbed."""
    logger = bench_logger()

    def started(sender: Flask, **_: object) -> None:
        fields = {"event": "http.request.start", "method": "POST", "path": "/orders", "headers": {}, "body": ""}
        logger.info("http.request.start POST /orders", extra=fields)

    def finished(sender: Flask, **_: object) -> None:
        fields = {"event": "http.request.end", "status": 200, "duration_ms": 1.0}
        logger.info("http.request.end 200 1.0ms", extra=fields)

    request_started.connect(started, app, weak=False)
    request_tearing_down.connect(finished, app, weak=False)


def run_round(post: Callable[[bytes], int], bodies: list[bytes], requests: int) -> float:
    began = clock()
    for index in range(requests):
        status = post(bodies[index % len(bodies)])
        if status != 200:
            raise RuntimeError(status)
    return requests / (clock() - began)


def test_client_poster(app: Flask) -> Callable[[bytes], int]:
    client = app.test_client()

    def post(body: bytes) -> int:
        response = client.post("/orders", data=body, headers=HEADERS)
        response.close()  # a server closes every response; the WSGI middleware logs its end record then
        return response.status_code

    return post


@contextmanager
def socket_poster(app: Flask) -> Iterator[Callable[[bytes], int]]:
    # No access log, as uvicorn's is off in bench_http_fastapi.py: a line to stderr per request
    # would add the same cost to every app and make the logger's share look smaller than it is.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)  # threaded: HTTP/1.1 keep-alive
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.server_port}") as client:
            yield lambda body: client.post("/orders", content=body, headers=HEADERS).status_code
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def measure(
    posters: dict[str, Callable[[bytes], int]], bodies: list[bytes], requests: int, rounds: int
) -> dict[str, list[float]]:
    for post in posters.values():  # warm-up: imports, caches, first-request paths
        run_round(post, bodies, max(20, requests // 10))
    return run_shuffled(lambda name: run_round(posters[name], bodies, requests), posters, rounds)


def measure_transport(transport: str, bodies: list[bytes], requests: int, rounds: int) -> dict[str, list[float]]:
    apps = {name: build_app(name, **options) for name, options in APPS.items()}
    if transport == "testclient":
        return measure({name: test_client_poster(app) for name, app in apps.items()}, bodies, requests, rounds)
    with ExitStack() as servers:
        posters = {name: servers.enter_context(socket_poster(app)) for name, app in apps.items()}
        return measure(posters, bodies, requests, rounds)


def per_call_us(call: Callable[[], object], repeat: int, rounds: int = 5) -> float:
    for _ in range(repeat // 10):
        call()
    best = float("inf")
    for _ in range(rounds):
        began = clock()
        for _ in range(repeat):
            call()
        best = min(best, (clock() - began) / repeat * 1e6)
    return best


def summary_cost(bodies: list[bytes], repeat: int = 2000) -> float:
    """Microseconds the sans-IO core spends on a start record (the scrubbing itself), as the logger calls it."""
    summarizer = RequestSummarizer(REDACTOR, RequestLogSettings())
    headers = [(k.lower(), v) for k, v in HEADERS.items()] + [("content-length", "1024"), ("host", "localhost")]
    index = 0

    def once() -> None:
        nonlocal index
        index += 1
        summarizer.request_fields(
            method="POST",
            path="/orders",
            query_string="",
            headers=headers,
            body=bodies[index % len(bodies)],
            body_complete=True,
        )

    return per_call_us(once, repeat)


def sink_cost(bodies: list[bytes], repeat: int = 2000) -> float:
    """Microseconds the stdlib logger spends emitting this request's two records."""
    sink = EventSink(bench_logger())
    start = RequestSummarizer(REDACTOR, RequestLogSettings()).request_fields(
        method="POST",
        path="/orders",
        query_string=b"",
        headers=[("content-type", "application/json")],
        body=bodies[0],
        body_complete=True,
    )
    end = summarize_response(status=200, duration_s=0.001, exception=None)

    def both() -> None:
        sink.emit("http.request.start", start)
        sink.emit("http.request.end", end)

    return per_call_us(both, repeat)


def summarize(label: str, rates: dict[str, list[float]], core_us: float, sink_us: float) -> dict[str, Any]:
    bare = max(rates["bare"])
    row: dict[str, Any] = {"label": label, "bare": bare, "core_us": core_us, "sink_us": sink_us}
    for name in APPS:
        if name == "bare":
            continue
        rate = max(rates[name])
        row[name] = rate
        row[f"{name}_overhead"] = paired_overhead(rates[name], rates["bare"])
        row[f"{name}_us"] = (1 / rate - 1 / bare) * 1e6
    return row


TRANSPORTS = {
    "testclient": "Flask's test client, no sockets: the logger against Flask alone",
    "socket": "Werkzeug's server on 127.0.0.1 and one keep-alive `httpx.Client`",
}


def render(tables: dict[str, list[dict[str, Any]]], requests: int, rounds: int) -> str:
    lines = [
        "# Flask request logging: requests per CPU-second with and without redactlog",
        "",
        "Produced by `benchmarks/bench_http_flask.py`: one process, one request at a time,",
        "`POST /orders` with a JSON body of 1 KB that the view parses (the bodies of",
        "`bench_http_fastapi.py`: same keys on every request, new ids, SKUs and sender each time).",
        "Rates are requests per CPU-second of the process (`time.process_time`, server threads",
        f"included). Each of {rounds} rounds runs every app for {requests} requests, in a shuffled order;",
        "rates are each app's best round, *overhead* the median over rounds of its overhead against the",
        "bare app in the same round (pairing within a round cancels most of the load of other jobs on",
        "the shared machine; *added per request* compares the best rounds). Logged apps write",
        "both records through a stdlib handler and formatter to `/dev/null`. Target: overhead <= 15 %",
        "on a 1 KB JSON body.",
        "",
    ]
    for transport, rows in tables.items():
        lines += [f"## {TRANSPORTS[transport]}", "", *render_rows(rows)]
    lines += [
        "## Reading the figures",
        "",
        "- *Two plain records* is the floor: two signal receivers that log one fixed record each through the",
        "  same logger, reading and scrubbing nothing. Any request logger that writes a start and an end",
        "  record through stdlib `logging` pays that much (`LogRecord` creation, `findCaller`, the handler",
        "  and formatter); the rest of the `RequestLogger` column is redactlog's own work.",
        "- The test client measures the logger against Flask alone (a request costs Flask only a couple of",
        "  hundred microseconds there), the harshest comparison; behind a real server the same absolute",
        "  cost is a smaller share of each request.",
        "- redactlog's own work is mostly the engine's scan of the strings it has not seen before (one",
        "  batch per part; strings it found clean before, such as the JSON keys and the header values,",
        "  are remembered), parsing the JSON body (logged from its own text), and Flask's signal dispatch. A body",
        "  with personal data also pays for the detectors that find it (phone numbers above all).",
        "- The parts measured in tight loops run with warm caches; in a request they cost more, which is",
        "  why the difference column is larger than the peek and the signals alone.",
        "- `log_body=False` leaves out the body scan; a smaller `body_cap` bounds it.",
        "",
    ]
    lines += [
        f"Environment: Python {platform.python_version()}, Flask {version('flask')}, "
        f"Werkzeug {version('werkzeug')}, httpx {version('httpx')}, {platform.machine()},",
        f"{os.cpu_count()} CPUs shared with other jobs (figures are noisy: compare columns, not runs).",
        f"Recorded {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
    ]
    return "\n".join(lines)


def render_rows(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| body | without | `RequestLogger` | overhead | added per request "
        "| `log_body=False` | overhead | WSGI middleware | overhead | two plain records | overhead |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['label']} | {r['bare']:,.0f} | {r['extension']:,.0f} | {r['extension_overhead']:.1f} % "
        f"| {r['extension_us']:.0f} µs | {r['extension_headers_only']:,.0f} "
        f"| {r['extension_headers_only_overhead']:.1f} % | {r['wsgi']:,.0f} | {r['wsgi_overhead']:.1f} % "
        f"| {r['floor']:,.0f} | {r['floor_overhead']:.1f} % |"
        for r in rows
    ]
    lines += [
        "",
        "Where the added CPU time goes (`RequestLogger`, body logged); the first two are measured in tight loops:",
        "",
        "| body | core (`RequestSummarizer`) | emitting the two records | the rest, by difference |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['label']} | {r['core_us']:.0f} µs | {r['sink_us']:.0f} µs "
        f"| {r['extension_us'] - r['core_us'] - r['sink_us']:.0f} µs |"
        for r in rows
    ]
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per round (default 300)")
    parser.add_argument("--rounds", type=int, default=15, help="rounds (default 15)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    parser.add_argument("--transport", choices=[*TRANSPORTS, "both"], default="both", help="default: both")
    args = parser.parse_args(argv)

    transports = list(TRANSPORTS) if args.transport == "both" else [args.transport]
    tables: dict[str, list[dict[str, Any]]] = {}
    for transport in transports:
        rows = tables.setdefault(transport, [])
        for label, pii in (("no personal data", False), ("an e-mail and a phone number", True)):
            bodies = payloads(pii=pii, count=args.requests)
            rates = measure_transport(transport, bodies, args.requests, args.rounds)
            rows.append(summarize(label, rates, summary_cost(bodies), sink_cost(bodies)))
    report = render(tables, args.requests, args.rounds)
    print(report)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
