"""Twilio and the 12345 platform are down for ten minutes while the desk keeps working.

Texts, calls, surveys and 12345 feedback queue up, are retried with growing gaps (not once
per tick), and when the outside world comes back every one of them goes out, once.
Time is the injected clock; the outside world is Twilio's REST API and the 12345 platform
answering 503 (their fakes from tests/hotline).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.notify.models import DeliveryStatus, NotificationDelivery
from dispatch.notify.port import NotifyChannel
from dispatch.settings import Settings
from escalation.scheduler import EscalationScheduler
from hotline.outbox.destinations import SmsDestination
from hotline.outbox.models import OutboxMessage, OutboxStatus
from hotline.outbox.worker import OutboxWorker
from hotline.twilio.client import RecordingHttpClient, TwilioSms
from hotline.twilio.notifier import TwilioNotifier
from hotline.wiring import outbox_worker
from tests.builders.desk import leader, operator
from tests.hotline.conftest import settings  # noqa: F401  (Twilio and 12345 configured)
from tests.hotline.upstream_builders import (
    DRAIN_ORDER,
    Outside,
    Platform,
    police_platform,
    push,
    upstream_12345,
)

OUTAGE = timedelta(minutes=10)
TICK = timedelta(seconds=15)


@dataclass
class OutsideWorld:
    """Twilio and 12345, both refusing with 503 while the outage lasts."""

    twilio: RecordingHttpClient
    upstream: Platform
    ends_at: datetime
    twilio_calls_during: int = 0

    def follow(self, now: datetime) -> None:
        down = now < self.ends_at
        self.twilio.fail_with = 503 if down else None
        self.upstream.failures = 10**6 if down else 0
        if down:
            self.twilio_calls_during = len(self.twilio.requests)

    @property
    def twilio_accepted(self) -> int:
        return len(self.twilio.requests) - self.twilio_calls_during


@dataclass
class Desk:
    client: TestClient
    db: Database
    clock: FrozenClock
    scheduler: EscalationScheduler
    worker: OutboxWorker
    outside: OutsideWorld

    def run_for(self, span: timedelta) -> None:
        """The scheduler's jobs, every 15 s of the injected clock."""
        end = self.clock.now() + span
        while self.clock.now() < end:
            self.clock.advance(TICK)
            self.outside.follow(self.clock.now())
            self.scheduler.sweep()
            self.scheduler.deliver()
            self.worker.drain()


@pytest.fixture
def desk(client: TestClient, db: Database, clock: FrozenClock) -> Iterator[Desk]:
    configured: Settings = client.app.state.settings  # type: ignore[attr-defined]
    twilio = RecordingHttpClient()
    upstream = upstream_12345()
    outside = OutsideWorld(twilio, upstream, ends_at=clock.now() + timedelta(minutes=1) + OUTAGE)
    worker = outbox_worker(
        db,
        configured,
        clock,
        transport=Outside(upstream, police_platform()).transport(),
        sms=SmsDestination(TwilioSms(configured, http_client=twilio)),
    )
    scheduler = EscalationScheduler(
        client.app.state.escalation,  # type: ignore[attr-defined]
        notifier=TwilioNotifier(configured, http_client=twilio),
        worker_id="faults",
    )
    yield Desk(client, db, clock, scheduler, worker, outside)


def texts_and_calls(db: Database) -> list[NotificationDelivery]:
    """What escalation asked Twilio to send (push goes over the websocket, not Twilio)."""
    with db.session() as session:
        return list(
            session.exec(
                select(NotificationDelivery).where(
                    col(NotificationDelivery.channel).in_([NotifyChannel.sms, NotifyChannel.voice])
                )
            ).all()
        )


def outbox(db: Database, destination: str) -> list[OutboxMessage]:
    with db.session() as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.destination == destination)
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def test_ten_minutes_without_twilio_and_12345_then_everything_goes_out_once(
    desk: Desk, client: TestClient, db: Database, clock: FrozenClock
) -> None:
    # 09:30: three fire-lane calls nobody accepts, and two 12345 orders that the property
    # company takes on and resolves, one of them a phone order that earns a survey text.
    desk_operator, team = operator(client), leader(client, "jindi")
    waiting = [desk_operator.create_order()["number"] for _ in range(3)]
    upstream_orders = [
        push(client, {**DRAIN_ORDER, "upstream_number": f"12345-20261122-00{n}"}, clock.now())
        for n in (201, 202)
    ]
    handled = [str(r.json()["order_number"]) for r in upstream_orders]
    phone_order = desk_operator.create_order()["number"]
    desk.run_for(timedelta(minutes=1))  # 09:31: Twilio and 12345 go down

    desk.run_for(timedelta(minutes=1))
    for number in [*handled, phone_order]:
        assert team.act(number, "accept").status_code == 200
        assert team.act(number, "resolve", {"result": "车辆已移走"}).status_code == 200
    desk.run_for(OUTAGE - timedelta(minutes=1) - TICK)  # 09:41 minus a tick: still down

    queued = texts_and_calls(db)
    feedback, surveys = outbox(db, "12345"), outbox(db, "sms")
    assert desk.outside.twilio_accepted == 0 and desk.outside.upstream.accepted == []
    assert {d.status for d in queued} == {DeliveryStatus.pending}
    assert {m.status for m in feedback + surveys} == {OutboxStatus.pending}
    assert len(queued) >= 3 and len(feedback) == 4 and len(surveys) >= 1
    # Retried with backoff: 40 ticks of outage, a handful of attempts each.
    assert all(1 < d.attempts <= 5 for d in queued)
    heads = {(m.destination, m.order_id): m for m in reversed(feedback + surveys)}.values()
    assert all(1 < m.attempts <= 7 for m in heads)  # the rest wait behind them, in order

    desk.run_for(timedelta(minutes=30))  # back at 09:41; later steps keep coming due

    sent = texts_and_calls(db)
    feedback, surveys = outbox(db, "12345"), outbox(db, "sms")
    assert {d.status for d in sent} == {DeliveryStatus.sent}
    assert {m.status for m in feedback + surveys} == {OutboxStatus.delivered}
    # Once: Twilio accepted exactly one request per text, call and survey.
    assert desk.outside.twilio_accepted == len(sent) + len(surveys)
    accepted = desk.outside.upstream.accepted
    assert sorted(m["message_id"] for m in accepted) == sorted({m["message_id"] for m in accepted})
    assert len(accepted) == len(feedback)
    for number in handled:  # in order per order: accepted before resolved
        kinds = [m["result_type"] for m in accepted if m["order_number"] == number]
        assert kinds == ["accepted", "resolved"]
    back = desk.outside.ends_at
    held = [d for d in sent if d.created_at < back]
    assert held and all(d.sent_at and d.sent_at >= back for d in held)
    last_out = max(
        [d.sent_at for d in held if d.sent_at]
        + [m.delivered_at for m in feedback if m.delivered_at]
    )
    assert waiting  # the unaccepted orders kept escalating after the outage too
    print(
        f"outage 10 min: {len(held)} texts/calls and {len(feedback) + len(surveys)} outbox "
        f"messages held; all out {(last_out - back).total_seconds() / 60:.1f} min after return"
    )
