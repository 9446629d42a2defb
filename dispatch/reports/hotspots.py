"""高发点位, hot spots: where one kind of problem keeps being reported, so that supervisors
look for the cause (a consultation meeting, a repair) instead of closing the same order again.

A hot spot is one category at one place (a compound, or a community for orders that named
no compound) with at least `min_calls` calls received in the period. Every call counts,
merged duplicates too: ten residents calling about one blocked fire lane is itself the
signal. `open` counts the orders still being worked on (duplicates live in their parent).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dispatch.categories.models import Category
from dispatch.orders.models import OPEN_STATUSES, WorkOrder
from dispatch.places.models import Community, Compound
from dispatch.reports.daily import Named, named
from dispatch.reports.service import Period

MOST_HOTSPOTS = 50
RECENT_ORDERS = 5  # order numbers shown per hot spot, newest first

Place = tuple[str | None, str | None, str]  # community, compound, category
PLACE_COLUMNS = ("community_code", "compound_code", "category_code")


@dataclass
class Hotspot:
    community_code: str | None
    compound_code: str | None
    category_code: str
    calls: int
    open: int
    first_at: datetime
    last_at: datetime
    buildings: list[str] = field(default_factory=list)  # most calls first
    orders: list[str] = field(default_factory=list)  # the newest own orders (not duplicates)
    community: Named | None = None
    compound: Named | None = None
    category: Named | None = None

    @property
    def place(self) -> Place:
        return (self.community_code, self.compound_code, self.category_code)


def hotspots(session: Session, period: Period, min_calls: int) -> list[Hotspot]:
    """Most calls first; ties: the most recent first."""
    created = col(WorkOrder.created_at)
    received = and_(created >= period.start, created < period.end)
    placed = or_(
        col(WorkOrder.compound_code).is_not(None), col(WorkOrder.community_code).is_not(None)
    )
    own_and_open = col(WorkOrder.parent_id).is_(None) & col(WorkOrder.status).in_(OPEN_STATUSES)
    key = [col(getattr(WorkOrder, c)) for c in PLACE_COLUMNS]
    query = (
        sa_select(
            *key,
            func.count(),
            func.coalesce(func.sum(case((own_and_open, 1), else_=0)), 0),
            func.min(created),
            func.max(created),
        )
        .where(received, placed)
        .group_by(*key)
        .having(func.count() >= min_calls)
        .order_by(func.count().desc(), func.max(created).desc())
        .limit(MOST_HOTSPOTS)
    )
    found = [
        Hotspot(community, compound, category, int(calls), int(still_open), first, last)
        for community, compound, category, calls, still_open, first, last in session.execute(query)
    ]
    if found:
        _add_buildings_and_orders(session, found, received)
        _add_names(session, found)
    return found


def _add_names(session: Session, found: list[Hotspot]) -> None:
    for spot in found:
        spot.community = named(session, Community, spot.community_code)
        spot.compound = named(session, Compound, spot.compound_code)
        spot.category = named(session, Category, spot.category_code)


def _add_buildings_and_orders(session: Session, found: list[Hotspot], received: Any) -> None:
    by_place = {spot.place: spot for spot in found}
    columns = (*PLACE_COLUMNS, "building", "number", "parent_id")
    query = (
        sa_select(*(col(getattr(WorkOrder, c)) for c in columns))
        # Places are matched here, not in SQL: a community-wide spot's compound is NULL,
        # which no `IN` matches.
        .where(received, col(WorkOrder.category_code).in_({c for _, _, c in by_place}))
        .order_by(col(WorkOrder.created_at).desc(), col(WorkOrder.id).desc())
    )
    buildings: dict[Place, Counter[str]] = defaultdict(Counter)
    for community, compound, category, building, number, parent_id in session.execute(query):
        spot = by_place.get((community, compound, category))
        if spot is None:
            continue
        if building:
            buildings[spot.place][building] += 1
        if parent_id is None and len(spot.orders) < RECENT_ORDERS:
            spot.orders.append(number)
    for place, counted in buildings.items():
        by_place[place].buildings = [b for b, _ in counted.most_common()]
