"""`/ws`: the push socket. Authenticate, then hand over to the stream."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from dispatch.auth.service import signed_in
from dispatch.clock import Clock
from dispatch.database import Database
from dispatch.errors import NotAuthenticated
from dispatch.live import protocol
from dispatch.live.audience import Viewer
from dispatch.live.hub import LiveHub
from dispatch.live.stream import serve
from dispatch.settings import Settings

router = APIRouter(tags=["live"])


class _Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@router.websocket("/ws")
async def live_socket(websocket: WebSocket) -> None:
    """Query `token` and `last_event_id`, or a first message {"type": "auth", "token", ...}."""
    state = websocket.app.state
    hub: LiveHub = state.live_hub
    await websocket.accept()
    try:
        token, resume = await _handshake(websocket, hub.config.handshake_seconds)
        viewer = await asyncio.to_thread(
            _authenticate, state.db, state.settings, state.clock, token
        )
    except _Refused as refused:
        await websocket.close(code=refused.code, reason=refused.reason)
        return
    except WebSocketDisconnect:
        return
    try:
        await serve(websocket, hub, viewer, resume)
    except (WebSocketDisconnect, OSError):
        return  # the client left mid-replay: nothing to clean up beyond what serve did


def _event_id(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise _Refused(protocol.CLOSE_BAD_HANDSHAKE, "last_event_id must be an integer") from exc
    if value < 0:
        raise _Refused(protocol.CLOSE_BAD_HANDSHAKE, "last_event_id must not be negative")
    return value


async def _handshake(websocket: WebSocket, timeout: float) -> tuple[str, int | None]:
    query = websocket.query_params
    token = query.get("token")
    resume = _event_id(query.get("last_event_id"))
    if token:
        return token, resume
    # No token in the URL (keeps it out of access logs): it comes in the first message.
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), timeout)
        first = json.loads(raw)
    except TimeoutError as exc:
        raise _Refused(protocol.CLOSE_UNAUTHORIZED, "no token") from exc
    except (ValueError, KeyError) as exc:
        raise _Refused(protocol.CLOSE_BAD_HANDSHAKE, "first message must be JSON") from exc
    if not isinstance(first, dict) or first.get("type") not in ("auth", "resume"):
        raise _Refused(protocol.CLOSE_BAD_HANDSHAKE, 'first message must be {"type": "auth"}')
    token = first.get("token")
    if not isinstance(token, str) or not token:
        raise _Refused(protocol.CLOSE_UNAUTHORIZED, "no token")
    return token, _event_id(first.get("last_event_id", resume))


def _authenticate(db: Database, settings: Settings, clock: Clock, token: str) -> Viewer:
    try:
        with db.session() as session:
            who = signed_in(session, token, secret=settings.secret_key, now=clock.now())
            return Viewer.of(who.user, who.login)
    except NotAuthenticated as exc:
        raise _Refused(protocol.CLOSE_UNAUTHORIZED, str(exc)) from exc
