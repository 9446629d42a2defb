"""Each team's part of an order (its assignments) and the duplicates merged into it, read
once per unit of work: the lifecycle keeps these lists current as it changes the rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from dispatch.orders.models import ACTIVE_ASSIGNMENT, OrderAssignment, WorkOrder


def _unit_cache(session: Session, name: str) -> dict[int, list[Any]]:
    """Per-unit-of-work memo: only the lifecycle changes these rows, and it keeps them current."""
    cache: dict[int, list[Any]] = session.info.setdefault(name, {})
    return cache


def assignments(session: Session, order: WorkOrder) -> list[OrderAssignment]:
    assert order.id is not None
    cache = _unit_cache(session, "order_assignments")
    if order.id not in cache:
        cache[order.id] = list(
            session.exec(
                select(OrderAssignment)
                .where(OrderAssignment.order_id == order.id)
                .order_by(col(OrderAssignment.id))
            ).all()
        )
    return cache[order.id]


def preload_assignments(session: Session, order_ids: Sequence[int]) -> None:
    """Read many orders' teams in one query (the escalation sweeper's batch of orders)."""
    cache = _unit_cache(session, "order_assignments")
    wanted = [i for i in order_ids if i not in cache]
    if not wanted:
        return
    for order_id in wanted:
        cache[order_id] = []
    rows = session.exec(
        select(OrderAssignment)
        .where(col(OrderAssignment.order_id).in_(wanted))
        .order_by(col(OrderAssignment.id))
    ).all()
    for row in rows:
        cache[row.order_id].append(row)


def track_new_order(session: Session, order: WorkOrder) -> None:
    """A brand-new order has no teams and no merged duplicates: nothing to look up."""
    assert order.id is not None
    _unit_cache(session, "order_assignments")[order.id] = []
    _unit_cache(session, "merged_children")[order.id] = []


def active_team_codes(session: Session, order: WorkOrder) -> list[str]:
    return [a.team_code for a in assignments(session, order) if a.status in ACTIVE_ASSIGNMENT]


def merged_children(session: Session, order: WorkOrder) -> list[WorkOrder]:
    assert order.id is not None
    cache = _unit_cache(session, "merged_children")
    if order.id not in cache:
        cache[order.id] = list(
            session.exec(select(WorkOrder).where(WorkOrder.parent_id == order.id)).all()
        )
    return cache[order.id]
