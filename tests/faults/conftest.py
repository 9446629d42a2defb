"""Fault tests run the real thing: `dispatch` processes on free ports, real sockets."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

from websockets.asyncio.client import connect

from tests.live.conftest import Listener


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def listen_at(base_url: str, token: str, last_event_id: int | None = None) -> Listener:
    """A phone connecting to one instance's /ws; returns once the stream says it is live."""
    query = f"token={token}" + (f"&last_event_id={last_event_id}" if last_event_id else "")
    ws = await connect(base_url.replace("http://", "ws://") + f"/ws?{query}")
    replayed: list[dict[str, Any]] = []
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == "ready":
            return Listener(ws=ws, ready=message, replayed=replayed)
        assert message["type"] == "event", message
        replayed.append(message)
