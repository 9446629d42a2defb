"""An admin sets up a new team and the routing follows without a restart."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import Person, operator
from tests.builders.teams import XIYUAN_PROPERTY


def test_admin_creates_a_property_team_and_orders_for_its_compound_go_there(
    client: TestClient,
) -> None:
    admin = Person(client, "admin")
    created = admin.post("/api/v1/teams", json=XIYUAN_PROPERTY)
    assert created.status_code == 201, created.text
    order = operator(client).create_order(
        address={"compound": "xiyuan-dorms"}, description="楼下电动车堵了消防通道"
    )
    assert order["routing"]["lead_team"] == "xiyuan-property"


def test_coverage_naming_an_unknown_compound_is_refused(client: TestClient) -> None:
    response = Person(client, "admin").client.put(
        "/api/v1/teams/jindi-property/coverage",
        json={"compounds": ["atlantis"]},
        headers=Person(client, "admin").headers,
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "compounds[0]"


def test_duty_rota_names_who_leads_now(client: TestClient) -> None:
    teams = {t["code"]: t for t in operator(client).get("/api/v1/teams").json()}
    # 10:30 in Yinchuan: the day shift.
    assert teams["jindi-property"]["on_duty"] == "马建国"


def test_operators_cannot_create_teams(client: TestClient) -> None:
    response = operator(client).post(
        "/api/v1/teams", json={"code": "x-team", "name": "x", "kind": "grid"}
    )
    assert response.status_code == 403


def test_operator_registers_an_assisted_resident_and_her_calls_carry_the_flag(
    client: TestClient,
) -> None:
    desk = operator(client)
    registered = desk.post(
        "/api/v1/residents",
        json={
            "phone": "13700001111",
            "name": "冯奶奶",
            "kind": "elderly_alone",
            "community": "anyi",
            "care_note": "耳背，请靠近说话",
        },
    )
    assert registered.status_code == 201, registered.text
    order = desk.create_order(caller={"phone": "13700001111"})
    assert "assisted" in order["caller"]["flags"]
    found = desk.get("/api/v1/residents/13700001111").json()
    assert found["care_note"] == "耳背，请靠近说话"
