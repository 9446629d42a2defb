"""A phone that stops reading gets a resync; the board and the other phones do not notice."""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

from sqlmodel import select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.live.protocol import CLOSE_RESYNC
from dispatch.main import create_app
from dispatch.orders import lifecycle
from dispatch.orders.actors import Actor
from dispatch.orders.models import WorkOrder
from dispatch.settings import Settings
from tests.live.conftest import close_all, listen, running
from tests.live.test_push import dispatched_for

QUEUE = 100
NOTES = 200


def long_text() -> str:
    """A 4 KB note that does not compress: a stalled client's buffers fill in a few dozen."""
    return secrets.token_hex(2000)


def tiny_window_socket(ws_url: str) -> socket.socket:
    """A socket with a 4 KB receive buffer: a phone on a bad line, on the loopback."""
    host, port = ws_url.removeprefix("ws://").split("/")[0].split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    return sock


def is_last_note(message: dict[str, Any]) -> bool:
    return bool(message["data"].get("text", "").startswith(f"{NOTES - 1} "))


async def _until_closed(ws: ClientConnection) -> AsyncIterator[str | bytes]:
    while True:
        try:
            yield await asyncio.wait_for(ws.recv(), 5)
        except ConnectionClosed:
            return


def write_notes(db: Database, clock: FrozenClock, number: str) -> float:
    """Progress notes through the state machine, one transaction each, as fast as it goes."""
    actor = Actor.system("field-app")
    for i in range(NOTES):
        with db.session(write=True) as session:
            order = session.exec(select(WorkOrder).where(WorkOrder.number == number)).one()
            lifecycle.add_note(session, order, actor, clock.now(), f"{i} {long_text()}")
        time.sleep(0.002)
    return time.monotonic()


async def test_slow_client_gets_resync_and_others_are_unaffected(
    settings: Settings, clock: FrozenClock, db: Database
) -> None:
    app = create_app(settings, clock=clock, database=db)
    with running(app, send_buffer=32_768, queue_size=QUEUE, heartbeat_seconds=60) as desk:
        try:
            leader = desk.person("leader.jindi")
            fast = [await listen(desk, desk.person("supervisor.zhang")), await listen(desk, leader)]
            token = leader.headers["Authorization"].removeprefix("Bearer ")
            # The slow phone: reads nothing, and its client library buffers one message at most.
            slow = await connect(
                f"{desk.ws_url}?token={token}",
                max_queue=1,
                compression=None,
                sock=tiny_window_socket(desk.ws_url),
            )
            desk.clients.append(slow)
            assert json.loads(await slow.recv())["type"] == "ready"
            number = desk.person("operator.li").create_order()["number"]
            before = [await c.events_until(dispatched_for(number)) for c in fast]

            writing = asyncio.create_task(asyncio.to_thread(write_notes, db, clock, number))
            during = await asyncio.gather(*(c.events_until(is_last_note, timeout=20) for c in fast))
            fast_done = time.monotonic()
            written = await writing

            # The others got every note, in order, in step with the writer: no resync for them.
            for got in during:
                ids = [m["id"] for m in got]
                assert len(ids) == NOTES and ids == sorted(ids)
            assert fast_done - written < 1.0
            # The stalled phone: what fitted in its buffers, then a resync, then the door.
            stalled = [json.loads(raw) async for raw in _until_closed(slow)]
            assert stalled[-1] == {"type": "resync", "reason": "queue_overflow"}
            assert slow.close_code == CLOSE_RESYNC
            assert 0 < len(stalled) - 1 < NOTES
            # It reconnects with its last id and catches up from the log, once each, in order.
            last_id = stalled[-2]["id"]
            back = await listen(desk, leader, last_event_id=last_id)
            leader_saw = [m["id"] for m in before[1] + during[1]]
            slow_saw = [m["id"] for m in stalled[:-1] + back.replayed]
            assert slow_saw == leader_saw
            assert await back.quiet_for(0.2)
        finally:
            await close_all(desk)
