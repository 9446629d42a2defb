"""Many steps due in the same second run in batches: each once, and a broken one spoils only
itself (the rest of its batch still runs)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from dispatch.auth.models import User
from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.notify.models import NotificationDelivery
from dispatch.orders.models import WorkOrder
from dispatch.settings import Settings
from escalation.codes.models import AcceptCode
from escalation.runtime import EscalationRuntime
from escalation.timers.models import EscalationStep
from escalation.timers.sweeper import run_due_steps
from tests.escalation.bulk import claims, count_steps, escalated_per_step, seed_orders


def _forget_phone(db: Database, username: str) -> None:
    with db.session(write=True) as session:
        session.execute(update(User).where(col(User.username) == username).values(phone=None))


def test_a_burst_runs_in_batches_and_a_broken_step_spoils_only_itself(
    db: Database, settings: Settings, clock: FrozenClock
) -> None:
    due = clock.now() + timedelta(minutes=5)
    fire_lane = seed_orders(db, 120, due_at=due, now=clock.now(), prefix="FIRE")
    # 银啤苑's leader has no phone on record: asking them for an accept code is a bug.
    broken = seed_orders(db, 1, due_at=due, now=clock.now(), prefix="ROOF", team="yinpi-property")
    drains = seed_orders(db, 120, due_at=due, now=clock.now(), prefix="DRAIN")
    _forget_phone(db, "leader.yinpi")
    clock.set(due)
    runtime = EscalationRuntime.load(db, settings, clock)

    ran = run_due_steps(db, clock.now(), "sweeper-a", 1000, ctx=runtime.steps)
    assert run_due_steps(db, clock.now(), "sweeper-a", 1000, ctx=runtime.steps) == []

    assert Counter(o.status.value for o in ran) == {"done": 240, "skipped": 1}
    assert {o.order_id for o in ran} == {*fire_lane, *broken, *drains}
    assert count_steps(db, "done") == 240 and count_steps(db, "pending") == 0
    per_step = escalated_per_step(db)
    assert len(per_step) == 240 and set(per_step.values()) == {1}
    with db.session() as session:
        steps = session.exec(select(EscalationStep)).all()
        spoiled = next(s for s in steps if s.order_id == broken[0])
        assert spoiled.status == "skipped" and (spoiled.note or "").startswith("error:")
        assert spoiled.id not in per_step
        # Each good step queued its push and SMS and issued one code; the broken one nothing.
        messages = session.exec(select(NotificationDelivery.step_id)).all()
        assert Counter(Counter(messages).values()) == {2: 240}
        assert spoiled.id not in messages
        assert len(session.exec(select(AcceptCode.id)).all()) == 240
    assert claims(db) < len(ran) / 2  # claimed in batches, not one transaction per step


def test_an_order_busy_in_a_request_keeps_its_step_for_the_next_pass(
    database_url: str, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks: on SQLite the sweeper's write transaction waits its turn")
    due = clock.now() + timedelta(minutes=5)
    first, busy, last = seed_orders(db, 3, due_at=due, now=clock.now())
    clock.set(due)
    runtime = EscalationRuntime.load(db, settings, clock)
    request = Database(database_url)  # another process, mid-request on the middle order
    with request.session(write=True) as session:
        session.exec(select(WorkOrder).where(WorkOrder.id == busy).with_for_update()).one()
        ran = run_due_steps(db, clock.now(), "sweeper-a", ctx=runtime.steps)
        assert sorted(o.order_id for o in ran) == [first, last]
        assert count_steps(db, "pending") == 1
    request.dispose()

    again = run_due_steps(db, clock.now(), "sweeper-a", ctx=runtime.steps)
    assert [o.order_id for o in again] == [busy]
    assert set(escalated_per_step(db).values()) == {1} and count_steps(db, "done") == 3
