"""协商会议: the fire lane of 金地花园 D区 is blocked for the third time this month; the
supervisor calls the property company, the community police and the governance centre to
one table, every order concerned shows it, and the outcome is written down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from tests.builders.desk import Person, leader, operator, supervisor

INVITED = ["jindi-property", "community-police", "governance-centre"]


def call(boss: Person, number: str, clock: FrozenClock, **overrides: Any) -> Any:
    body = {
        "topic": "金地花园D区消防通道反复堵塞",
        "starts_at": (clock.now() + timedelta(days=1)).isoformat(),
        "place": "街道综治中心二楼会议室",
        "teams": INVITED,
        **overrides,
    }
    return boss.post(f"/api/v1/orders/{number}/meetings", json=body)


def timeline_kinds(person: Person, number: str) -> list[str]:
    events = person.get(f"/api/v1/orders/{number}/timeline").json()["data"]
    return [e["kind"] for e in events]


def test_supervisor_calls_a_meeting_about_the_fire_lane_and_every_order_shows_it(
    client: TestClient, clock: FrozenClock
) -> None:
    desk, boss = operator(client), supervisor(client)
    numbers = [desk.create_order()["number"] for _ in range(3)]

    called = call(boss, numbers[0], clock, also_orders=numbers[1:])

    assert called.status_code == 201, called.text
    meeting = called.json()
    assert meeting["status"] == "planned" and meeting["orders"] == numbers
    assert meeting["teams"] == INVITED and meeting["called_by"] == "supervisor.zhang"
    for number in numbers:
        assert timeline_kinds(boss, number)[-1] == "meeting_called"
        about = boss.get(f"/api/v1/orders/{number}/meetings").json()
        assert [m["id"] for m in about] == [meeting["id"]]


def test_an_invited_team_sees_the_meeting_and_another_team_does_not(
    client: TestClient, clock: FrozenClock
) -> None:
    number = operator(client).create_order()["number"]
    topic = "陈女士（13812345678）反映的消防通道问题"
    meeting = call(supervisor(client), number, clock, topic=topic).json()

    invited = leader(client).get("/api/v1/meetings", params={"status": "planned"}).json()
    assert [m["id"] for m in invited] == [meeting["id"]]
    assert "13812345678" not in invited[0]["topic"]  # masked for team roles, like notes
    police = Person(client, "leader.police").get(f"/api/v1/meetings/{meeting['id']}")
    assert police.status_code == 200
    other = Person(client, "leader.yinpi")
    assert other.get("/api/v1/meetings").json() == []
    assert other.get(f"/api/v1/meetings/{meeting['id']}").status_code == 404


def test_the_outcome_names_only_invited_teams_and_is_recorded_once(
    client: TestClient, clock: FrozenClock
) -> None:
    boss = supervisor(client)
    number = operator(client).create_order()["number"]
    meeting_id = call(boss, number, clock).json()["id"]
    outcome = "物业划定电动车停放区，社区民警每周巡查两次"

    stranger = boss.post(
        f"/api/v1/meetings/{meeting_id}/outcome",
        json={"outcome": outcome, "attended": ["jindi-property", "water-company"]},
    )
    assert stranger.status_code == 422, stranger.text
    assert stranger.json()["error"]["field"] == "attended"

    held = boss.post(
        f"/api/v1/meetings/{meeting_id}/outcome",
        json={"outcome": outcome, "attended": ["jindi-property", "governance-centre"]},
    )
    assert held.status_code == 200, held.text
    assert held.json()["status"] == "held" and held.json()["outcome"] == outcome
    assert timeline_kinds(boss, number)[-1] == "meeting_held"

    again = boss.post(f"/api/v1/meetings/{meeting_id}/cancel", json={"reason": "不开了"})
    assert again.status_code == 409
    assert again.json()["error"]["current_status"] == "held"


def test_a_meeting_called_off_says_why_on_the_timeline(
    client: TestClient, clock: FrozenClock
) -> None:
    boss = supervisor(client)
    number = operator(client).create_order()["number"]
    meeting_id = call(boss, number, clock).json()["id"]

    cancelled = boss.post(f"/api/v1/meetings/{meeting_id}/cancel", json={"reason": "问题已解决"})

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    events = boss.get(f"/api/v1/orders/{number}/timeline").json()["data"]
    assert events[-1]["kind"] == "meeting_cancelled"
    assert events[-1]["data"]["reason"] == "问题已解决"
    assert boss.get("/api/v1/meetings", params={"status": "planned"}).json() == []


def test_bad_meeting_calls_are_refused_and_nothing_is_stored(
    client: TestClient, clock: FrozenClock
) -> None:
    desk, boss = operator(client), supervisor(client)
    number = desk.create_order()["number"]
    cancelled = desk.create_order()["number"]
    assert desk.act(cancelled, "cancel", {"reason": "居民撤回"}).status_code == 200
    last_month = (clock.now() - timedelta(days=30)).isoformat()

    for overrides, field in (
        ({"teams": []}, "teams"),
        ({"teams": ["ghostbusters"]}, "teams"),
        ({"starts_at": last_month}, "starts_at"),
        ({"starts_at": "2026-11-24T09:30:00"}, "starts_at"),  # no time zone
        ({"also_orders": [cancelled]}, "also_orders"),
        ({"also_orders": [number]}, "also_orders"),  # the same order twice
        ({"topic": ""}, "topic"),
    ):
        refused = call(boss, number, clock, **overrides)
        assert refused.status_code == 422, (overrides, refused.text)
        assert refused.json()["error"]["field"] == field, overrides
    assert call(boss, "WO-20990101-0001", clock).status_code == 404
    refused = call(boss, cancelled, clock)  # called from a cancelled order
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "order"
    assert call(desk, number, clock).status_code == 403  # operators do not call meetings
    assert boss.get("/api/v1/meetings").json() == []
    assert "meeting_called" not in timeline_kinds(boss, number)
