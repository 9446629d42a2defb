"""The socket takes the API's tokens: a bad or expired one is refused with 4401."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from dispatch.clock import FrozenClock
from dispatch.live.protocol import CLOSE_UNAUTHORIZED
from tests.live.conftest import LiveDesk


async def refused_code(url: str, first_message: str | None = None) -> int | None:
    async with connect(url) as ws:
        if first_message is not None:
            await ws.send(first_message)
        with pytest.raises(ConnectionClosed):
            await ws.recv()
        return ws.close_code


async def test_bad_token_is_refused(desk: LiveDesk, clock: FrozenClock) -> None:
    assert await refused_code(f"{desk.ws_url}?token=not-a-token") == CLOSE_UNAUTHORIZED
    auth = json.dumps({"type": "auth", "token": "forged.jwt.value"})
    assert await refused_code(desk.ws_url, auth) == CLOSE_UNAUTHORIZED

    token = desk.person("leader.jindi").headers["Authorization"].removeprefix("Bearer ")
    clock.advance(timedelta(hours=2))  # the token has expired by the app's clock
    assert await refused_code(f"{desk.ws_url}?token={token}") == CLOSE_UNAUTHORIZED


async def test_token_in_the_first_message_keeps_it_out_of_the_url(desk: LiveDesk) -> None:
    token = desk.person("leader.jindi").headers["Authorization"].removeprefix("Bearer ")
    async with connect(desk.ws_url) as ws:
        await ws.send(json.dumps({"type": "resume", "token": token, "last_event_id": 0}))
        ready = json.loads(await ws.recv())
        assert ready["type"] == "ready"
        assert ready["role"] == "team_leader"
        assert ready["team_code"] == "jindi-property"
        heartbeat = json.loads(await ws.recv())
        assert heartbeat["type"] == "heartbeat"


async def test_a_reset_password_or_a_lockout_closes_the_socket_to_old_tokens(
    desk: LiveDesk,
) -> None:
    admin = desk.person("admin").headers
    leader = desk.person("leader.jindi").headers["Authorization"].removeprefix("Bearer ")
    reset = desk.http.put(
        "/api/v1/users/leader.jindi/password", json={"new_password": "fresh-start"}, headers=admin
    )
    assert reset.status_code == 204
    assert await refused_code(f"{desk.ws_url}?token={leader}") == CLOSE_UNAUTHORIZED

    member = desk.person("member.jindi").headers["Authorization"].removeprefix("Bearer ")
    locked = desk.http.patch("/api/v1/users/member.jindi", json={"active": False}, headers=admin)
    assert locked.status_code == 200
    assert await refused_code(f"{desk.ws_url}?token={member}") == CLOSE_UNAUTHORIZED
