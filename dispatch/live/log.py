"""Reading the event log for the hub: tails, holes and replays, with each order's number."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func
from sqlmodel import Session, col, select

from dispatch.events.bus import EventMessage
from dispatch.events.models import OrderEvent
from dispatch.orders.models import WorkOrder


def _message(event: OrderEvent, number: str) -> EventMessage:
    assert event.id is not None
    return EventMessage(
        id=event.id,
        order_id=event.order_id,
        order_number=number,
        kind=event.kind,
        actor=event.actor,
        actor_id=event.actor_id,
        at=event.at,
        data=dict(event.data),
        team_codes=tuple(event.team_codes),
    )


def newest_id(session: Session) -> int:
    newest: int | None = session.exec(select(func.max(OrderEvent.id))).one()
    return newest or 0


def read_after(
    session: Session, after_id: int, *, limit: int, upto: int | None = None
) -> list[EventMessage]:
    """Events with after_id < id (<= upto), oldest first."""
    query = (
        select(OrderEvent, WorkOrder.number)
        .join(WorkOrder, col(WorkOrder.id) == col(OrderEvent.order_id))
        .where(col(OrderEvent.id) > after_id)
    )
    if upto is not None:
        query = query.where(col(OrderEvent.id) <= upto)
    rows = session.exec(query.order_by(col(OrderEvent.id)).limit(limit)).all()
    return [_message(event, number) for event, number in rows]


def read_ids(session: Session, ids: Collection[int]) -> list[EventMessage]:
    if not ids:
        return []
    rows = session.exec(
        select(OrderEvent, WorkOrder.number)
        .join(WorkOrder, col(WorkOrder.id) == col(OrderEvent.order_id))
        .where(col(OrderEvent.id).in_(list(ids)))
        .order_by(col(OrderEvent.id))
    ).all()
    return [_message(event, number) for event, number in rows]
