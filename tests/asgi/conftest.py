"""Fixtures for the ASGI request-logger tests: secrets, log capture, apps, a real uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated, Any

import pytest
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Request, WebSocket
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.background import BackgroundTask
from starlette.responses import JSONResponse

from redactlog import Redactor
from redactlog.asgi import RequestLoggingMiddleware
from tests.webhook_support import (
    CHECK,
    END,
    STANDARD_RECORD_FIELDS,
    START,
    Entry,
    Secrets,
    attached,
    digest,
    make_secrets,
)


@pytest.fixture(name="pii")
def fixture_pii() -> Secrets:
    return make_secrets()


@pytest.fixture(name="anyio_backend")
def fixture_anyio_backend() -> str:
    # The peek's time bound is asyncio-based; trio is covered by a documented skip path.
    return "asyncio"


# --------------------------------------------------------------------------- capture


def _record_fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = {k: v for k, v in record.__dict__.items() if k not in STANDARD_RECORD_FIELDS}
    if isinstance(record.args, dict):
        fields.update(record.args)
    for nested in ("fields", "extra", "event_dict"):
        value = fields.get(nested)
        if isinstance(value, dict):
            fields.update(value)
    return fields


class Timeline(logging.Handler):
    """Request-log records and the app's own markers, in the order they happened."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.entries: list[Entry] = []
        self._lock_entries = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        fields = _record_fields(record)
        # Request records are told apart by their event name, wherever the sink put it.
        event = next((name for name in (START, END) if fields.get("event") == name or name in message), message)
        text = repr(record.__dict__) + message
        with self._lock_entries:
            self.entries.append(Entry(event, fields, text))

    def mark(self, event: str, **fields: Any) -> None:
        with self._lock_entries:
            self.entries.append(Entry(event, fields, repr(fields)))

    def events(self) -> list[str]:
        return [entry.event for entry in self.entries]

    def first(self, event: str) -> Entry:
        return next(entry for entry in self.entries if entry.event == event)

    def all_text(self) -> str:
        return "\n".join(entry.text for entry in self.entries)

    def wait_for(self, event: str, count: int = 1, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.events().count(event) < count:
            if time.monotonic() > deadline:
                msg = f"{event} x{count} not logged; got {self.events()}"
                raise AssertionError(msg)
            time.sleep(0.01)


@pytest.fixture(name="timeline")
def fixture_timeline(request: pytest.FixtureRequest) -> Iterator[Timeline]:
    handler = Timeline()
    with attached(handler, f"redactlog.tests.asgi.{request.node.name}"):
        yield handler


@pytest.fixture(name="log")
def fixture_log(timeline: Timeline, request: pytest.FixtureRequest) -> logging.Logger:
    """The stdlib logger the middleware under test writes to (captured by ``timeline``)."""
    return logging.getLogger(f"redactlog.tests.asgi.{request.node.name}")


@pytest.fixture(scope="session", name="redactor")
def fixture_redactor() -> Redactor:
    return Redactor()


# --------------------------------------------------------------------------- apps


class Item(BaseModel):
    name: str
    quantity: int


def build_app(  # noqa: PLR0915 - one route per scenario
    timeline: Timeline,
    log: logging.Logger,
    redactor: Redactor,
    webhook_key: str,
    *,
    max_body_size: int | None = None,
    **options: Any,
) -> FastAPI:
    """A FastAPI app with one route per scenario, logged by the middleware under test."""
    key = webhook_key.encode()
    lifespan_ran: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        lifespan_ran.append("startup")
        yield
        lifespan_ran.append("shutdown")

    app = FastAPI(lifespan=lifespan, max_body_size=max_body_size)
    app.state.lifespan_ran = lifespan_ran

    async def verify_github(request: Request) -> bytes:
        body = await request.body()
        timeline.mark(CHECK, route="github")
        sent = request.headers.get("x-hub-signature-256", "")
        expected = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
        if not hmac.comparedigest(sent, expected):
            raise HTTPException(status_code=401, detail="invalid signature")
        return body

    @app.post("/hook")
    async def hook(body: Annotated[bytes, Depends(verify_github)]) -> dict[str, object]:
        return digest(body)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, object]:
        timeline.mark(CHECK, route="echo")
        return digest(await request.body())

    @app.post("/stream")
    async def stream(request: Request) -> dict[str, object]:
        timeline.mark(CHECK, route="stream")
        digest = hashlib.sha256()
        mac = hmac.new(key, b"", hashlib.sha256)
        chunks = length = 0
        async for chunk in request.stream():
            if chunk:
                chunks += 1
                length += len(chunk)
                digest.update(chunk)
                mac.update(chunk)
        return {"sha256": digest.hexdigest(), "length": length, "chunks": chunks, "hmac": mac.hexdigest()}

    @app.post("/first-chunk")
    async def first_chunk(request: Request) -> dict[str, object]:
        # Answers after the first body chunk while the client still sends (interleaved I/O).
        async for chunk in request.stream():
            return digest(chunk)
        return digest(b"")

    @app.post("/items")
    async def create_item(item: Item) -> dict[str, object]:
        return {"name": item.name}

    @app.get("/items")
    async def list_items() -> list[str]:
        return []

    @app.post("/form")
    async def form(request: Request) -> dict[str, object]:
        fields: dict[str, object] = {}
        async with request.form() as data:  # closes uploaded files' spooled temporaries
            for name, value in data.multi_items():
                if isinstance(value, str):
                    fields[name] = value
                else:
                    fields[name] = {"filename": value.filename, **digest(await value.read())}
        return fields

    @app.get("/boom")
    async def boom(request: Request) -> None:
        msg = f"failed for {request.query_params.get('email')}"
        raise ValueError(msg)

    @app.get("/stream-out")
    async def stream_out() -> StreamingResponse:
        async def numbers() -> AsyncIterator[bytes]:
            for i in range(20):
                await asyncio.sleep(0.005)
                yield f"{i}\n".encode()

        return StreamingResponse(numbers(), media_type="text/plain")

    @app.get("/bg")
    async def background() -> JSONResponse:
        async def slow() -> None:
            await asyncio.sleep(1.5)
            timeline.mark("app.background_done")

        return JSONResponse({"ok": True}, background=BackgroundTask(slow))

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        text = await websocket.receive_text()
        await websocket.send_text(text[::-1])
        await websocket.close()

    app.add_middleware(RequestLoggingMiddleware, redactor=redactor, logger=log, **options)
    return app


AppFactory = Callable[..., FastAPI]


@pytest.fixture(name="make_app")
def fixture_make_app(timeline: Timeline, log: logging.Logger, redactor: Redactor, pii: Secrets) -> AppFactory:
    def make(**options: Any) -> FastAPI:
        return build_app(timeline, log, redactor, pii.webhook_key, **options)

    return make


# --------------------------------------------------------------------------- uvicorn


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a thread, for tests over a real socket."""

    def __init__(self, app: Any, **config: Any) -> None:
        options: dict[str, Any] = {"log_level": "warning", "lifespan": "on", "ws": "none"} | config
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, **options))
        self.thread = threading.Thread(target=self.server.run, name="uvicorn-test", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                msg = "uvicorn did not start"
                raise RuntimeError(msg)
            time.sleep(0.01)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        if self.thread.is_alive():
            # A wedged worker ignores should_exit (e.g. a replay-forever bug): force it.
            self.server.force_exit = True
            self.thread.join(timeout=5)
        if self.thread.is_alive():
            msg = "uvicorn did not stop: its event loop is wedged (a replay-forever receive spins it)"
            raise RuntimeError(msg)

    @property
    def port(self) -> int:
        sockets = self.server.servers[0].sockets
        return int(sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(name="live_server")
def fixture_live_server() -> Callable[..., LiveServer]:
    return LiveServer
