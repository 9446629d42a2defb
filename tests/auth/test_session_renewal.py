"""An open page renews its token, so nobody is sent to the login mid-call; a login still ends
after a shift (`session_hours`, 12 h by default), however often it was renewed."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from tests.builders.desk import token


def _bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def _renew(client: TestClient, access_token: str) -> tuple[int, dict[str, object]]:
    answer = client.post("/api/v1/auth/refresh", headers=_bearer(access_token))
    return answer.status_code, answer.json()


def test_an_open_console_renews_its_token_and_keeps_working_past_the_first(
    client: TestClient, clock: FrozenClock
) -> None:
    first = token(client, "operator.li")
    clock.advance(timedelta(minutes=20))
    status, renewed = _renew(client, first)
    assert status == 200
    assert renewed["expires_in"] == 30 * 60
    assert renewed["user"] == client.get("/api/v1/auth/me", headers=_bearer(first)).json()

    clock.advance(timedelta(minutes=20))  # the first token has run out; the renewed one has not
    assert client.get("/api/v1/auth/me", headers=_bearer(first)).status_code == 401
    second = str(renewed["access_token"])
    assert client.get("/api/v1/orders", headers=_bearer(second)).status_code == 200


def test_a_login_ends_after_a_shift_however_often_it_was_renewed(
    client: TestClient, clock: FrozenClock
) -> None:
    current = token(client, "supervisor.zhang")
    for _ in range(11 * 4 + 3):  # every 15 minutes for 11 h 45 min
        clock.advance(timedelta(minutes=15))
        status, renewed = _renew(client, current)
        assert status == 200
        current = str(renewed["access_token"])
    assert renewed["expires_in"] == 15 * 60  # the last token ends with the shift, not after it

    clock.advance(timedelta(minutes=15))
    status, refused = _renew(client, current)
    assert status == 401
    assert "log in again" in str(refused["error"])
    assert client.get("/api/v1/auth/me", headers=_bearer(current)).status_code == 401


def test_a_token_that_ran_out_or_lost_its_password_is_not_renewed(
    client: TestClient, clock: FrozenClock
) -> None:
    leader = token(client, "leader.jindi")
    clock.advance(timedelta(minutes=31))
    assert _renew(client, leader)[0] == 401

    operator = token(client, "operator.li")
    reset = client.put(
        "/api/v1/users/operator.li/password",
        json={"new_password": "a-new-secret"},
        headers=_bearer(token(client, "admin")),
    )
    assert reset.status_code == 204
    status, refused = _renew(client, operator)
    assert status == 401 and "password changed" in str(refused["error"])
    assert client.post("/api/v1/auth/refresh").status_code == 401


def test_logging_out_ends_that_login_and_its_renewals_but_not_the_other_device(
    client: TestClient, clock: FrozenClock
) -> None:
    desk_pc = token(client, "leader.jindi")
    phone = token(client, "leader.jindi")
    clock.advance(timedelta(minutes=20))
    status, renewed = _renew(client, desk_pc)
    assert status == 200
    renewed_pc = str(renewed["access_token"])

    out = client.post("/api/v1/auth/logout", headers=_bearer(desk_pc))
    assert out.status_code == 204
    for ended in (desk_pc, renewed_pc):
        refused = client.get("/api/v1/auth/me", headers=_bearer(ended))
        assert refused.status_code == 401
        assert "logged out" in refused.json()["error"]["message"]
        assert _renew(client, ended)[0] == 401
    assert client.get("/api/v1/orders", headers=_bearer(phone)).status_code == 200
