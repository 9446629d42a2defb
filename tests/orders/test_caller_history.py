"""来电历史: the operator sees what a caller called about before, whatever way the number was
written; a team, which sees callers masked, cannot look a caller up by number."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import leader, operator, supervisor


def test_the_desk_finds_a_callers_earlier_orders_however_the_number_is_written(
    client: TestClient,
) -> None:
    desk = operator(client)
    first = desk.create_order()["number"]
    other = desk.create_order(caller={"name": "王先生", "phone": "13900001111"})["number"]
    second = desk.create_order(description="消防通道又被堵了")["number"]

    for written in ("13812345678", "+86 138 1234 5678", "138-1234-5678"):
        page = desk.get("/api/v1/orders", params={"caller_phone": written}).json()
        assert [o["number"] for o in page["data"]] == [second, first], written
        assert page["count"] == 2
    boss = supervisor(client).get("/api/v1/orders", params={"caller_phone": "13900001111"})
    assert [o["number"] for o in boss.json()["data"]] == [other]


def test_a_number_that_is_no_phone_is_refused_by_name_and_a_team_cannot_look_callers_up(
    client: TestClient,
) -> None:
    operator(client).create_order()

    wrong = operator(client).get("/api/v1/orders", params={"caller_phone": "12"})
    team = leader(client).get("/api/v1/orders", params={"caller_phone": "13812345678"})

    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "caller_phone"
    assert team.status_code == 403 and team.json()["error"]["field"] == "caller_phone"
