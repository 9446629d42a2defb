"""Append to and read the event log; the only way an event is ever written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from dispatch.events.bus import EventBus, EventMessage
from dispatch.events.models import OrderEvent


@dataclass(frozen=True)
class NewEvent:
    order_id: int
    order_number: str
    kind: str
    actor: str
    actor_id: int | None
    at: datetime
    data: dict[str, Any]
    team_codes: Sequence[str] = ()

    def as_message(self, event_id: int) -> EventMessage:
        """The event once stored, as the bus and the pushes see it."""
        copied = {f.name: getattr(self, f.name) for f in fields(self)}
        return EventMessage(id=event_id, **{**copied, "team_codes": tuple(self.team_codes)})


def record(
    session: Session,
    *,
    order_id: int,
    order_number: str,
    kind: str,
    actor: str,
    actor_id: int | None,
    at: datetime,
    data: dict[str, Any] | None = None,
    team_codes: Sequence[str] = (),
) -> EventMessage:
    new = NewEvent(order_id, order_number, kind, actor, actor_id, at, data or {}, team_codes)
    return record_many(session, [new])[0]


def record_many(session: Session, new: Sequence[NewEvent]) -> list[EventMessage]:
    """Store events in one INSERT, then hand each to the bus.

    A plain INSERT ... RETURNING, not ORM objects: events are never changed once written, so
    the unit of work has nothing to track, and intake writes three of them per order.
    """
    rows = [
        {
            "order_id": event.order_id,
            "kind": event.kind,
            "actor": event.actor,
            "actor_id": event.actor_id,
            "at": event.at,
            "data": event.data,
            "team_codes": list(event.team_codes),
        }
        for event in new
    ]
    table = OrderEvent.__table__  # type: ignore[attr-defined]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = session.connection().execute(statement, rows).scalars().all()
    messages = [event.as_message(event_id) for event, event_id in zip(new, ids, strict=True)]
    bus = session.info.get("bus")
    if isinstance(bus, EventBus):
        for message in messages:
            bus.recorded(session, message)
    return messages


def timeline(session: Session, order_id: int) -> Sequence[OrderEvent]:
    return session.exec(
        select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(col(OrderEvent.id))
    ).all()


def events_after(session: Session, after_id: int, limit: int = 500) -> Sequence[OrderEvent]:
    return session.exec(
        select(OrderEvent)
        .where(col(OrderEvent.id) > after_id)
        .order_by(col(OrderEvent.id))
        .limit(limit)
    ).all()
