"""Who sees what: teams see their own orders only, with the caller's phone masked."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from tests.builders.desk import FIRE_LANE, leader, operator, supervisor


def test_leader_of_another_team_cannot_see_the_order_at_all(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    outsider = leader(client, "yinpi")
    assert outsider.get(f"/api/v1/orders/{number}").status_code == 404
    assert outsider.get(f"/api/v1/orders/{number}/timeline").status_code == 404
    assert outsider.act(number, "accept").status_code == 404
    assert outsider.get("/api/v1/orders").json()["count"] == 0


def test_team_leader_lists_own_orders_with_caller_phone_masked(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    mine = leader(client).get("/api/v1/orders").json()
    assert [o["number"] for o in mine["data"]] == [number]
    assert mine["data"][0]["caller"]["phone"] == "138****5678"


def test_confidential_caller_is_hidden_from_the_team(client: TestClient) -> None:
    number = operator(client).create_order(confidential=True)["number"]
    seen = leader(client).get(f"/api/v1/orders/{number}").json()
    assert seen["caller"] == {
        "name": None,
        "phone": None,
        "anonymous": False,
        "hidden": True,
        "flags": [],
        "reporter": False,
    }
    assert supervisor(client).get(f"/api/v1/orders/{number}").json()["caller"]["phone"]


def test_supervisor_sees_every_order_and_its_timeline(client: TestClient) -> None:
    desk = operator(client)
    desk.create_order()
    desk.create_order(category="other", description="咨询", address={})
    boss = supervisor(client)
    listed = boss.get("/api/v1/orders").json()
    assert listed["count"] == 2
    timeline = boss.get(f"/api/v1/orders/{listed['data'][0]['number']}/timeline")
    assert timeline.status_code == 200
    assert timeline.json()["data"][0]["kind"] == "received"


def test_missing_or_bad_token_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/orders").status_code == 401
    bad = client.get("/api/v1/orders", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "not_authenticated"


def test_wrong_role_is_403(client: TestClient) -> None:
    team = leader(client)
    assert team.post("/api/v1/orders", json=FIRE_LANE).status_code == 403
    number = operator(client).create_order()["number"]
    assert operator(client).act(number, "accept").status_code == 403
    assert operator(client).act(number, "urge", {"reason": "x"}).status_code == 403


def test_team_member_can_work_but_not_accept(client: TestClient) -> None:
    from tests.builders.desk import Person

    number = operator(client).create_order()["number"]
    member = Person(client, "member.jindi")
    assert member.act(number, "accept").status_code == 403
    leader(client).act(number, "accept")
    assert member.act(number, "start").json()["status"] == "in_progress"


def test_filters_narrow_the_list(client: TestClient) -> None:
    desk = operator(client)
    desk.create_order()
    desk.create_order(category="other", description="咨询", address={})
    boss = supervisor(client)
    assert boss.get("/api/v1/orders", params={"status": "triage"}).json()["count"] == 1
    assert boss.get("/api/v1/orders", params={"team": "jindi-property"}).json()["count"] == 1
    assert boss.get("/api/v1/orders", params={"category": "fire_lane"}).json()["count"] == 1
    assert boss.get("/api/v1/orders", params={"community": "jindi"}).json()["count"] == 1
    page = boss.get("/api/v1/orders", params={"limit": 1}).json()
    assert len(page["data"]) == 1 and page["count"] == 2


def test_the_callback_list_puts_whoever_waited_longest_first(
    client: TestClient, clock: FrozenClock
) -> None:
    desk, jindi = operator(client), leader(client)
    numbers = [desk.create_order()["number"] for _ in range(3)]
    for number in reversed(numbers):  # the newest order is resolved first
        jindi.act(number, "accept")
        jindi.act(number, "resolve", {"result": "已处理"})
        clock.advance(timedelta(minutes=5))
    boss = supervisor(client)

    def listed(sort: str) -> list[str]:
        params = {"status": "resolved", "sort": sort}
        return [o["number"] for o in boss.get("/api/v1/orders", params=params).json()["data"]]

    assert listed("resolved_at") == list(reversed(numbers))
    assert listed("oldest") == numbers
    assert listed("newest") == list(reversed(numbers))
    refused = boss.get("/api/v1/orders", params={"sort": "sideways"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "sort"
