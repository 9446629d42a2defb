"""Callers' phone numbers never reach a team in full: not in the order, the timeline or a push."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.builders.desk import leader, operator, supervisor

CALLER = "13812345678"
MASKED = "138****5678"


def test_the_team_sees_the_callers_phone_masked_in_the_order_and_its_list(
    client: TestClient,
) -> None:
    number = operator(client).create_order(caller={"name": "陈女士", "phone": CALLER})["number"]
    team = leader(client)
    assert team.get(f"/api/v1/orders/{number}").json()["caller"]["phone"] == MASKED
    listed = team.get("/api/v1/orders").json()["data"]
    assert [o["caller"]["phone"] for o in listed] == [MASKED]
    assert supervisor(client).get(f"/api/v1/orders/{number}").json()["caller"]["phone"] == (
        "+86" + CALLER
    )


def test_a_phone_number_written_in_a_note_is_masked_in_the_teams_timeline(
    client: TestClient,
) -> None:
    desk = operator(client)
    number = desk.create_order()["number"]
    desk.act(number, "notes", {"text": f"居民说可以打{CALLER}或0951-1234567回电"})
    team_note = leader(client).get(f"/api/v1/orders/{number}/timeline").json()["data"][-1]
    assert team_note["data"]["text"] == f"居民说可以打{MASKED}或0951-********回电"
    desk_note = desk.get(f"/api/v1/orders/{number}/timeline").json()["data"][-1]
    assert CALLER in desk_note["data"]["text"]  # the desk keeps the number to call back


def test_a_confidential_caller_is_hidden_from_the_team_but_not_from_the_desk(
    client: TestClient,
) -> None:
    number = operator(client).create_order(
        confidential=True, caller={"name": "王阿姨", "phone": CALLER}
    )["number"]
    seen = leader(client).get(f"/api/v1/orders/{number}").json()["caller"]
    assert seen["hidden"] is True and seen["name"] is None and seen["phone"] is None
    listed = leader(client).get("/api/v1/orders").json()["data"][0]["caller"]
    assert listed["hidden"] is True and listed["phone"] is None
    timeline = json.dumps(
        leader(client).get(f"/api/v1/orders/{number}/timeline").json(), ensure_ascii=False
    )
    assert CALLER not in timeline and "王阿姨" not in timeline
    assert supervisor(client).get(f"/api/v1/orders/{number}").json()["caller"]["name"] == "王阿姨"
