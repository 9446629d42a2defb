"""An operator takes a call and the order routes itself."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import FIRE_LANE, leader, operator, supervisor


def test_operator_creates_fire_lane_order_and_it_is_dispatched_to_jindi_property(
    client: TestClient,
) -> None:
    order = operator(client).create_order()
    assert order["number"] == "WO-20261122-0001"
    assert order["status"] == "dispatched"
    assert order["routing"]["lead_team"] == "jindi-property"
    assert order["routing"]["rule_name"]
    assert any("消防通道" in m or "fire_lane" in m for m in order["routing"]["matched"])
    assert order["caller"]["phone"] == "+8613812345678"
    assert order["address"]["community"] == "jindi"


def test_order_numbers_count_up_within_the_day(client: TestClient) -> None:
    desk = operator(client)
    first = desk.create_order()
    second = desk.create_order(description="又有电动车堵消防通道")
    assert first["number"].endswith("-0001")
    assert second["number"].endswith("-0002")


def test_second_call_about_same_compound_suggests_a_merge(client: TestClient) -> None:
    desk = operator(client)
    first = desk.create_order()
    second = desk.create_order(caller={"name": "刘先生", "phone": "13912345678"})
    suggested = [s["number"] for s in second["merge_suggestions"]]
    assert suggested == [first["number"]]
    assert second["merge_suggestions"][0]["same_building"] is True


def test_request_no_rule_knows_goes_to_triage(client: TestClient) -> None:
    order = operator(client).create_order(
        category="other", description="想咨询一下社区活动时间", address={}
    )
    assert order["status"] == "triage"
    assert order["routing"]["to_triage"] is True
    assert order["assignments"] == []


def test_assisted_resident_call_carries_the_flag(client: TestClient) -> None:
    order = operator(client).create_order(
        caller={"name": "周奶奶", "phone": "139 0000 0001"},
        address={"compound": "jindi-garden"},
        category="roof_leak",
        description="家里屋顶漏水",
    )
    assert "assisted" in order["caller"]["flags"]
    assert order["priority"] in ("P1", "P2")


def test_anonymous_caller_is_accepted_without_phone(client: TestClient) -> None:
    order = operator(client).create_order(caller={"anonymous": True})
    assert order["caller"]["anonymous"] is True
    assert order["caller"]["phone"] is None


def test_routing_preview_says_where_an_order_would_go_without_creating_it(
    client: TestClient,
) -> None:
    desk = operator(client)
    preview = desk.post("/api/v1/routing/preview", json=FIRE_LANE)
    assert preview.status_code == 200, preview.text
    assert preview.json()["lead_team"] == "jindi-property"
    listed = supervisor(client).get("/api/v1/orders").json()
    assert listed["count"] == 0


def test_joint_dispatch_of_blocked_drain_gives_lead_and_assisting_team(
    client: TestClient,
) -> None:
    order = operator(client).create_order(
        address={"compound": "jindong-haoting"},
        category="drain_blocked",
        description="金东豪庭小区下水道堵塞，污水外溢",
    )
    roles = {a["team_code"]: a["role"] for a in order["assignments"]}
    assert roles.get("water-company") == "lead"
    assert roles.get("jindong-property") == "assist"
    # Both teams see it; each tracks its own part.
    assert leader(client, "water").get(f"/api/v1/orders/{order['number']}").status_code == 200
    assert leader(client, "jindong").get(f"/api/v1/orders/{order['number']}").status_code == 200
