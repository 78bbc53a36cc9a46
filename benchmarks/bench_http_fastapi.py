"""Requests per second of a small FastAPI app with and without RequestLoggingMiddleware.

Every app runs in the same process and is driven the same way, one request at
a time, in two set-ups:

* ``asgi``: identical ``httpx.AsyncClient``s over ``httpx.ASGITransport`` (no
  sockets), so the figure is the middleware's cost against FastAPI alone, the
  harshest comparison (and the one the 15 % target is stated for);
* ``socket``: each app behind uvicorn on 127.0.0.1 in a thread, driven by one
  keep-alive ``httpx.Client``, which is closer to what a deployment pays.

Apps: ``bare`` (no middleware), ``logged`` (body logged, the default) and
``headers_only`` (``log_body=False``). Rates are requests per CPU-second of
this process (``time.process_time``), so other jobs on a shared machine do
not skew them. Every round runs each app once, in a shuffled order; rates are
each app's best round, overheads the median over rounds of each app's
overhead against the bare app of the same round (see ``_rounds.py``).
Tight-loop measurements then split the added time between the core's
start fields (``RequestSummarizer``), emitting the two records, and the middleware itself.

Run::

    .venv/bin/python benchmarks/bench_http_fastapi.py            # prints and writes the results file
    .venv/bin/python benchmarks/bench_http_fastapi.py --requests 300 --rounds 3 --no-write
    .venv/bin/python benchmarks/bench_http_fastapi.py --transport socket
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import pathlib
import platform
import sys
import threading
import time
from typing import Any

import fastapi
import httpx
import starlette
import uvicorn
from _http_payload import payloads  # a sibling module: benchmarks run as scripts
from _rounds import paired_overhead, run_shuffled, shuffled_rounds
from fastapi import FastAPI, Request

import redactlog
from redactlog._http.sink import EventSink
from redactlog._http.summary import RequestLogSettings, RequestSummarizer, summarize_response
from redactlog.asgi import RequestLoggingMiddleware

RESULTS = pathlib.Path(__file__).parent / "results" / "http_fastapi.md"
# CPU time of this process, not wall time: on a machine shared with other jobs, time spent waiting
# for a CPU would otherwise land on whichever app happened to be running.
clock = time.process_time
REDACTOR = redactlog.Redactor()
APPS = {
    "bare": {"logged": False},
    "logged": {"logged": True},
    "headers_only": {"logged": True, "log_body": False},
}


def build_app(*, logged: bool, log_body: bool = True) -> FastAPI:
    app = FastAPI()

    @app.post("/orders")
    async def orders(request: Request) -> dict[str, int]:
        data = await request.json()
        return {"items": len(data["items"])}

    if logged:
        app.add_middleware(
            RequestLoggingMiddleware, redactor=REDACTOR, logger=bench_logger(), body_cap=4096, log_body=log_body
        )
    return app


def bench_logger() -> logging.Logger:
    """The logger every measurement writes to: a real handler and formatter, output to /dev/null."""
    logger = logging.getLogger("bench.redactlog.http")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    if not logger.handlers:
        handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the process
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return logger


async def run_round(client: httpx.AsyncClient, bodies: list[bytes], requests: int) -> float:
    headers = {"content-type": "application/json"}
    began = clock()
    for index in range(requests):
        response = await client.post("/orders", content=bodies[index % len(bodies)], headers=headers)
        if response.status_code != 200:
            raise RuntimeError(response.text)
    return requests / (clock() - began)


async def measure(bodies: list[bytes], requests: int, rounds: int) -> dict[str, list[float]]:
    apps = {name: build_app(**options) for name, options in APPS.items()}
    rates: dict[str, list[float]] = {name: [] for name in apps}
    clients = {
        name: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
        for name, app in apps.items()
    }
    try:
        for client in clients.values():  # warm-up: imports, caches, first-request paths
            await run_round(client, bodies, max(20, requests // 10))
        for order in shuffled_rounds(clients, rounds):
            for name in order:
                rates[name].append(await run_round(clients[name], bodies, requests))
    finally:
        for client in clients.values():
            await client.aclose()
    return rates


class Served:
    """An app behind uvicorn on 127.0.0.1 in a thread (no access log), for the socket set-up."""

    def __init__(self, app: FastAPI) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def run_round_sync(client: httpx.Client, bodies: list[bytes], requests: int) -> float:
    headers = {"content-type": "application/json"}
    began = clock()
    for index in range(requests):
        response = client.post("/orders", content=bodies[index % len(bodies)], headers=headers)
        if response.status_code != 200:
            raise RuntimeError(response.text)
    return requests / (clock() - began)


def measure_socket(bodies: list[bytes], requests: int, rounds: int) -> dict[str, list[float]]:
    """The same comparison over a real socket: uvicorn per app, one keep-alive httpx.Client each."""
    with contextlib.ExitStack() as stack:
        clients = {}
        for name, options in APPS.items():
            url = stack.enter_context(Served(build_app(**options)))
            clients[name] = stack.enter_context(httpx.Client(base_url=url))
        for client in clients.values():
            run_round_sync(client, bodies, max(20, requests // 10))
        return run_shuffled(lambda name: run_round_sync(clients[name], bodies, requests), clients, rounds)


def sink_cost(body: bytes, repeat: int = 2000) -> float:
    """Microseconds the stdlib logger spends emitting this request's two records."""
    logger = bench_logger()
    sink = EventSink(logger)
    start = RequestSummarizer(REDACTOR, RequestLogSettings(body_cap=4096)).request_fields(
        method="POST",
        path="/orders",
        query_string=b"",
        headers=[("content-type", "application/json")],
        body=body,
        body_complete=True,
    )
    end = summarize_response(status=200, duration_s=0.001, exception=None)
    for _ in range(repeat // 10):
        sink.emit("http.request.start", start)
    began = clock()
    for _ in range(repeat):
        sink.emit("http.request.start", start)
        sink.emit("http.request.end", end)
    return (clock() - began) / repeat * 1e6


async def plumbing_cost(body: bytes = b'{"ok": true}', repeat: int = 2000, rounds: int = 7) -> float:
    """Microseconds the middleware adds beyond the summaries and records it has to produce anyway.

    The middleware wraps a bare ASGI app that reads the body and answers; the reference does the
    same app call plus the core's start fields, ``summarize_response`` and both emits directly.
    A tiny body keeps the subtracted scrubbing time, and so its noise, small; the plumbing does
    not depend on what the body holds. Best of *rounds*, alternating.
    """
    logger = bench_logger()
    summarizer = RequestSummarizer(REDACTOR, RequestLogSettings(body_cap=4096))
    sink = EventSink(logger)
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "method": "POST", "path": "/orders", "query_string": b"", "headers": raw_headers}
    message = {"type": "http.request", "body": body, "more_body": False}

    async def receive() -> dict[str, Any]:
        return message

    async def send(_: Any) -> None:
        return None

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    middleware = RequestLoggingMiddleware(app, redactor=REDACTOR, logger=logger, body_cap=4096)

    async def with_middleware() -> None:
        await middleware(scope, receive, send)

    async def by_hand() -> None:
        began = time.perf_counter()
        fields = summarizer.request_fields(
            method="POST",
            path="/orders",
            query_string=b"",
            headers=[(k.decode(), v.decode()) for k, v in raw_headers],
            body=body,
            body_complete=True,
        )
        sink.emit("http.request.start", fields)
        await app(scope, receive, send)
        sink.emit(
            "http.request.end", summarize_response(status=200, duration_s=time.perf_counter() - began, exception=None)
        )

    best = {with_middleware: float("inf"), by_hand: float("inf")}
    for _ in range(rounds):
        for run in (with_middleware, by_hand):
            began = clock()
            for _ in range(repeat):
                await run()
            best[run] = min(best[run], (clock() - began) / repeat * 1e6)
    return best[with_middleware] - best[by_hand]


def summary_cost(bodies: list[bytes], repeat: int = 2000) -> float:
    """Microseconds the sans-IO core spends on a start record (the scrubbing itself), as the middleware calls it."""
    headers = [
        ("host", "bench"),
        ("accept", "*/*"),
        ("accept-encoding", "gzip, deflate"),
        ("connection", "keep-alive"),
        ("user-agent", f"python-httpx/{httpx.__version__}"),
        ("content-length", "1024"),
        ("content-type", "application/json"),
    ]
    summarizer = RequestSummarizer(REDACTOR, RequestLogSettings(body_cap=4096))

    def once(body: bytes) -> object:
        return summarizer.request_fields(
            method="POST",
            path="/orders",
            query_string=b"",
            headers=headers,
            body=body,
            body_complete=True,
        )

    for index in range(repeat // 10):
        once(bodies[index % len(bodies)])
    best = float("inf")
    for _ in range(5):
        began = clock()
        for index in range(repeat):
            once(bodies[index % len(bodies)])
        best = min(best, (clock() - began) / repeat * 1e6)
    return best


def summarize(label: str, rates: dict[str, list[float]], costs: dict[str, float]) -> dict[str, Any]:
    bare = max(rates["bare"])
    row: dict[str, Any] = {"label": label, "bare": bare, **costs}
    for name in ("logged", "headers_only"):
        rate = max(rates[name])
        row[name] = rate
        row[f"{name}_overhead"] = paired_overhead(rates[name], rates["bare"])
        row[f"{name}_us"] = (1 / rate - 1 / bare) * 1e6
    return row


def render(rows: list[dict[str, Any]], requests: int, rounds: int) -> str:
    lines = [
        "# FastAPI request logging: requests per second with and without `RequestLoggingMiddleware`",
        "",
        "Produced by `benchmarks/bench_http_fastapi.py`: one process, identical `httpx.AsyncClient`s over",
        "`httpx.ASGITransport`, one request at a time, `POST /orders` with a JSON body of 1 KB that the",
        "endpoint parses (same keys on every request, new ids, SKUs and sender each time, as in",
        "`bench_http_flask.py`). Rates are requests per CPU-second of the process (`time.process_time`), so other",
        f"jobs on the shared machine do not skew them. Each of {rounds} rounds runs every app for {requests} requests,",
        "in a shuffled order; rates are each app's best round, *overhead* the median over rounds of its overhead",
        "against the bare app in the same round (*added CPU per request* compares the best rounds). The logged",
        "apps write both records through a stdlib handler",
        "and formatter to `/dev/null`. Target: overhead <= 15 % on a 1 KB JSON body.",
        "",
        "| body | without (req/CPU-s) | with (req/CPU-s) | overhead | added CPU per request "
        "| with `log_body=False` (req/CPU-s) | overhead |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['label']} | {r['bare']:,.0f} | {r['logged']:,.0f} | {r['logged_overhead']:.1f} % "
        f"| {r['logged_us']:.0f} µs | {r['headers_only']:,.0f} | {r['headers_only_overhead']:.1f} % |"
        for r in rows
        if r["transport"] == "asgi"
    ]
    socket_rows = [r for r in rows if r["transport"] == "socket"]
    if socket_rows:
        lines += [
            "",
            "The same over a real socket: each app behind uvicorn (h11, access log off) on 127.0.0.1 in a thread,",
            "driven by one keep-alive `httpx.Client` (half as many requests per round), which is closer to what",
            "a deployment pays per request (CPU of server and client threads together):",
            "",
            "| body | without (req/CPU-s) | with (req/CPU-s) | overhead | added CPU per request "
            "| with `log_body=False` (req/CPU-s) | overhead |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {r['label']} | {r['bare']:,.0f} | {r['logged']:,.0f} | {r['logged_overhead']:.1f} % "
            f"| {r['logged_us']:.0f} µs | {r['headers_only']:,.0f} | {r['headers_only_overhead']:.1f} % |"
            for r in socket_rows
        ]
    lines += [
        "",
        "Where the added time goes (body logged), measured separately in tight loops (the middleware's own",
        "share with a tiny body, since it does not depend on the body's content). Tight loops run with warm",
        "caches, so these parts add up to less than the in-situ figure above; they show the split, not the total:",
        "",
        "| body | core (`RequestSummarizer`) | emitting the two records "
        "| the middleware itself (peek, replay, status, timing) |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['label']} | {r['core_us']:.0f} µs | {r['sink_us']:.0f} µs | {r['plumbing_us']:.1f} µs |"
        for r in rows
        if r["transport"] == "asgi"
    ]
    lines += [
        "",
        f"Environment: Python {platform.python_version()}, FastAPI {fastapi.__version__}, "
        f"Starlette {starlette.__version__}, httpx {httpx.__version__}, {platform.machine()},",
        f"{os.cpu_count()} CPUs shared with other jobs (figures are noisy: compare columns, not runs).",
        f"Recorded {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=600, help="requests per round (default 600; half over the socket)"
    )
    parser.add_argument("--rounds", type=int, default=15, help="rounds (default 15)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    parser.add_argument(
        "--transport", choices=["asgi", "socket", "both"], default="both", help="set-ups to run (default both)"
    )
    args = parser.parse_args(argv)

    rows = []
    plumbing_us = asyncio.run(plumbing_cost())
    for label, pii in (("no personal data", False), ("an e-mail and a phone number", True)):
        bodies = payloads(pii=pii, count=args.requests)
        costs = {"core_us": summary_cost(bodies), "sink_us": sink_cost(bodies[0]), "plumbing_us": plumbing_us}
        if args.transport in ("asgi", "both"):
            rates = asyncio.run(measure(bodies, args.requests, args.rounds))
            rows.append(summarize(label, rates, costs) | {"transport": "asgi"})
        if args.transport in ("socket", "both"):
            rates = measure_socket(bodies, args.requests // 2, args.rounds)
            rows.append(summarize(label, rates, costs) | {"transport": "socket"})
    report = render(rows, args.requests, args.rounds)
    print(report)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
