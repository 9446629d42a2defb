"""Reading what escalation did: steps, events, deliveries; a notifier that remembers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from dispatch.database import Database
from dispatch.events.models import OrderEvent
from dispatch.notify.models import NotificationDelivery
from dispatch.notify.port import NotifyChannel, SendResult
from dispatch.orders.models import WorkOrder
from escalation.timers.models import EscalationStep


@dataclass
class RecordingNotifier:
    """A fake provider: remembers each message; can be told to fail the next n sends."""

    sent: list[tuple[str, NotifyChannel, str, str]] = field(default_factory=list)
    fail_next: int = 0

    def send(self, recipient: str, channel: NotifyChannel, message: str, ref: str) -> SendResult:
        if self.fail_next > 0:
            self.fail_next -= 1
            return SendResult(ok=False, error="provider timeout")
        self.sent.append((recipient, channel, message, ref))
        return SendResult(ok=True, provider_ref=f"fake-{len(self.sent)}")


def order_by_number(db: Database, number: str) -> WorkOrder:
    with db.session() as session:
        return session.exec(select(WorkOrder).where(WorkOrder.number == number)).one()


def steps_of(db: Database, number: str) -> list[EscalationStep]:
    order = order_by_number(db, number)
    with db.session() as session:
        return list(
            session.exec(
                select(EscalationStep)
                .where(EscalationStep.order_id == order.id)
                .order_by(
                    col(EscalationStep.chain),
                    col(EscalationStep.round),
                    col(EscalationStep.step_no),
                )
            ).all()
        )


def chain(db: Database, number: str, name: str, round_no: int = 1) -> list[tuple[str, str]]:
    return [
        (s.kind.value, s.status.value)
        for s in steps_of(db, number)
        if s.chain.value == name and s.round == round_no
    ]


def escalations(db: Database, number: str) -> list[dict[str, Any]]:
    order = order_by_number(db, number)
    with db.session() as session:
        rows = session.exec(
            select(OrderEvent)
            .where(OrderEvent.order_id == order.id, OrderEvent.kind == "escalated")
            .order_by(col(OrderEvent.id))
        ).all()
        return [dict(r.data) for r in rows]


def deliveries(db: Database, number: str) -> list[NotificationDelivery]:
    order = order_by_number(db, number)
    with db.session() as session:
        return list(
            session.exec(
                select(NotificationDelivery)
                .where(NotificationDelivery.order_id == order.id)
                .order_by(col(NotificationDelivery.id))
            ).all()
        )


def kinds(db: Database, number: str) -> list[str]:
    order = order_by_number(db, number)
    with db.session() as session:
        rows = session.exec(
            select(OrderEvent.kind)
            .where(OrderEvent.order_id == order.id)
            .order_by(col(OrderEvent.id))
        ).all()
        return list(rows)
