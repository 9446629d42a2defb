"""Supervisors see what is waiting to leave, what left, and what failed; they may retry."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, select

from dispatch.deps import ClockDep, RowId, SessionDep, SettingsDep, Supervisor
from dispatch.errors import NotFound
from dispatch.orders.models import WorkOrder
from hotline.outbox import service as outbox
from hotline.outbox.models import OutboxMessage, OutboxStatus

router = APIRouter(prefix="/api/v1/outbox", tags=["hotline: outbox"])


class OutboxPublic(BaseModel):
    id: int
    destination: str
    kind: str
    order_number: str | None
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    reference: str | None
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]


class OutboxList(BaseModel):
    data: list[OutboxPublic]
    count: int
    offset: int
    limit: int
    totals: dict[str, int]


def _public(message: OutboxMessage, numbers: dict[int, str]) -> OutboxPublic:
    assert message.id is not None
    return OutboxPublic(
        id=message.id,
        destination=message.destination,
        kind=message.kind,
        order_number=numbers.get(message.order_id) if message.order_id else None,
        status=message.status,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
        last_error=message.last_error,
        reference=message.reference,
        created_at=message.created_at,
        delivered_at=message.delivered_at,
        payload=message.payload,
    )


@router.get("", response_model=OutboxList)
def list_outbox(
    session: SessionDep,
    _user: Supervisor,
    settings: SettingsDep,
    status: OutboxStatus | None = None,
    destination: Annotated[str | None, Query(max_length=16)] = None,
    order: Annotated[str | None, Query(max_length=32, description="order number")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1)] = 50,
) -> OutboxList:
    """Pending, delivered and failed messages to 12345, the police platform and residents."""
    order_id: int | None = None
    if order:
        found = session.exec(select(WorkOrder).where(WorkOrder.number == order)).first()
        if found is None:
            raise NotFound(f"no work order {order}", field="order")
        order_id = found.id
    limit = min(limit, settings.max_page_size)
    flt = outbox.OutboxFilter(status=status, destination=destination, order_id=order_id)
    rows, count, totals = outbox.listing(session, flt, offset, limit)
    ids = {m.order_id for m in rows if m.order_id}
    numbers = {
        o.id: o.number
        for o in session.exec(select(WorkOrder).where(col(WorkOrder.id).in_(ids))).all()
        if o.id is not None
    }
    data = [_public(m, numbers) for m in rows]
    return OutboxList(data=data, count=count, offset=offset, limit=limit, totals=totals)


@router.post("/{message_id}/retry", response_model=OutboxPublic)
def retry_message(
    message_id: RowId, session: SessionDep, _user: Supervisor, clock: ClockDep
) -> OutboxPublic:
    """Send a failed message again; the messages queued behind it follow."""
    message = outbox.retry(session, message_id, clock.now())
    number = None
    if message.order_id:
        order = session.get(WorkOrder, message.order_id)
        number = order.number if order else None
    return _public(message, {message.order_id: number} if message.order_id and number else {})
