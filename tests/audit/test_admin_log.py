"""操作记录: every change an admin makes to users, teams, rotas or rules is in the admin log,
with who and when, in the same transaction as the change; a refused change leaves none."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dispatch.database import Database
from tests.builders.desk import token
from tests.conftest import DEMO_PASSWORD

NEW_PASSWORD = "Secret-in-no-log-1"


def _as(client: TestClient, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(client, username)}"}


def _log(client: TestClient, admin: dict[str, str], **params: Any) -> dict[str, Any]:
    answer = client.get("/api/v1/admin-log", params=params, headers=admin)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_the_admin_log_says_who_locked_out_reset_and_rearranged_and_when(
    client: TestClient,
) -> None:
    admin = _as(client, "admin")
    client.patch("/api/v1/users/leader.jindi", json={"active": False}, headers=admin)
    client.put(
        "/api/v1/users/operator.li/password", json={"new_password": NEW_PASSWORD}, headers=admin
    )
    client.put(
        "/api/v1/teams/jindi-property/rota",
        json={"shifts": [{"username": "member.jindi", "starts": "08:00", "ends": "20:00"}]},
        headers=admin,
    )
    client.post("/api/v1/routing/reload", headers=admin)

    log = _log(client, admin)
    assert log["count"] == 4
    newest_first = [(e["action"], e["target"]) for e in log["data"]]
    assert newest_first == [
        ("rules_reloaded", "rules.yaml"),
        ("rota_replaced", "jindi-property"),
        ("password_reset", "operator.li"),
        ("user_updated", "leader.jindi"),
    ]
    assert {e["actor"] for e in log["data"]} == {"admin"}
    locked = log["data"][3]
    assert locked["data"] == {"active": False, "team_code": "jindi-property"}
    assert locked["at"].startswith("2026-")
    assert log["data"][1]["data"]["shifts"][0]["username"] == "member.jindi"
    assert NEW_PASSWORD not in str(log) and log["data"][2]["data"] == {}


def test_a_user_changing_their_own_password_is_logged_as_themself(client: TestClient) -> None:
    changed = client.post(
        "/api/v1/auth/password",
        json={"current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD},
        headers=_as(client, "operator.li"),
    )
    assert changed.status_code == 200
    entry = _log(client, _as(client, "admin"))["data"][0]
    assert (entry["actor"], entry["action"], entry["target"]) == (
        "operator.li",
        "password_changed",
        "operator.li",
    )


def test_a_refused_change_leaves_no_record(client: TestClient) -> None:
    admin = _as(client, "admin")
    refused = client.patch(
        "/api/v1/users/member.jindi", json={"team_code": "no-such-team"}, headers=admin
    )
    assert refused.status_code == 422
    overlapping = client.put(
        "/api/v1/teams/jindi-property/rota",
        json={
            "shifts": [
                {"username": "leader.jindi", "starts": "08:00", "ends": "20:00"},
                {"username": "member.jindi", "starts": "19:00", "ends": "09:00"},
            ]
        },
        headers=admin,
    )
    assert overlapping.status_code == 422
    assert _log(client, admin)["count"] == 0


def test_the_log_is_filtered_by_target_and_action_and_kept_from_non_admins(
    client: TestClient,
) -> None:
    admin = _as(client, "admin")
    client.patch("/api/v1/users/leader.jindi", json={"phone": "139 0951 0000"}, headers=admin)
    client.patch("/api/v1/teams/jindi-property", json={"phone": "0951-5012399"}, headers=admin)
    by_user = _log(client, admin, target="leader.jindi")
    assert [e["data"]["phone"] for e in by_user["data"]] == ["+8613909510000"]
    by_action = _log(client, admin, action="team_updated")
    assert [e["target"] for e in by_action["data"]] == ["jindi-property"]
    assert (
        client.get("/api/v1/admin-log", headers=_as(client, "supervisor.zhang")).status_code == 403
    )
    bad = client.get("/api/v1/admin-log", params={"action": "wiped"}, headers=admin)
    assert bad.status_code == 422


def test_the_database_refuses_to_rewrite_the_admin_log(client: TestClient, db: Database) -> None:
    admin = _as(client, "admin")
    client.patch("/api/v1/users/leader.jindi", json={"active": False}, headers=admin)
    for statement in ("UPDATE admin_action SET actor = 'nobody'", "DELETE FROM admin_action"):
        with pytest.raises(DBAPIError, match="append-only"), db.session(write=True) as session:
            session.execute(text(statement))
    assert _log(client, admin)["data"][0]["actor"] == "admin"
