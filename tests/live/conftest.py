"""A real server on a real port, and real websocket clients: the push hub end to end."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.live.hub import LiveHub
from dispatch.main import create_app
from dispatch.settings import Settings
from tests.builders.desk import Person


@dataclass
class LiveDesk:
    """One running instance: its HTTP client, its websocket address and its hub."""

    http: httpx.Client
    ws_url: str
    hub: LiveHub
    clients: list[ClientConnection] = field(default_factory=list)

    def person(self, username: str) -> Person:
        return Person(self.http, username)  # type: ignore[arg-type]  # an httpx.Client too


@contextmanager
def running(app: FastAPI, send_buffer: int | None = None, **config: Any) -> Iterator[LiveDesk]:
    """Serve the app with uvicorn on a thread; `config` adjusts the hub before it starts.

    `send_buffer` caps the kernel's send buffer of every accepted socket (they inherit it
    from the listening socket), so a stalled client backs up into the hub within a few
    hundred kilobytes instead of the 4 MB Linux grants on the loopback.
    """
    hub: LiveHub = app.state.live_hub
    hub.config = replace(hub.config, **config)
    listener = socket.socket()
    if send_buffer is not None:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
    listener.bind(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name=f"uvicorn-{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            yield LiveDesk(http=http, ws_url=f"ws://127.0.0.1:{port}/ws", hub=hub)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@pytest.fixture
async def desk(settings: Settings, clock: FrozenClock, db: Database) -> AsyncIterator[LiveDesk]:
    app = create_app(settings, clock=clock, database=db)
    with running(app, heartbeat_seconds=0.5, poll_seconds=0.5, recheck_seconds=0.5) as live:
        try:
            yield live
        finally:
            await close_all(live)


async def close_all(live: LiveDesk) -> None:
    for ws in live.clients:
        await ws.close()


@asynccontextmanager
async def two_instances(
    settings: Settings, clock: FrozenClock, **config_of_b: Any
) -> AsyncIterator[tuple[LiveDesk, LiveDesk]]:
    """Instances A and B, each with its own engine, on the one database of `settings`."""
    db_a, db_b = Database(settings.database_url), Database(settings.database_url)
    app_a = create_app(settings, clock=clock, database=db_a)
    app_b = create_app(settings, clock=clock, database=db_b)
    with running(app_a) as a, running(app_b, **config_of_b) as b:
        try:
            yield a, b
        finally:
            await close_all(a)
            await close_all(b)
    db_a.dispose()
    db_b.dispose()


# --- the client side ------------------------------------------------------------------------


@dataclass
class Listener:
    """A websocket client that keeps every message it receives."""

    ws: ClientConnection
    ready: dict[str, Any]
    replayed: list[dict[str, Any]]

    async def next(self, timeout: float = 3.0) -> dict[str, Any]:
        """The next message that is not a heartbeat."""
        while True:
            message: dict[str, Any] = json.loads(await _recv(self.ws, timeout))
            if message["type"] != "heartbeat":
                return message

    async def quiet_for(self, seconds: float) -> bool:
        """True if nothing but heartbeats arrives for that long."""
        try:
            message = await self.next(seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected message {message}")

    async def events_until(self, predicate: Any, timeout: float = 3.0) -> list[dict[str, Any]]:
        """Every event received up to and including the first that satisfies predicate."""
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while True:
            message = await self.next(max(0.01, deadline - time.monotonic()))
            assert message["type"] == "event", message
            seen.append(message)
            if predicate(message):
                return seen


async def _recv(ws: ClientConnection, timeout: float) -> str:
    raw = await asyncio.wait_for(ws.recv(), timeout)
    assert isinstance(raw, str)
    return raw


async def listen(desk: LiveDesk, person: Person, **query: Any) -> Listener:
    """Connect as that person and wait until the server says the stream is live."""
    token = person.headers["Authorization"].removeprefix("Bearer ")
    params = "&".join(f"{k}={v}" for k, v in {"token": token, **query}.items())
    ws = await connect(f"{desk.ws_url}?{params}")
    desk.clients.append(ws)
    replayed: list[dict[str, Any]] = []
    while True:  # a resumed stream replays what was missed, then says it is live
        message = json.loads(await _recv(ws, 5))
        if message["type"] == "ready":
            return Listener(ws=ws, ready=message, replayed=replayed)
        assert message["type"] == "event", message
        replayed.append(message)
