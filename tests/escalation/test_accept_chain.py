"""An order nobody signs for climbs its accept chain one step at a time, and stops at 签收."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from escalation.scheduler import EscalationScheduler
from tests.builders.desk import leader, operator
from tests.escalation.helpers import chain, deliveries, escalations, order_by_number


def test_unaccepted_fire_lane_order_climbs_the_chain_one_step_per_deadline(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]  # safety_hazard: accept within 15 min
    order = order_by_number(db, number)
    assert order.accept_due_at == clock.now() + timedelta(minutes=15)
    assert order.resolve_due_at == clock.now() + timedelta(hours=4)
    assert scheduler.sweep() == []

    clock.advance(timedelta(minutes=5))  # accept deadline - 10 min
    assert [o.kind for o in scheduler.sweep()] == ["renotify_leader"]
    sms = [d for d in deliveries(db, number) if d.channel == "sms"]
    assert len(sms) == 1 and sms[0].recipient == "+8613800000101"  # leader.jindi on day shift
    assert "签收" in sms[0].message

    clock.advance(timedelta(minutes=10))  # at the deadline: the call
    assert [o.kind for o in scheduler.sweep()] == ["call_leader"]
    clock.advance(timedelta(minutes=5))
    assert [o.kind for o in scheduler.sweep()] == ["notify_supervisor"]
    clock.advance(timedelta(minutes=10))
    assert [o.kind for o in scheduler.sweep()] == ["escalate_governance_centre"]

    order = order_by_number(db, number)
    assert order.escalation_level == 4
    levels = [(e["step_kind"], e["level"], e["late"]) for e in escalations(db, number)]
    assert levels == [
        ("renotify_leader", 1, False),
        ("call_leader", 2, False),
        ("notify_supervisor", 3, False),
        ("escalate_governance_centre", 4, False),
    ]
    view = operator(client).get(f"/api/v1/orders/{number}").json()
    assert "governance-centre" in str(view)
    assert all(status == "done" for _kind, status in chain(db, number, "accept"))


def test_acceptance_during_the_chain_stops_it_on_every_channel(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]
    clock.advance(timedelta(minutes=5))
    scheduler.sweep()  # renotify: push + SMS queued, not delivered yet
    assert {d.status for d in deliveries(db, number)} == {"pending"}

    assert leader(client).act(number, "accept").json()["status"] == "accepted"
    assert {d.status for d in deliveries(db, number)} == {"cancelled"}
    assert chain(db, number, "accept") == [
        ("renotify_leader", "done"),
        ("call_leader", "cancelled"),
        ("notify_supervisor", "cancelled"),
        ("escalate_governance_centre", "cancelled"),
    ]
    clock.advance(timedelta(hours=1))
    assert scheduler.sweep() == []
    assert order_by_number(db, number).escalation_level == 1
