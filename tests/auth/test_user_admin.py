"""The admin keeps the desk's users: who may log in, in which role and team, with what password.

A changed or reset password ends every session opened under the old one; a locked-out user is
refused at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dispatch.cli import app as cli
from dispatch.clock import FrozenClock
from dispatch.settings import get_settings
from tests.builders.desk import token
from tests.conftest import DEMO_PASSWORD


def _as(client: TestClient, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(client, username)}"}


def _patch(client: TestClient, admin: dict[str, str], username: str, **body: Any) -> Any:
    return client.patch(f"/api/v1/users/{username}", json=body, headers=admin)


def _login(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_admin_lists_the_users_of_one_team_with_their_phones(client: TestClient) -> None:
    listed = client.get(
        "/api/v1/users", params={"team": "jindi-property"}, headers=_as(client, "admin")
    )
    assert listed.status_code == 200
    people = {u["username"]: u for u in listed.json()}
    assert {"leader.jindi", "member.jindi"} <= set(people)
    assert all(u["team_code"] == "jindi-property" for u in people.values())
    assert people["leader.jindi"]["active"] is True
    assert people["leader.jindi"]["phone"].startswith("+86")


def test_only_an_admin_sees_or_changes_users(client: TestClient) -> None:
    supervisor = _as(client, "supervisor.zhang")
    assert client.get("/api/v1/users", headers=supervisor).status_code == 403
    assert _patch(client, supervisor, "operator.li", active=False).status_code == 403
    assert client.get("/api/v1/users").status_code == 401


def test_a_leader_who_left_is_locked_out_at_once(client: TestClient) -> None:
    leader = _as(client, "leader.jindi")
    assert client.get("/api/v1/orders", headers=leader).status_code == 200
    locked = _patch(client, _as(client, "admin"), "leader.jindi", active=False)
    assert locked.status_code == 200 and locked.json()["active"] is False
    refused = client.get("/api/v1/orders", headers=leader)
    assert refused.status_code == 401
    assert _login(client, "leader.jindi", DEMO_PASSWORD).status_code == 401
    # The live socket refuses it too: tests/live/test_auth.py, with a real websocket client.


def test_a_member_moved_to_another_team_sees_that_teams_orders(client: TestClient) -> None:
    moved = _patch(client, _as(client, "admin"), "member.jindi", team_code="yinpi-property")
    assert moved.status_code == 200 and moved.json()["team_code"] == "yinpi-property"
    me = client.get("/api/v1/auth/me", headers=_as(client, "member.jindi")).json()
    assert me["team_code"] == "yinpi-property"


def test_bad_changes_name_the_field_and_change_nothing(client: TestClient) -> None:
    admin = _as(client, "admin")
    unknown_team = _patch(client, admin, "member.jindi", team_code="no-such-team")
    assert unknown_team.status_code == 422
    assert unknown_team.json()["error"]["field"] == "team_code"
    assert "no-such-team" in unknown_team.json()["error"]["message"]
    teamless = _patch(client, admin, "operator.li", role="team_leader")
    assert teamless.status_code == 422 and teamless.json()["error"]["field"] == "team_code"
    bad_phone = _patch(client, admin, "operator.li", phone="12")
    assert bad_phone.status_code == 422 and bad_phone.json()["error"]["field"] == "phone"
    unknown_field = _patch(client, admin, "operator.li", password="x")
    assert unknown_field.status_code == 422
    missing = _patch(client, admin, "nobody", active=False)
    assert missing.status_code == 404
    people = {u["username"]: u for u in client.get("/api/v1/users", headers=admin).json()}
    assert people["member.jindi"]["team_code"] == "jindi-property"
    assert people["operator.li"]["role"] == "operator"


def test_a_desk_role_leaves_its_team_and_phones_are_stored_as_e164(client: TestClient) -> None:
    admin = _as(client, "admin")
    promoted = _patch(client, admin, "leader.jindi", role="supervisor", phone="139 0951 0000")
    assert promoted.status_code == 200
    assert promoted.json()["team_code"] is None
    assert promoted.json()["phone"] == "+8613909510000"


def test_the_last_admin_cannot_lock_the_desk_out(client: TestClient) -> None:
    admin = _as(client, "admin")
    refused = _patch(client, admin, "admin", role="supervisor")
    assert refused.status_code == 409
    assert "last active admin" in refused.json()["error"]["message"]
    assert _patch(client, admin, "admin", active=False).status_code == 409
    second = client.post(
        "/api/v1/users",
        json={
            "username": "admin.two",
            "password": "second-admin-pass",
            "display_name": "第二管理员",
            "role": "admin",
        },
        headers=admin,
    )
    assert second.status_code == 201
    assert _patch(client, admin, "admin", active=False).status_code == 200


def test_a_reset_password_ends_the_old_sessions(client: TestClient) -> None:
    operator = _as(client, "operator.li")
    reset = client.put(
        "/api/v1/users/operator.li/password",
        json={"new_password": "a-new-secret"},
        headers=_as(client, "admin"),
    )
    assert reset.status_code == 204
    stale = client.get("/api/v1/auth/me", headers=operator)
    assert stale.status_code == 401 and "password changed" in stale.json()["error"]["message"]
    assert _login(client, "operator.li", DEMO_PASSWORD).status_code == 401
    assert _login(client, "operator.li", "a-new-secret").status_code == 200


def test_an_operator_changes_her_own_password_and_keeps_working(client: TestClient) -> None:
    old = _as(client, "operator.li")
    changed = client.post(
        "/api/v1/auth/password",
        json={"current_password": DEMO_PASSWORD, "new_password": "mine-and-only-mine"},
        headers=old,
    )
    assert changed.status_code == 200
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=fresh).status_code == 200
    assert client.get("/api/v1/auth/me", headers=old).status_code == 401
    assert _login(client, "operator.li", "mine-and-only-mine").status_code == 200


def test_guessing_the_current_password_is_throttled_like_a_login(client: TestClient) -> None:
    operator = _as(client, "operator.li")
    answers = [
        client.post(
            "/api/v1/auth/password",
            json={"current_password": f"guess-{i}", "new_password": "whatever-new-1"},
            headers=operator,
        )
        for i in range(12)
    ]
    assert answers[0].status_code == 422
    assert answers[0].json()["error"]["field"] == "current_password"
    assert answers[-1].status_code == 429
    assert client.get("/api/v1/auth/me", headers=operator).status_code == 200


def test_the_cli_sets_a_password_when_the_only_admin_forgot_theirs(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            cli, ["set-password", "admin"], input="back-in-again\nback-in-again\n"
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert _login(client, "admin", "back-in-again").status_code == 200
    assert _login(client, "admin", DEMO_PASSWORD).status_code == 401
    fresh = {
        "Authorization": f"Bearer {_login(client, 'admin', 'back-in-again').json()['access_token']}"
    }
    logged = client.get("/api/v1/admin-log", headers=fresh).json()["data"][0]
    assert (logged["actor"], logged["action"], logged["target"]) == (
        "cli",
        "password_reset",
        "admin",
    )


def test_the_cli_adds_a_user_and_refuses_an_unknown_team_without_storing_anything(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        added = CliRunner().invoke(
            cli,
            ["create-user", "leader.night", "team_leader", "--team", "jindi-property"],
            input="night-shift-pass\n",
        )
        refused = CliRunner().invoke(
            cli,
            ["create-user", "leader.lost", "team_leader", "--team", "atlantis"],
            input="night-shift-pass\n",
        )
    finally:
        get_settings.cache_clear()
    assert added.exit_code == 0, added.output
    assert refused.exit_code == 1 and "atlantis" in refused.output
    assert _login(client, "leader.night", "night-shift-pass").status_code == 200
    assert _login(client, "leader.lost", "night-shift-pass").status_code == 401
    log = client.get("/api/v1/admin-log", headers=_as(client, "admin")).json()
    assert [(e["actor"], e["action"], e["target"]) for e in log["data"]] == [
        ("cli", "user_created", "leader.night")
    ]


def test_a_lost_phone_is_signed_out_everywhere_without_a_new_password(
    client: TestClient, clock: FrozenClock
) -> None:
    phone, desk_pc = _as(client, "leader.jindi"), _as(client, "leader.jindi")
    out = client.post("/api/v1/users/leader.jindi/sign-out", headers=_as(client, "admin"))
    assert out.status_code == 204
    for ended in (phone, desk_pc):
        refused = client.get("/api/v1/auth/me", headers=ended)
        assert refused.status_code == 401
        assert "signed out by an admin" in refused.json()["error"]["message"]
    clock.advance(timedelta(seconds=1))
    assert client.get("/api/v1/orders", headers=_as(client, "leader.jindi")).status_code == 200
    unknown = client.post("/api/v1/users/nobody/sign-out", headers=_as(client, "admin"))
    assert unknown.status_code == 404


def test_unlocking_a_user_does_not_bring_their_old_logins_back(
    client: TestClient, clock: FrozenClock
) -> None:
    old = _as(client, "member.jindi")
    admin = _as(client, "admin")
    assert _patch(client, admin, "member.jindi", active=False).status_code == 200
    clock.advance(timedelta(minutes=5))
    assert _patch(client, admin, "member.jindi", active=True).status_code == 200
    assert client.get("/api/v1/auth/me", headers=old).status_code == 401
    assert client.get("/api/v1/auth/me", headers=_as(client, "member.jindi")).status_code == 200
