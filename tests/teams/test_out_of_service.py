"""停用/启用: an admin takes a team out of service (its contract ended, the volunteers
disbanded) and puts it back; refused while orders, rules or residents still need it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dispatch.settings import Settings
from tests.builders.desk import Person, leader, operator, supervisor

JINDI = "/api/v1/teams/jindi-property"
FIRE_LANE_AT_JINDI = {
    "category": "fire_lane",
    "description": "金地花园D区8号楼前电动车堵住了消防通道",
    "address": {"compound": "jindi-garden"},
}
STRAY_DOG = {"category": "other", "description": "小区门口有一只流浪狗", "address": {}}


def _teams(person: Person, query: str = "") -> dict[str, bool]:
    """The teams listed, each with whether it is in service."""
    answer = person.get("/api/v1/teams" + query)
    assert answer.status_code == 200, answer.text
    return {team["code"]: team["active"] for team in answer.json()}


def _routed_to(person: Person) -> str | None:
    answer = person.post("/api/v1/routing/preview", json=FIRE_LANE_AT_JINDI)
    assert answer.status_code == 200, answer.text
    lead: str | None = answer.json()["lead_team"]
    return lead


def _refusal(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 409, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert (error["code"], error["field"]) == ("team_in_use", "active")
    return error


def test_a_property_company_whose_contract_ended_gets_no_more_orders_until_put_back(
    client: TestClient,
) -> None:
    admin, desk = Person(client, "admin"), operator(client)
    assert _routed_to(desk) == "jindi-property"

    taken_out = admin.patch(JINDI, {"active": False})
    assert taken_out.status_code == 200, taken_out.text
    assert taken_out.json()["active"] is False
    assert "jindi-property" not in _teams(desk)
    assert _routed_to(desk) != "jindi-property"
    stray = desk.create_order(**STRAY_DOG)["number"]
    refused = desk.act(stray, "dispatch", {"lead_team": "jindi-property"})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "lead_team"
    every_team = _teams(admin, "?include_inactive=true")
    assert every_team["jindi-property"] is False and every_team["yinpi-property"] is True

    put_back = admin.patch(JINDI, {"active": True})
    assert put_back.status_code == 200, put_back.text
    assert "jindi-property" in _teams(desk)
    assert _routed_to(desk) == "jindi-property"
    assert desk.act(stray, "dispatch", {"lead_team": "jindi-property"}).status_code == 200


def test_a_team_still_holding_open_orders_stays_in_service_and_the_refusal_names_them(
    client: TestClient,
) -> None:
    admin, desk = Person(client, "admin"), operator(client)
    numbers = [desk.create_order(**FIRE_LANE_AT_JINDI)["number"] for _ in range(6)]
    leader(client).act(numbers[0], "accept")

    error = _refusal(admin.patch(JINDI, {"active": False}))
    assert error["open_orders"] == 6
    assert error["orders"] == numbers[:5]
    assert numbers[0] in error["message"] and numbers[5] not in error["message"]
    assert (error["rules"], error["residents"]) == ([], 0)
    assert "jindi-property" in _teams(desk)
    assert _routed_to(desk) == "jindi-property"

    boss = supervisor(client)
    for number in numbers:  # the supervisor hands the compound's orders to the new company
        moved = boss.act(number, "reassign", {"team": "yinpi-property", "note": "物业合同到期"})
        assert moved.status_code == 200, moved.text
    assert admin.patch(JINDI, {"active": False}).status_code == 200


def test_a_team_a_routing_rule_names_stays_in_service_until_the_rule_is_changed(
    client: TestClient, settings: Settings
) -> None:
    admin = Person(client, "admin")
    assisting = _refusal(admin.patch("/api/v1/teams/legal-aid", {"active": False}))
    assert assisting["rules"] == ["threat-to-person", "personal-safety"]
    error = _refusal(admin.patch("/api/v1/teams/judicial-office", {"active": False}))
    assert (error["rules"], error["open_orders"]) == (["dispute"], 0)
    assert "dispute" in error["message"]

    rules = settings.config_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    # Disputes go to the community office now; the file is picked up at the next request.
    rules.write_text(
        text.replace("assign: judicial-office", "assign: community-office"), encoding="utf-8"
    )
    assert admin.patch("/api/v1/teams/judicial-office", {"active": False}).status_code == 200


def test_a_care_team_stays_in_service_while_residents_on_the_register_rely_on_it(
    client: TestClient,
) -> None:
    admin, desk = Person(client, "admin"), operator(client)
    error = _refusal(admin.patch("/api/v1/teams/red-pioneer", {"active": False}))
    assert (error["residents"], error["rules"], error["open_orders"]) == (1, [], 0)

    moved = desk.patch("/api/v1/residents/13900000003", {"care_team": "silver-eldercare"})
    assert moved.status_code == 200, moved.text
    assert admin.patch("/api/v1/teams/red-pioneer", {"active": False}).status_code == 200
    # Their weekly visits would be dispatched to a team that takes no orders.
    back = desk.patch("/api/v1/residents/13900000003", {"care_team": "red-pioneer"})
    assert back.status_code == 422
    assert back.json()["error"]["field"] == "care_team"


def test_only_an_admin_takes_teams_out_of_service(client: TestClient) -> None:
    for person in (operator(client), supervisor(client), leader(client)):
        assert person.patch(JINDI, {"active": False}).status_code == 403
        assert "jindi-property" in _teams(person)
    assert all(_teams(operator(client)).values())


def test_everyone_still_finds_the_name_of_a_team_out_of_service_for_its_old_orders(
    client: TestClient,
) -> None:
    assert Person(client, "admin").patch(JINDI, {"active": False}).status_code == 200
    for person in (operator(client), supervisor(client), leader(client)):
        assert "jindi-property" not in _teams(person)
        assert _teams(person, "?include_inactive=true")["jindi-property"] is False


def test_the_admin_log_says_who_took_the_team_out_and_who_put_it_back(
    client: TestClient,
) -> None:
    admin = Person(client, "admin")
    operator(client).create_order(**FIRE_LANE_AT_JINDI)
    _refusal(admin.patch(JINDI, {"active": False}))  # a refusal leaves no record
    for number in [o["number"] for o in admin.get("/api/v1/orders").json()["data"]]:
        supervisor(client).act(number, "cancel", {"reason": "居民来电撤回诉求"})
    admin.patch(JINDI, {"active": False})
    admin.patch(JINDI, {"active": True})

    log = admin.get("/api/v1/admin-log", params={"target": "jindi-property"}).json()
    newest_first = [(e["actor"], e["action"], e["data"]) for e in log["data"]]
    assert newest_first == [
        ("admin", "team_updated", {"active": True}),
        ("admin", "team_updated", {"active": False}),
    ]


def test_the_governance_centre_stays_in_service_while_escalation_chains_whistle_for_it(
    client: TestClient,
) -> None:
    refused = Person(client, "admin").patch("/api/v1/teams/governance-centre", {"active": False})

    error = _refusal(refused)
    assert error["escalation"] == ["standard: accept +30m", "emergency: accept +15m"]
    assert "escalation steps send orders to it" in error["message"]
    assert _teams(operator(client))["governance-centre"] is True
