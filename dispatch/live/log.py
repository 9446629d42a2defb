"""Reading the event log for the hub: tails, holes and replays, with each order's number."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Row, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dispatch.auth.models import User
from dispatch.events.bus import EventMessage
from dispatch.events.models import OrderEvent
from dispatch.orders.models import Channel, WorkOrder

_PATROL = col(WorkOrder.channel) == Channel.patrol.value
# The team the reporter is in now: asked only of patrol orders' events.
_REPORTER_TEAM = (
    sa_select(col(User.team_code))
    .where(col(User.id) == col(WorkOrder.created_by_id))
    .correlate(WorkOrder)
    .scalar_subquery()
)
# Plain columns, not OrderEvent objects: the hub reads after every commit and only copies them.
_COLUMNS: tuple[Any, ...] = (
    col(OrderEvent.id),
    col(OrderEvent.order_id),
    col(WorkOrder.number).label("order_number"),
    col(OrderEvent.kind),
    col(OrderEvent.actor),
    col(OrderEvent.actor_id),
    col(OrderEvent.at),
    col(OrderEvent.data),
    col(OrderEvent.team_codes),
    case((_PATROL, col(WorkOrder.created_by_id))).label("reporter_id"),
    case((_PATROL, _REPORTER_TEAM)).label("reporter_team"),
)


def _messages(rows: Sequence[Row[Any]]) -> list[EventMessage]:
    return [
        EventMessage(**{**r._mapping, "data": dict(r.data), "team_codes": tuple(r.team_codes)})
        for r in rows
    ]


def newest_id(session: Session) -> int:
    newest: int | None = session.exec(select(func.max(OrderEvent.id))).one()
    return newest or 0


def read_after(
    session: Session, after_id: int, *, limit: int, upto: int | None = None
) -> list[EventMessage]:
    """Events with after_id < id (<= upto), oldest first."""
    query = (
        sa_select(*_COLUMNS)
        .join(WorkOrder, col(WorkOrder.id) == col(OrderEvent.order_id))
        .where(col(OrderEvent.id) > after_id)
    )
    if upto is not None:
        query = query.where(col(OrderEvent.id) <= upto)
    return _messages(session.execute(query.order_by(col(OrderEvent.id)).limit(limit)).all())


def read_ids(session: Session, ids: Collection[int]) -> list[EventMessage]:
    if not ids:
        return []
    rows = session.execute(
        sa_select(*_COLUMNS)
        .join(WorkOrder, col(WorkOrder.id) == col(OrderEvent.order_id))
        .where(col(OrderEvent.id).in_(list(ids)))
        .order_by(col(OrderEvent.id))
    ).all()
    return _messages(rows)
