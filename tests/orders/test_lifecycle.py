"""Each step of an order's life, and each step it may not take (409 naming what it may)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import leader, operator, supervisor


def _kinds(client: TestClient, number: str) -> list[str]:
    timeline = supervisor(client).get(f"/api/v1/orders/{number}/timeline").json()
    return [e["kind"] for e in timeline["data"]]


def test_order_walks_from_intake_to_close(client: TestClient) -> None:
    desk, team = operator(client), leader(client)
    number = desk.create_order()["number"]
    assert team.act(number, "accept").json()["status"] == "accepted"
    assert team.act(number, "start").json()["status"] == "in_progress"
    resolved = team.act(number, "resolve", {"result": "已联系业主挪走电动车，通道畅通"})
    assert resolved.json()["status"] == "resolved"
    closed = desk.act(number, "callback", {"satisfaction": "satisfied"})
    assert closed.json()["status"] == "closed"
    assert closed.json()["satisfaction"] == "satisfied"
    assert _kinds(client, number) == [
        "received",
        "routed",
        "dispatched",
        "accepted",
        "started",
        "resolved",
        "callback_recorded",
        "closed",
    ]


def test_unsatisfied_resident_reopens_the_order_to_the_same_team(client: TestClient) -> None:
    desk, team = operator(client), leader(client)
    number = desk.create_order()["number"]
    team.act(number, "accept")
    team.act(number, "resolve", {"result": "已处理"})
    reopened = desk.act(number, "callback", {"satisfaction": "unsatisfied", "note": "还堵着"})
    assert reopened.json()["status"] == "accepted"
    assert "reopened" in _kinds(client, number)


def test_team_returns_order_with_reason_and_it_goes_back_to_triage(client: TestClient) -> None:
    desk, team = operator(client), leader(client)
    number = desk.create_order()["number"]
    returned = team.act(number, "return", {"reason_code": "not_our_area", "reason": "不是本小区"})
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "triage"
    redispatched = desk.act(number, "dispatch", {"lead_team": "yinpi-property"})
    assert redispatched.json()["status"] == "dispatched"
    assert leader(client, "yinpi").act(number, "accept").json()["status"] == "accepted"


def test_return_needs_a_reason_code_from_the_list(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    response = leader(client).act(number, "return", {"reason_code": "lazy"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "reason_code"


def test_closed_order_can_be_reopened(client: TestClient) -> None:
    desk, team = operator(client), leader(client)
    number = desk.create_order()["number"]
    team.act(number, "accept")
    team.act(number, "resolve", {"result": "done"})
    desk.act(number, "close")
    assert desk.act(number, "reopen", {"reason": "居民再次来电"}).json()["status"] == "accepted"


def test_operator_cancels_an_order_and_nothing_more_can_happen(client: TestClient) -> None:
    desk = operator(client)
    number = desk.create_order()["number"]
    assert desk.act(number, "cancel", {"reason": "居民撤回"}).json()["status"] == "cancelled"
    response = leader(client).act(number, "accept")
    assert response.status_code == 409
    assert response.json()["error"]["current_status"] == "cancelled"
    assert response.json()["error"]["allowed_actions"] == []


def test_duplicate_merged_into_parent_follows_its_status(client: TestClient) -> None:
    desk, team = operator(client), leader(client)
    parent = desk.create_order()["number"]
    child = desk.create_order(caller={"phone": "13912345678"})["number"]
    merged = desk.act(child, "merge", {"parent": parent})
    assert merged.status_code == 200, merged.text
    assert merged.json()["parent_number"] == parent
    team.act(parent, "accept")
    follower = supervisor(client).get(f"/api/v1/orders/{child}").json()
    assert follower["status"] == "accepted"
    assert follower["allowed_actions"] == []
    assert "follows_parent" in _kinds(client, child)


def test_supervisor_reassigns_to_another_team(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    moved = supervisor(client).act(number, "reassign", {"team": "public-utility", "note": "改派"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["routing"]["lead_team"] in ("jindi-property", "public-utility")
    assert leader(client, "utility").act(number, "accept").json()["status"] == "accepted"
    assert leader(client).act(number, "accept").status_code == 409


def test_supervisor_summons_another_team_to_a_hard_case(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    summoned = supervisor(client).act(number, "teams", {"team": "governance-centre"})
    assert summoned.status_code == 200, summoned.text
    assert {a["team_code"] for a in summoned.json()["assignments"]} == {
        "jindi-property",
        "governance-centre",
    }
    # The assisting team accepts its own part; the order follows its lead.
    part = leader(client, "governance").act(number, "accept").json()
    assert part["status"] == "dispatched"


def test_supervisor_extends_and_urges(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    boss = supervisor(client)
    extended = boss.act(
        number, "extend", {"resolve_due_at": "2026-12-01T10:00:00+08:00", "reason": "需协调"}
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["resolve_due_at"].startswith("2026-12-01T02:00:00")
    assert boss.act(number, "urge", {"reason": "尽快处理"}).status_code == 200
    assert {"extended", "urged"} <= set(_kinds(client, number))


def test_extension_into_the_past_is_refused(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    response = supervisor(client).act(
        number, "extend", {"resolve_due_at": "2020-01-01T00:00:00+08:00", "reason": "x"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "resolve_due_at"


def test_forbidden_transitions_answer_409_with_state_and_allowed_actions(
    client: TestClient,
) -> None:
    desk, team = operator(client), leader(client)
    number = desk.create_order()["number"]
    early = team.act(number, "resolve", {"result": "x"})
    assert early.status_code == 409
    error = early.json()["error"]
    assert error["code"] == "transition_not_allowed"
    assert error["current_status"] == "dispatched"
    assert "accept" in error["allowed_actions"]
    assert desk.act(number, "reopen", {"reason": "x"}).status_code == 409
    assert desk.act(number, "close").status_code == 409
    team.act(number, "accept")
    assert team.act(number, "accept").status_code == 409
    assert desk.act(number, "dispatch", {"lead_team": "jindi-property"}).status_code == 409


def test_dispatch_to_unknown_team_is_named(client: TestClient) -> None:
    desk = operator(client)
    number = desk.create_order(category="other", description="咨询", address={})["number"]
    response = desk.act(number, "dispatch", {"lead_team": "ghostbusters"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "lead_team"
    assert supervisor(client).get(f"/api/v1/orders/{number}").json()["status"] == "triage"
