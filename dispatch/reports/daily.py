"""日报: one local day at the desk, for the office's morning meeting. No HTTP here.

Intake counts the orders received that day (merged duplicates too: each was a call), and
of those, the ones the desk answered in the call (直接答复).
Progress counts the orders that were dispatched, accepted, resolved or closed that day, read
from the event log, each order once per step however often the step happened.
Late orders are those whose accept or resolve deadline fell that day (up to now, for today)
and were not accepted or resolved by it. Satisfaction counts the callbacks made that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from dispatch.categories.models import Category
from dispatch.events.models import EventKind, OrderEvent
from dispatch.orders.lifecycle import ANSWERED_AT_DESK
from dispatch.orders.models import (
    AssignmentRole,
    Channel,
    OrderAssignment,
    OrderStatus,
    WorkOrder,
    tagged,
)
from dispatch.places.models import Community, Compound
from dispatch.reference import reference_row
from dispatch.reports.service import Period, escalation_feed, rate
from dispatch.teams.models import Team

PROGRESS_KINDS = (
    EventKind.dispatched.value,
    EventKind.accepted.value,
    EventKind.resolved.value,
    EventKind.closed.value,
)
SATISFACTION = ("satisfied", "partly", "unsatisfied")
# 催办 before 督办: the order in which a late order is chased.
CHASES = (EventKind.urged.value, EventKind.escalated.value)


@dataclass(frozen=True)
class Named:
    """A team or category as the report shows it: code and both names."""

    code: str
    name: str
    name_en: str


def named(
    session: Session, model: type[Community | Compound | Category | Team], code: str | None
) -> Named | None:
    """From the reference rows intake keeps in memory: no query for names already known."""
    row = reference_row(session, model, code) if code else None
    return Named(row.code, row.name, row.name_en) if row else None


@dataclass(frozen=True)
class CategoryCount:
    category: Named
    count: int


@dataclass(frozen=True)
class LateOrder:
    number: str
    category: Named
    status: str
    team: Named | None  # the lead team
    due_kind: str  # "accept" or "resolve"
    due_at: datetime
    done_at: datetime | None  # accepted or resolved after the deadline; None: not yet


@dataclass
class DailySummary:
    day: date
    timezone: str
    start: datetime
    end: datetime
    as_of: datetime  # the end of the day, or now while the day is still running
    received: int
    answered_at_desk: int  # of those received, answered in the call (直接答复): no team sent
    by_channel: dict[str, int]
    by_category: list[CategoryCount]
    progress: dict[str, int]
    late: list[LateOrder]
    escalation_counts: dict[str, int]
    escalations: list[dict[str, Any]] = field(default_factory=list)
    satisfaction: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.as_of >= self.end

    @property
    def callbacks(self) -> int:
        return sum(self.satisfaction.values())

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfaction.get("satisfied", 0), self.callbacks)


def _received_on(day: Period) -> ColumnElement[bool]:
    return and_(col(WorkOrder.created_at) >= day.start, col(WorkOrder.created_at) < day.end)


def _answered_at_desk(session: Session, day: Period) -> int:
    """The day's calls the desk answered itself (closed, tagged so), as 话务员工作量 counts them."""
    closed = WorkOrder.status == OrderStatus.closed
    query = select(func.count()).where(_received_on(day), closed, tagged(ANSWERED_AT_DESK))
    return int(session.exec(query).one())


def _by_channel(session: Session, day: Period) -> dict[str, int]:
    rows = session.exec(
        select(WorkOrder.channel, func.count())
        .where(_received_on(day))
        .group_by(col(WorkOrder.channel))
    ).all()
    found = {Channel(c).value: int(n) for c, n in rows}
    return {c.value: found.get(c.value, 0) for c in Channel}


def _by_category(session: Session, day: Period) -> list[CategoryCount]:
    """The categories that had intake, busiest first."""
    rows = session.exec(
        select(WorkOrder.category_code, Category.name, Category.name_en, func.count())
        .join(Category, col(Category.code) == col(WorkOrder.category_code))
        .where(_received_on(day))
        .group_by(col(WorkOrder.category_code), col(Category.name), col(Category.name_en))
    ).all()
    counts = [CategoryCount(Named(code, name, name_en), int(n)) for code, name, name_en, n in rows]
    return sorted(counts, key=lambda c: (-c.count, c.category.code))


def _events_on(day: Period, kinds: tuple[str, ...]) -> list[ColumnElement[bool]]:
    return [
        col(OrderEvent.kind).in_(kinds),
        col(OrderEvent.at) >= day.start,
        col(OrderEvent.at) < day.end,
    ]


def _count_events(
    session: Session, day: Period, kinds: tuple[str, ...], *, orders: bool = False
) -> dict[str, int]:
    """Events of each kind that day (or, with `orders`, the orders they happened to)."""
    counted = func.count(func.distinct(OrderEvent.order_id)) if orders else func.count()
    rows = session.exec(
        select(OrderEvent.kind, counted)
        .where(*_events_on(day, kinds))
        .group_by(col(OrderEvent.kind))
    ).all()
    found = {str(kind): int(n) for kind, n in rows}
    return {kind: found.get(kind, 0) for kind in kinds}


def _satisfaction(session: Session, day: Period) -> dict[str, int]:
    # The verdict sits in the event's JSON data, read the same way on both databases.
    events = session.exec(
        select(OrderEvent.data).where(*_events_on(day, (EventKind.callback_recorded.value,)))
    ).all()
    counts = dict.fromkeys(SATISFACTION, 0)
    for data in events:
        verdict = data.get("satisfaction")
        if verdict in counts:
            counts[verdict] += 1
    return counts


def _missed(due: Any, done: Any, start: datetime, cut: datetime) -> ColumnElement[bool]:
    """The deadline fell in [start, cut) and the step came after it, or not at all."""
    return and_(due >= start, due < cut, or_(done.is_(None), done > due))


def _lead_teams(session: Session, order_ids: list[int]) -> dict[int, Named]:
    if not order_ids:
        return {}
    rows = session.exec(
        select(OrderAssignment.order_id, Team.code, Team.name, Team.name_en)
        .join(Team, col(Team.code) == col(OrderAssignment.team_code))
        .where(
            col(OrderAssignment.order_id).in_(order_ids),
            OrderAssignment.role == AssignmentRole.lead,
        )
        .order_by(col(OrderAssignment.id))
    ).all()
    # The latest lead part wins: after a reassignment that is the team holding the order.
    return {order_id: Named(code, name, name_en) for order_id, code, name, name_en in rows}


def _late(session: Session, day: Period, cut: datetime) -> list[LateOrder]:
    accept_missed = _missed(
        col(WorkOrder.accept_due_at), col(WorkOrder.accepted_at), day.start, cut
    )
    resolve_missed = _missed(
        col(WorkOrder.resolve_due_at), col(WorkOrder.resolved_at), day.start, cut
    )
    rows = session.exec(
        select(WorkOrder, Category.name, Category.name_en)
        .join(Category, col(Category.code) == col(WorkOrder.category_code))
        .where(
            col(WorkOrder.parent_id).is_(None),
            WorkOrder.status != OrderStatus.cancelled,
            or_(accept_missed, resolve_missed),
        )
    ).all()
    teams = _lead_teams(session, [o.id for o, _, _ in rows if o.id is not None])
    found: list[LateOrder] = []
    for order, category_name, category_name_en in rows:
        steps = (
            ("accept", order.accept_due_at, order.accepted_at),
            ("resolve", order.resolve_due_at, order.resolved_at),
        )
        for kind, due, done in steps:
            if due is None or not day.start <= due < cut or (done is not None and done <= due):
                continue
            found.append(
                LateOrder(
                    number=order.number,
                    category=Named(order.category_code, category_name, category_name_en),
                    status=order.status.value,
                    team=teams.get(order.id or 0),
                    due_kind=kind,
                    due_at=due,
                    done_at=done,
                )
            )
    return sorted(found, key=lambda late: (late.due_at, late.number))


def daily_summary(session: Session, day: date, timezone: str, now: datetime) -> DailySummary:
    """The summary of local day `day`; for today, as far as it has gone."""
    period = Period(day, day, timezone)
    as_of = min(now, period.end)
    return DailySummary(
        day=day,
        timezone=timezone,
        start=period.start,
        end=period.end,
        as_of=as_of,
        received=session.exec(select(func.count()).where(_received_on(period))).one(),
        answered_at_desk=_answered_at_desk(session, period),
        by_channel=_by_channel(session, period),
        by_category=_by_category(session, period),
        progress=_count_events(session, period, PROGRESS_KINDS, orders=True),
        late=_late(session, period, as_of),
        escalation_counts=_count_events(session, period, CHASES),
        escalations=escalation_feed(session, limit=200, start=period.start, end=period.end),
        satisfaction=_satisfaction(session, period),
    )
