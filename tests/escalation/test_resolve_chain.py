"""The resolve chain: extensions move it, reopening starts a new one, resolution stops all."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from escalation.scheduler import EscalationScheduler
from tests.builders.desk import leader, operator, supervisor
from tests.escalation.helpers import chain, kinds, order_by_number, steps_of


def test_granted_extension_moves_the_deadline_and_the_pending_steps(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]
    team, boss = leader(client), supervisor(client)
    team.act(number, "accept")
    old_due = order_by_number(db, number).resolve_due_at
    assert old_due is not None
    new_due = old_due + timedelta(days=2)

    asked = team.post(
        f"/api/v1/escalation/orders/{number}/extension-requests",
        {"reason": "需业主委员会开会协商", "new_due_at": new_due.isoformat()},
    )
    assert asked.status_code == 201, asked.text
    assert order_by_number(db, number).resolve_due_at == old_due  # only asked so far
    pending = boss.get("/api/v1/escalation/extension-requests").json()
    assert [r["order_number"] for r in pending["data"]] == [number]

    granted = boss.post(f"/api/v1/escalation/extension-requests/{asked.json()['id']}/grant", {})
    assert granted.status_code == 200, granted.text
    assert order_by_number(db, number).resolve_due_at == new_due
    resolve = [s for s in steps_of(db, number) if s.chain.value == "resolve"]
    assert [s.due_at - new_due for s in resolve] == [
        timedelta(minutes=-30),
        timedelta(0),
        timedelta(hours=2),
    ]
    clock.advance(timedelta(hours=5))  # past the old deadline: nothing is late any more
    assert scheduler.sweep() == []
    assert "extension_requested" in kinds(db, number)
    assert "extended" in kinds(db, number)


def test_refused_extension_leaves_the_deadline_and_says_why_on_the_timeline(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    number = operator(client).create_order()["number"]
    team, boss = leader(client), supervisor(client)
    team.act(number, "accept")
    due = order_by_number(db, number).resolve_due_at
    assert due is not None
    asked = team.post(
        f"/api/v1/escalation/orders/{number}/extension-requests",
        {"reason": "人手不足", "new_due_at": (due + timedelta(days=1)).isoformat()},
    ).json()
    again = team.post(
        f"/api/v1/escalation/orders/{number}/extension-requests",
        {"reason": "再申请", "new_due_at": (due + timedelta(days=2)).isoformat()},
    )
    assert again.status_code == 409
    refused = boss.post(
        f"/api/v1/escalation/extension-requests/{asked['id']}/refuse",
        {"reason": "安全隐患须当日处置"},
    )
    assert refused.json()["status"] == "refused"
    assert order_by_number(db, number).resolve_due_at == due
    twice = boss.post(f"/api/v1/escalation/extension-requests/{asked['id']}/grant", {})
    assert twice.status_code == 409
    assert kinds(db, number)[-1] == "extension_refused"


def test_reopened_order_gets_a_new_resolve_deadline_and_chain(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]
    leader(client).act(number, "accept")
    clock.advance(timedelta(hours=1))  # tokens last 30 min: people log in again
    leader(client).act(number, "resolve", {"result": "已挪车"})
    assert all(status == "cancelled" for _k, status in chain(db, number, "resolve"))

    clock.advance(timedelta(hours=2))
    operator(client).act(number, "callback", {"satisfaction": "unsatisfied", "note": "又堵了"})
    order = order_by_number(db, number)
    assert order.status == "accepted"
    assert order.resolve_due_at == clock.now() + timedelta(hours=4)
    assert chain(db, number, "resolve", round_no=2) == [
        ("renotify_leader", "pending"),
        ("notify_supervisor", "pending"),
        ("mark_12345_supervision", "pending"),
    ]
    clock.advance(timedelta(hours=4))
    assert [o.kind for o in scheduler.sweep()] == ["renotify_leader", "notify_supervisor"]
    clock.advance(timedelta(hours=2))
    assert [o.kind for o in scheduler.sweep()] == ["mark_12345_supervision"]
    assert "12345_supervision" in order_by_number(db, number).tags


def test_resolution_stops_every_chain(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]
    team = leader(client)
    team.act(number, "accept")
    team.act(number, "resolve", {"result": "已处理"})
    clock.advance(timedelta(days=3))
    assert scheduler.sweep() == []
    assert {s.status.value for s in steps_of(db, number)} == {"cancelled"}
