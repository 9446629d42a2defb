"""Steps that came due while nothing ran: each runs once at start, marked late."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from escalation.scheduler import EscalationScheduler
from tests.builders.desk import leader, operator
from tests.escalation.helpers import chain, escalations, order_by_number


def test_step_due_during_downtime_runs_once_at_start_marked_late(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]
    clock.advance(timedelta(minutes=17))  # down from dispatch until after two steps were due
    ran = scheduler.sweep()
    assert [(o.kind, o.late) for o in ran] == [("renotify_leader", True), ("call_leader", True)]
    assert scheduler.sweep() == []  # once: a second pass finds nothing
    clock.advance(timedelta(minutes=3))  # on time again
    assert [(o.kind, o.late) for o in scheduler.sweep()] == [("notify_supervisor", False)]
    assert [e["late"] for e in escalations(db, number)] == [True, True, False]


def test_return_and_redispatch_keep_the_first_accept_clock(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    desk = operator(client)
    number = desk.create_order()["number"]
    first_due = order_by_number(db, number).accept_due_at
    clock.advance(timedelta(minutes=2))
    leader(client).act(number, "return", {"reason_code": "not_our_area", "reason": "不是本小区"})
    clock.advance(timedelta(minutes=4))  # the renotify step comes due while in triage
    assert [o.status.value for o in scheduler.sweep()] == ["skipped"]

    clock.advance(timedelta(minutes=1))
    desk.act(number, "dispatch", {"lead_team": "yinpi-property"})
    assert order_by_number(db, number).accept_due_at == first_due  # not reset
    ran = scheduler.sweep()  # the skipped step applies again, to the new team's leader
    assert [(o.kind, o.status.value) for o in ran] == [("renotify_leader", "done")]
    assert escalations(db, number)[0]["team"] == "yinpi-property"
    assert chain(db, number, "accept")[0] == ("renotify_leader", "done")
