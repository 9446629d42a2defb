"""The register of assisted residents (帮扶对象) kept by the desk: list, change, take off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.orders.models import WorkOrder
from dispatch.settings import Settings
from escalation.recurring.jobs import weekly_visits
from escalation.runtime import EscalationRuntime
from tests.builders.desk import Person, leader, operator, supervisor

GRANDMA_ZHOU = "+8613900000001"  # demo: elderly, alone, jindi, silver-eldercare visits her


def _patch(person: Person, phone: str, body: dict[str, object]) -> Any:
    return person.patch(f"/api/v1/residents/{phone}", body)


def test_operator_lists_the_register_by_community_and_finds_a_resident_by_name_or_phone(
    client: TestClient,
) -> None:
    desk = operator(client)
    everyone = desk.get("/api/v1/residents").json()
    assert everyone["count"] == 4
    assert {r["phone"] for r in everyone["data"]} >= {GRANDMA_ZHOU}
    jindi = desk.get("/api/v1/residents", params={"community": "jindi"}).json()
    assert [r["name"] for r in jindi["data"]] == ["周奶奶"]
    assert jindi["data"][0]["address"] == "金地花园B区3号楼1单元201"
    by_name = desk.get("/api/v1/residents", params={"q": "大爷"}).json()
    assert [r["name"] for r in by_name["data"]] == ["钱大爷"]
    by_digits = desk.get("/api/v1/residents", params={"q": "0000003"}).json()
    assert [r["name"] for r in by_digits["data"]] == ["孙阿姨"]
    ill = desk.get("/api/v1/residents", params={"kind": "ill"}).json()
    assert [r["name"] for r in ill["data"]] == ["何师傅"]
    # A "%" is a character to look for, not a wildcard.
    assert desk.get("/api/v1/residents", params={"q": "%"}).json()["count"] == 0


def test_operator_updates_the_care_note_and_the_next_call_shows_the_new_one(
    client: TestClient,
) -> None:
    desk = operator(client)
    changed = _patch(desk, "13900000001", {"care_note": "已配助听器，可正常通话"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["care_note"] == "已配助听器，可正常通话"
    found = desk.get("/api/v1/residents/13900000001").json()
    assert found["care_note"] == "已配助听器，可正常通话"
    assert found["care_team_code"] == "silver-eldercare"  # fields not sent stay


def test_a_resident_taken_off_the_register_is_no_longer_flagged_and_can_be_put_back(
    client: TestClient,
) -> None:
    desk = operator(client)
    flagged = desk.create_order(caller={"name": "周奶奶", "phone": "13900000001"})
    assert "assisted" in flagged["caller"]["flags"]

    off = _patch(desk, "13900000001", {"active": False})
    assert off.json()["active"] is False
    plain = desk.create_order(caller={"name": "周奶奶", "phone": "13900000001"})
    assert "assisted" not in plain["caller"]["flags"]
    on_register = desk.get("/api/v1/residents").json()
    assert GRANDMA_ZHOU not in {r["phone"] for r in on_register["data"]}
    taken_off = desk.get("/api/v1/residents", params={"active": "false"}).json()
    assert [r["phone"] for r in taken_off["data"]] == [GRANDMA_ZHOU]

    again = desk.post(
        "/api/v1/residents", json={"phone": "13900000001", "name": "周奶奶", "kind": "ill"}
    )
    assert again.status_code == 409
    assert "put them back on" in again.json()["error"]["message"]
    _patch(desk, "13900000001", {"active": True})
    back = desk.create_order(caller={"name": "周奶奶", "phone": "13900000001"})
    assert "assisted" in back["caller"]["flags"]


def test_no_weekly_visit_is_made_to_a_resident_taken_off_the_register(
    client: TestClient, db: Database, settings: Settings
) -> None:
    _patch(operator(client), "13900000002", {"active": False})  # 钱大爷 moved to his son's
    thursday_noon = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
    clock = FrozenClock(thursday_noon)
    runtime = EscalationRuntime.load(db, settings, clock)
    weekly_visits(db, clock.now(), "a", runtime.recurring)  # the first run only sets a baseline
    clock.set(thursday_noon + timedelta(days=1, hours=-2, minutes=1))  # Friday 09:01 local
    assert weekly_visits(db, clock.now(), "a", runtime.recurring) is True
    with db.session() as session:
        visits = [o for o in session.exec(select(WorkOrder)).all() if "care_visit" in o.tags]
    assert sorted(o.caller_name or "" for o in visits) == ["何师傅", "周奶奶", "孙阿姨"]
    zhou = next(o for o in visits if o.caller_name == "周奶奶")
    assert zhou.address_text == "金地花园B区3号楼1单元201"  # the team knows where to go


def test_clearing_the_care_team_stops_visits_and_unknown_names_are_refused(
    client: TestClient,
) -> None:
    desk = operator(client)
    cleared = _patch(desk, "13900000001", {"care_team": "", "community": ""})
    assert cleared.json()["care_team_code"] is None
    assert cleared.json()["community_code"] is None
    for field, body in (
        ("care_team", {"care_team": "atlantis-rescue"}),
        ("community", {"community": "atlantis"}),
    ):
        refused = _patch(desk, "13900000001", {**body, "care_note": "不应保存"})
        assert refused.status_code == 422
        error = refused.json()["error"]
        assert error["field"] == field
        assert "atlantis" in error["message"]
    unchanged = desk.get("/api/v1/residents/13900000001").json()
    assert unchanged["care_note"].startswith("耳背")  # nothing of a refused change is kept


def test_bad_changes_name_the_field_and_unknown_residents_are_404(client: TestClient) -> None:
    desk = operator(client)
    assert _patch(desk, "13800000000", {"care_note": "x"}).status_code == 404
    for body, field in (
        ({"name": ""}, "name"),
        ({"kind": "rich"}, "kind"),
        ({"phone": "13900000009"}, "phone"),  # the phone is the key: not changed here
        ({"address": "x" * 201}, "address"),
    ):
        refused = _patch(desk, "13900000001", body)
        assert refused.status_code == 422, body
        assert refused.json()["error"]["field"] == field
    bad_phone = _patch(desk, "not-a-phone", {"care_note": "x"})
    assert bad_phone.status_code == 422
    assert bad_phone.json()["error"]["field"] == "phone"


def test_team_roles_cannot_read_the_register(client: TestClient) -> None:
    assert leader(client).get("/api/v1/residents").status_code == 403
    response = _patch(leader(client), "13900000001", {"active": False})
    assert response.status_code == 403


def test_changes_to_the_register_are_in_the_admin_log_without_health_details(
    client: TestClient,
) -> None:
    desk = operator(client)
    desk.post(
        "/api/v1/residents",
        json={
            "phone": "13700002222",
            "name": "吴爷爷",
            "kind": "elderly_alone",
            "community": "anyi",
            "care_team": "silver-eldercare",
            "care_note": "糖尿病，按时提醒吃药",
            "address": "安怡家园E区1号楼",
        },
    )
    _patch(desk, "13700002222", {"care_note": "胰岛素放在冰箱", "active": False})
    log = Person(client, "admin").get("/api/v1/admin-log", params={"target": "+8613700002222"})
    entries = [(e["action"], e["actor"], e["data"]) for e in log.json()["data"]]
    assert entries == [
        ("resident_changed", "operator.li", {"care_note": "changed", "active": False}),
        (
            "resident_registered",
            "operator.li",
            {"kind": "elderly_alone", "community": "anyi", "care_team": "silver-eldercare"},
        ),
    ]
    assert "糖尿病" not in log.text and "胰岛素" not in log.text
    assert supervisor(client).get("/api/v1/residents/13700002222").json()["active"] is False
