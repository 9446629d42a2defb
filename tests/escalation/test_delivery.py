"""Notifications leave after commit, retry with backoff, and never twice per step and person."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.notify.port import NotifyChannel
from dispatch.notify.service import enqueue
from escalation.scheduler import EscalationScheduler
from tests.builders.desk import operator
from tests.escalation.helpers import RecordingNotifier, deliveries, order_by_number


def test_failed_sends_retry_with_growing_backoff_then_succeed(
    client: TestClient,
    db: Database,
    clock: FrozenClock,
    scheduler: EscalationScheduler,
    notifier: RecordingNotifier,
) -> None:
    number = operator(client).create_order()["number"]
    clock.advance(timedelta(minutes=5))
    scheduler.sweep()
    notifier.fail_next = 4  # push and SMS fail twice each
    scheduler.deliver()
    first = {d.channel: d for d in deliveries(db, number)}
    assert {d.status for d in first.values()} == {"pending"}
    assert first[NotifyChannel.sms].next_attempt_at == clock.now() + timedelta(seconds=30)
    assert first[NotifyChannel.sms].last_error == "provider timeout"

    clock.advance(timedelta(seconds=30))
    scheduler.deliver()
    second = {d.channel: d for d in deliveries(db, number)}
    assert second[NotifyChannel.sms].next_attempt_at == clock.now() + timedelta(minutes=1)
    clock.advance(timedelta(minutes=1))
    scheduler.deliver()
    done = deliveries(db, number)
    assert [(d.status, d.attempts) for d in done] == [("sent", 3), ("sent", 3)]
    assert len(notifier.sent) == 2


def test_one_step_never_queues_twice_for_the_same_person_and_channel(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    number = operator(client).create_order()["number"]
    order = order_by_number(db, number)
    with db.session(write=True) as session:
        args = {
            "recipient": "+8613800000101",
            "channel": NotifyChannel.sms,
            "message": "催办",
            "now": clock.now(),
            "step_id": 999,
            "order_id": order.id,
        }
        assert enqueue(session, **args) is True  # type: ignore[arg-type]
        assert enqueue(session, **args) is False  # type: ignore[arg-type]
    assert len(deliveries(db, number)) == 1
