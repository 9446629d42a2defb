"""Append to and read the event log; the only way an event is ever written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from dispatch.events.bus import EventBus, EventMessage
from dispatch.events.models import OrderEvent


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
    stored = OrderEvent(
        order_id=order_id,
        kind=kind,
        actor=actor,
        actor_id=actor_id,
        at=at,
        data=data or {},
        team_codes=list(team_codes),
    )
    session.add(stored)
    session.flush()
    assert stored.id is not None
    message = EventMessage(
        id=stored.id,
        order_id=order_id,
        order_number=order_number,
        kind=kind,
        actor=actor,
        actor_id=actor_id,
        at=at,
        data=stored.data,
        team_codes=tuple(team_codes),
    )
    bus = session.info.get("bus")
    if isinstance(bus, EventBus):
        bus.recorded(session, message)
    return message


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
