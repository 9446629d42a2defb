"""Serve one authenticated socket: replay what it missed, then live events, then heartbeats.

No gap: the connection is registered (live events queue up) before the replay reads the
log up to the hub's cursor. No duplicate: queued events the replay already sent are skipped.
"""

from __future__ import annotations

import asyncio

from starlette.websockets import WebSocket

from dispatch.live import protocol
from dispatch.live.audience import Viewer
from dispatch.live.connection import Connection, cancel_and_wait
from dispatch.live.hub import LiveHub


async def serve(websocket: WebSocket, hub: LiveHub, viewer: Viewer, resume: int | None) -> None:
    connection = Connection(
        viewer, queue_size=hub.config.queue_size, stall_seconds=hub.config.stall_seconds
    )
    upto = hub.register(connection)
    pump: asyncio.Task[None] | None = None
    listen: asyncio.Task[None] | None = None
    try:
        last = upto
        if resume is not None:
            connection.floor = resume
            await _replay(websocket, hub, connection, resume, upto)
            last = max(upto, resume)
        await websocket.send_text(protocol.ready(last, viewer.role.value, viewer.team_code))
        pump = asyncio.create_task(connection.pump(websocket.send_text), name="live-pump")
        connection.pump_task = pump
        listen = asyncio.create_task(_until_disconnect(websocket), name="live-listen")
        done, _pending = await asyncio.wait({pump, listen}, return_when=asyncio.FIRST_COMPLETED)
        if pump in done and not pump.cancelled() and pump.exception() is None:
            await _close(websocket, connection.ending.code, connection.ending.reason)
    finally:
        hub.unregister(connection)
        for task in (pump, listen):
            if task is not None:
                await cancel_and_wait(task)


async def _replay(
    websocket: WebSocket, hub: LiveHub, connection: Connection, after: int, upto: int
) -> None:
    viewer = connection.viewer
    while after < upto:
        page = await asyncio.to_thread(hub.replay_page, after, upto)
        if not page:
            return
        for message in page:
            if viewer.sees(message):
                await websocket.send_text(protocol.event(message, for_team=viewer.is_team))
                connection.replayed.add(message.id)
        after = page[-1].id


async def _until_disconnect(websocket: WebSocket) -> None:
    """Read (and ignore) client frames; return when the client goes away."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    try:
        await websocket.close(code=code, reason=reason)
    except Exception:  # already gone
        return
