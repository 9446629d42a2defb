"""The three rates (三率) per category and per community, for the orders received in a period.

The team report counts assignments (one order can count for several teams); here each order
counts once, under its category or its community:
  received   every order received in the period, merged duplicates too (each call is intake)
  dispatched orders sent to a team at least once       accepted  the lead team signed for it
  resolved   the lead team reported the result          callbacks / satisfied  回访 results
The counts after `received` leave merged duplicates out: they live on in the order they
joined, and counting them again would count one problem twice.
  响应率 = accepted / dispatched   解决率 = resolved / dispatched   满意率 = satisfied / callbacks
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dispatch.categories.models import Category
from dispatch.orders.models import WorkOrder
from dispatch.places.models import Community
from dispatch.reports.service import Period, ThreeRates


@dataclass
class GroupRates(ThreeRates):
    """One row of the report; `code` is None for orders that named no community."""

    code: str | None
    name: str
    name_en: str
    received: int = 0
    dispatched: int = 0
    accepted: int = 0
    resolved: int = 0
    callbacks: int = 0
    satisfied: int = 0


def _counted(condition: Any) -> Any:
    """How many orders of the group meet `condition`, merged duplicates left out."""
    own = col(WorkOrder.parent_id).is_(None)
    return func.coalesce(func.sum(case((own & condition, 1), else_=0)), 0)


def _fill(session: Session, period: Period, key: Any, rows: dict[str | None, GroupRates]) -> None:
    # Seven columns: more than sqlmodel's typed select takes, so SQLAlchemy's own.
    query = (
        sa_select(
            key,
            func.count(),
            _counted(col(WorkOrder.dispatched_at).is_not(None)),
            _counted(col(WorkOrder.accepted_at).is_not(None)),
            _counted(col(WorkOrder.resolved_at).is_not(None)),
            _counted(col(WorkOrder.satisfaction).is_not(None)),
            _counted(col(WorkOrder.satisfaction) == "satisfied"),
        )
        .where(col(WorkOrder.created_at) >= period.start, col(WorkOrder.created_at) < period.end)
        .group_by(key)
    )
    for code, received, dispatched, accepted, resolved, callbacks, satisfied in session.execute(
        query
    ).all():
        # A community or category removed from the reference data still shows, by its code.
        row = rows.setdefault(code, GroupRates(code, code or "", code or ""))
        row.received = int(received)
        row.dispatched = int(dispatched)
        row.accepted = int(accepted)
        row.resolved = int(resolved)
        row.callbacks = int(callbacks)
        row.satisfied = int(satisfied)


def category_rates(session: Session, period: Period) -> list[GroupRates]:
    """Every category, busy or not, in code order."""
    categories = session.exec(select(Category).order_by(col(Category.code))).all()
    rows: dict[str | None, GroupRates] = {
        c.code: GroupRates(c.code, c.name, c.name_en) for c in categories
    }
    _fill(session, period, col(WorkOrder.category_code), rows)
    return list(rows.values())


def community_rates(session: Session, period: Period) -> list[GroupRates]:
    """Every community in code order, then (if any) the orders that named no community."""
    communities = session.exec(select(Community).order_by(col(Community.code))).all()
    rows: dict[str | None, GroupRates] = {
        c.code: GroupRates(c.code, c.name, c.name_en) for c in communities
    }
    _fill(session, period, col(WorkOrder.community_code), rows)
    unplaced = rows.pop(None, None)
    return [*rows.values(), *([unplaced] if unplaced else [])]
