"""The admin keeps each team's 24-hour duty rota: who leads now is who the pushes and SMS
reach, so a wrong shift must be fixable and a rota must never name two people at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from tests.builders.desk import Person, operator

JINDI = "/api/v1/teams/jindi-property"


def _jindi(client: TestClient) -> dict[str, Any]:
    teams = {t["code"]: t for t in operator(client).get("/api/v1/teams").json()}
    return dict(teams["jindi-property"])


def _put_rota(client: TestClient, *shifts: tuple[str, str, str]) -> Any:
    body = {"shifts": [{"username": u, "starts": a, "ends": b} for u, a, b in shifts]}
    return Person(client, "admin").client.put(
        f"{JINDI}/rota", json=body, headers=Person(client, "admin").headers
    )


def test_admin_swaps_day_and_night_and_the_rota_names_who_leads(
    client: TestClient, clock: FrozenClock
) -> None:
    swapped = _put_rota(
        client, ("leader.jindi", "20:00", "08:00"), ("member.jindi", "08:00", "20:00")
    )
    assert swapped.status_code == 200, swapped.text
    rota = [(s["username"], s["starts"], s["ends"]) for s in swapped.json()["rota"]]
    assert rota == [
        ("member.jindi", "08:00", "20:00"),
        ("leader.jindi", "20:00", "08:00"),
    ]
    assert _jindi(client)["on_duty"] == "杨晓东"  # 10:30 in Yinchuan: now the member's day
    clock.advance(timedelta(hours=11))
    assert _jindi(client)["on_duty"] == "马建国"  # 21:30: the leader's night


def test_a_rota_that_overlaps_or_names_an_outsider_is_refused_and_the_old_one_stays(
    client: TestClient,
) -> None:
    before = _jindi(client)["rota"]
    overlap = _put_rota(
        client, ("leader.jindi", "08:00", "20:00"), ("member.jindi", "19:00", "09:00")
    )
    assert overlap.status_code == 422
    assert overlap.json()["error"]["field"] == "shifts[1].starts"
    assert "overlaps leader.jindi's shift 08:00-20:00" in overlap.json()["error"]["message"]

    outsider = _put_rota(client, ("leader.yinpi", "08:00", "20:00"))
    assert outsider.status_code == 422
    assert outsider.json()["error"]["field"] == "shifts[0].username"
    empty_shift = _put_rota(client, ("leader.jindi", "08:00", "08:00"))
    assert empty_shift.json()["error"]["field"] == "shifts[0].ends"
    assert _jindi(client)["rota"] == before


def test_one_more_shift_must_not_overlap_the_rota(client: TestClient) -> None:
    admin = Person(client, "admin")
    added = admin.post(
        f"{JINDI}/rota", json={"username": "member.jindi", "starts": "12:00", "ends": "13:00"}
    )
    assert added.status_code == 422 and added.json()["error"]["field"] == "starts"


def test_admin_removes_a_wrong_shift_and_the_leader_of_record_covers_it(
    client: TestClient, clock: FrozenClock
) -> None:
    admin = Person(client, "admin")
    night = next(s for s in _jindi(client)["rota"] if s["username"] == "member.jindi")
    removed = admin.client.delete(f"{JINDI}/rota/{night['id']}", headers=admin.headers)
    assert removed.status_code == 204
    again = admin.client.delete(f"{JINDI}/rota/{night['id']}", headers=admin.headers)
    assert again.status_code == 404
    day = next(s for s in _jindi(client)["rota"] if s["username"] == "leader.jindi")
    elsewhere = admin.client.delete(
        f"/api/v1/teams/yinpi-property/rota/{day['id']}", headers=admin.headers
    )
    assert elsewhere.status_code == 404  # a shift is removed through its own team only
    clock.advance(timedelta(hours=11))
    assert _jindi(client)["on_duty"] == "马建国"


def test_a_night_member_moved_to_another_team_no_longer_leads_the_old_one(
    client: TestClient, clock: FrozenClock
) -> None:
    clock.advance(timedelta(hours=11))  # 21:30: the demo rota's night shift, 杨晓东
    assert _jindi(client)["on_duty"] == "杨晓东"
    moved = Person(client, "admin").client.patch(
        "/api/v1/users/member.jindi",
        json={"team_code": "yinpi-property"},
        headers=Person(client, "admin").headers,
    )
    assert moved.status_code == 200
    assert _jindi(client)["on_duty"] == "马建国"  # the leader of record, not the one who left


def test_admin_renames_a_team_and_gives_it_a_new_phone(client: TestClient) -> None:
    admin = Person(client, "admin")
    renamed = admin.client.patch(
        JINDI, json={"name": "金地物业服务中心", "phone": "0951-5012399"}, headers=admin.headers
    )
    assert renamed.status_code == 200
    assert _jindi(client)["name"] == "金地物业服务中心"
    assert _jindi(client)["phone"] == "0951-5012399"
    refused = admin.client.patch(JINDI, json={"kind": "police"}, headers=admin.headers)
    assert refused.status_code == 422
