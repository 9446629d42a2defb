"""Reading what the hotline stored, straight from the database."""

from __future__ import annotations

from sqlmodel import col, func, select

from dispatch.database import Database
from dispatch.events.models import OrderEvent
from dispatch.orders.models import WorkOrder
from hotline.voice.models import CallRecord


def call_record(db: Database, sid: str) -> CallRecord | None:
    with db.session() as session:
        return session.exec(select(CallRecord).where(CallRecord.call_sid == sid)).first()


def order(db: Database, order_id: int) -> WorkOrder:
    with db.session() as session:
        found = session.get(WorkOrder, order_id)
        assert found is not None
        return found


def order_count(db: Database) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(WorkOrder)).one())


def events(db: Database, order_id: int, kind: str | None = None) -> list[OrderEvent]:
    with db.session() as session:
        query = select(OrderEvent).where(OrderEvent.order_id == order_id)
        if kind:
            query = query.where(OrderEvent.kind == kind)
        return list(session.exec(query.order_by(col(OrderEvent.id))).all())
