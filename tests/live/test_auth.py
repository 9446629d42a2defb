"""The socket takes the API's tokens: a bad or expired one is refused with 4401, and an open
socket ends when its user is locked out, re-passworded or moved to another team."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from dispatch.clock import FrozenClock
from dispatch.live.protocol import CLOSE_RESYNC, CLOSE_UNAUTHORIZED
from dispatch.settings import Settings
from tests.conftest import BACKENDS
from tests.live.conftest import Listener, LiveDesk, listen, two_instances


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


async def _closed_with(listener: Listener, timeout: float = 5.0) -> tuple[int | None, list[str]]:
    """Read until the server closes; the close code and the types of what came before it."""
    seen: list[str] = []
    with pytest.raises(ConnectionClosed):  # heartbeats keep coming: one deadline for them all
        async with asyncio.timeout(timeout):
            while True:
                seen.append(json.loads(await listener.ws.recv())["type"])
    return listener.ws.close_code, [t for t in seen if t != "heartbeat"]


async def test_a_leader_locked_out_while_connected_is_cut_off_within_seconds(
    desk: LiveDesk,
) -> None:
    phone = await listen(desk, desk.person("leader.jindi"))
    admin = desk.person("admin").headers
    locked = desk.http.patch("/api/v1/users/leader.jindi", json={"active": False}, headers=admin)
    assert locked.status_code == 200

    code, before = await _closed_with(phone)
    assert code == CLOSE_UNAUTHORIZED  # the page goes to the login, which refuses them
    assert before == []


async def test_a_reset_password_cuts_off_the_sockets_opened_with_the_old_one(
    desk: LiveDesk,
) -> None:
    board = await listen(desk, desk.person("supervisor.zhang"))
    reset = desk.http.put(
        "/api/v1/users/supervisor.zhang/password",
        json={"new_password": "a-new-start"},
        headers=desk.person("admin").headers,
    )
    assert reset.status_code == 204
    code, _before = await _closed_with(board)
    assert code == CLOSE_UNAUTHORIZED


async def test_a_member_moved_to_another_team_reconnects_to_see_the_new_teams_orders(
    desk: LiveDesk,
) -> None:
    member = desk.person("member.jindi")
    phone = await listen(desk, member)
    assert phone.ready["team_code"] == "jindi-property"
    moved = desk.http.patch(
        "/api/v1/users/member.jindi",
        json={"team_code": "yinpi-property"},
        headers=desk.person("admin").headers,
    )
    assert moved.status_code == 200

    code, before = await _closed_with(phone)
    assert code == CLOSE_RESYNC and before == ["resync"]
    again = await listen(desk, member, last_event_id=phone.ready["last_event_id"])
    assert again.ready["team_code"] == "yinpi-property"


@pytest.mark.skipif("postgres" not in BACKENDS, reason="PostgreSQL not in HOTLINE_TEST_BACKENDS")
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_lockout_made_on_one_instance_cuts_the_socket_held_by_another(
    settings: Settings, clock: FrozenClock
) -> None:
    async with two_instances(settings, clock, recheck_seconds=0.5) as (a, b):
        phone_on_b = await listen(b, b.person("leader.jindi"))
        admin = a.person("admin").headers
        locked = a.http.patch("/api/v1/users/leader.jindi", json={"active": False}, headers=admin)
        assert locked.status_code == 200
        code, _before = await _closed_with(phone_on_b)
        assert code == CLOSE_UNAUTHORIZED


async def test_logging_out_closes_that_logins_socket(desk: LiveDesk) -> None:
    leader = desk.person("leader.jindi")
    phone = await listen(desk, leader)
    out = desk.http.post("/api/v1/auth/logout", headers=leader.headers)
    assert out.status_code == 204
    code, _before = await _closed_with(phone)
    assert code == CLOSE_UNAUTHORIZED


async def test_an_admins_sign_out_closes_the_lost_phones_socket(desk: LiveDesk) -> None:
    phone = await listen(desk, desk.person("leader.jindi"))
    admin = desk.person("admin").headers
    out = desk.http.post("/api/v1/users/leader.jindi/sign-out", headers=admin)
    assert out.status_code == 204
    code, _before = await _closed_with(phone)
    assert code == CLOSE_UNAUTHORIZED
