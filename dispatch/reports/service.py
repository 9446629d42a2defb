"""The three rates (三率) per team, and the supervisor board's snapshot. No HTTP here.

Per team, over the assignments made in a period (one order can count for several teams
under joint dispatch):
  响应率 response rate     = accepted / dispatched
  解决率 resolution rate   = resolved / dispatched
  满意率 satisfaction rate = satisfied / callbacks, for the orders the team led
A rate with nothing to divide by is None (shown as "—"), never 0 or 100 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from dispatch.events.models import EventKind, OrderEvent
from dispatch.orders.models import (
    ACTIVE_ASSIGNMENT,
    OPEN_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    OrderAssignment,
    OrderStatus,
    WorkOrder,
)
from dispatch.teams.models import Team

# At most this close to its deadline an open order turns amber on the board.
NEARLY_LATE = timedelta(minutes=30)
ESCALATION_KINDS = (EventKind.escalated.value, EventKind.urged.value)


@dataclass(frozen=True)
class Period:
    """Local calendar days, both ends included, as a half-open UTC interval."""

    first: date
    last: date
    timezone: str

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), ZoneInfo(self.timezone))

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), ZoneInfo(self.timezone))

    @classmethod
    def around(
        cls, now: datetime, timezone: str, first: date | None, last: date | None, days: int = 7
    ) -> Period:
        today = now.astimezone(ZoneInfo(timezone)).date()
        last = last or today
        return cls(first or last - timedelta(days=days - 1), last, timezone)


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class ThreeRates:
    """The three rates of a report row, from its counts (the row's dataclass holds them)."""

    dispatched: int
    accepted: int
    resolved: int
    callbacks: int
    satisfied: int

    @property
    def response_rate(self) -> float | None:
        return rate(self.accepted, self.dispatched)

    @property
    def resolution_rate(self) -> float | None:
        return rate(self.resolved, self.dispatched)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfied, self.callbacks)


@dataclass
class TeamRates(ThreeRates):
    team_code: str
    team_name: str
    team_name_en: str
    dispatched: int = 0
    accepted: int = 0
    resolved: int = 0
    returned: int = 0
    callbacks: int = 0
    satisfied: int = 0


def team_rates(session: Session, period: Period) -> list[TeamRates]:
    """Every team in service, busy or not, and a team since taken out of service if it had
    work in the period (last month's figures keep the company whose contract ended), in code
    order."""
    teams = {t.code: t for t in session.exec(select(Team)).all()}
    by_code = {c: TeamRates(c, t.name, t.name_en) for c, t in teams.items() if t.active}
    rows = session.exec(
        select(OrderAssignment, WorkOrder.satisfaction)
        .join(WorkOrder, col(WorkOrder.id) == col(OrderAssignment.order_id))
        .where(
            col(OrderAssignment.assigned_at) >= period.start,
            col(OrderAssignment.assigned_at) < period.end,
        )
    ).all()
    for part, satisfaction in rows:
        stats = by_code.get(part.team_code)
        if stats is None:
            team = teams.get(part.team_code)
            if team is None:
                continue
            stats = by_code[team.code] = TeamRates(team.code, team.name, team.name_en)
        stats.dispatched += 1
        stats.accepted += part.accepted_at is not None
        stats.resolved += part.resolved_at is not None
        stats.returned += part.status == AssignmentStatus.returned
        led = part.role == AssignmentRole.lead and part.status != AssignmentStatus.returned
        if led and satisfaction is not None:
            stats.callbacks += 1
            stats.satisfied += satisfaction == "satisfied"
    return sorted(by_code.values(), key=lambda stats: stats.team_code)


# --- the board ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DueOrder:
    number: str
    status: str
    priority: str
    category: str
    description: str
    teams: list[str]
    due_at: datetime
    due_kind: str  # "accept" or "resolve"
    late: bool


@dataclass
class Board:
    now: datetime
    counts: dict[str, int]
    late: list[DueOrder]
    nearly_late: list[DueOrder]
    intake_by_hour: list[tuple[datetime, int]]
    escalations: list[dict[str, Any]] = field(default_factory=list)


def counts_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(WorkOrder.status, func.count()).group_by(col(WorkOrder.status))
    ).all()
    found = {OrderStatus(s).value: int(n) for s, n in rows}
    return {s.value: found.get(s.value, 0) for s in OrderStatus}


def _deadline(order: WorkOrder) -> tuple[datetime, str, datetime | None] | None:
    """The deadline that matters now, what it is for, and when its clock started."""
    if order.status == OrderStatus.dispatched and order.accept_due_at is not None:
        return order.accept_due_at, "accept", order.dispatched_at
    working = (OrderStatus.dispatched, OrderStatus.accepted, OrderStatus.in_progress)
    if order.status in working and order.resolve_due_at is not None:
        return order.resolve_due_at, "resolve", order.accepted_at or order.dispatched_at
    return None


def nearly_late_margin(due: datetime, started: datetime | None) -> timedelta:
    """The last third of the time allowed, and never more than NEARLY_LATE: a 15-minute
    accept window turns amber 5 minutes before, a 7-day one 30 minutes before."""
    if started is None or started >= due:
        return NEARLY_LATE
    return min(NEARLY_LATE, (due - started) / 3)


# An open order, the deadline that matters now, what it is for ("accept" or "resolve"), and
# when its clock started.
RunningDeadline = tuple[WorkOrder, datetime, str, datetime | None]


def _running_deadlines(session: Session) -> list[RunningDeadline]:
    """Every open order with a deadline running, the soonest due first; a merged duplicate
    is left out (it follows its parent's)."""
    orders = session.exec(
        select(WorkOrder).where(
            col(WorkOrder.status).in_(OPEN_STATUSES),
            col(WorkOrder.parent_id).is_(None),
        )
    ).all()
    found: list[RunningDeadline] = []
    for order in orders:
        deadline = _deadline(order)
        if deadline is not None:
            found.append((order, *deadline))
    found.sort(key=lambda item: item[1])
    return found


def late_orders(session: Session, now: datetime) -> list[WorkOrder]:
    """Open orders not accepted or not resolved by their deadline, the most overdue first."""
    return [order for order, due, _, _ in _running_deadlines(session) if due <= now]


def due_orders(session: Session, now: datetime, limit: int = 50) -> list[DueOrder]:
    """Open orders that are late or nearly so, the most overdue first."""
    found = [
        (order, due, kind)
        for order, due, kind, started in _running_deadlines(session)
        if due - now <= nearly_late_margin(due, started)
    ][:limit]
    teams = _active_teams(session, [o.id for o, _, _ in found if o.id is not None])
    return [
        DueOrder(
            number=o.number,
            status=o.status.value,
            priority=o.priority.value,
            category=o.category_code,
            description=o.description,
            teams=teams.get(o.id or 0, []),
            due_at=due,
            due_kind=kind,
            late=due <= now,
        )
        for o, due, kind in found
    ]


def _active_teams(session: Session, order_ids: Sequence[int]) -> dict[int, list[str]]:
    if not order_ids:
        return {}
    rows = session.exec(
        select(OrderAssignment).where(
            col(OrderAssignment.order_id).in_(order_ids),
            col(OrderAssignment.status).in_(ACTIVE_ASSIGNMENT),
        )
    ).all()
    teams: dict[int, list[str]] = {}
    for part in sorted(rows, key=lambda p: (p.role != AssignmentRole.lead, p.id or 0)):
        teams.setdefault(part.order_id, []).append(part.team_code)
    return teams


def intake_by_hour(
    session: Session, now: datetime, timezone: str, hours: int = 24
) -> list[tuple[datetime, int]]:
    """Orders received per local hour over the last `hours`, oldest first, empty hours too."""
    tz = ZoneInfo(timezone)
    current = now.astimezone(tz).replace(minute=0, second=0, microsecond=0)
    first = current - timedelta(hours=hours - 1)
    stamps = session.exec(
        select(WorkOrder.created_at).where(col(WorkOrder.created_at) >= first)
    ).all()
    counts = Counter(s.astimezone(tz).replace(minute=0, second=0, microsecond=0) for s in stamps)
    return [
        (first + timedelta(hours=i), counts.get(first + timedelta(hours=i), 0))
        for i in range(hours)
    ]


def escalation_feed(
    session: Session,
    limit: int = 30,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[dict[str, Any]]:
    """The latest urges and escalations, newest first; between `start` and `end` if given."""
    query = (
        select(OrderEvent, WorkOrder.number)
        .join(WorkOrder, col(WorkOrder.id) == col(OrderEvent.order_id))
        .where(col(OrderEvent.kind).in_(ESCALATION_KINDS))
    )
    if start is not None:
        query = query.where(col(OrderEvent.at) >= start)
    if end is not None:
        query = query.where(col(OrderEvent.at) < end)
    rows = session.exec(query.order_by(col(OrderEvent.id).desc()).limit(limit)).all()
    return [
        {
            "id": event.id,
            "order_number": number,
            "kind": event.kind,
            "actor": event.actor,
            "at": event.at,
            "team_codes": event.team_codes,
            "data": event.data,
        }
        for event, number in rows
    ]


def board(session: Session, now: datetime, timezone: str) -> Board:
    due = due_orders(session, now)
    return Board(
        now=now,
        counts=counts_by_status(session),
        late=[d for d in due if d.late],
        nearly_late=[d for d in due if not d.late],
        intake_by_hour=intake_by_hour(session, now, timezone),
        escalations=escalation_feed(session),
    )
