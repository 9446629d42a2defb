"""民情日志 of a community: the work log each community keeps (DOMAIN.md, step 6): every call
received there in a period, oldest first, with who came, what they needed, who handled it,
what was done and how it ended. No HTTP here.

The log is a paper record: it is printed, filed and shown to visitors. So it names a caller
and shows only a masked phone, and says nothing of a confidential caller at all, whoever
prints it. A merged duplicate keeps its own line (each call was someone who came) and
carries the outcome of the order it joined.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from dispatch.categories.models import Category
from dispatch.errors import InvalidInput
from dispatch.orders.models import (
    ACTIVE_ASSIGNMENT,
    AssignmentRole,
    AssignmentStatus,
    OrderAssignment,
    WorkOrder,
)
from dispatch.phones import mask_phone
from dispatch.places.models import Community, Compound
from dispatch.places.service import require_community
from dispatch.reports.daily import Named, named
from dispatch.reports.service import Period
from dispatch.teams.models import Team

# Teams that did the work, or are doing it: a team that returned the order did neither.
HANDLING = (*ACTIVE_ASSIGNMENT, AssignmentStatus.resolved)


@dataclass
class WorklogEntry:
    number: str
    received_at: datetime
    channel: str
    confidential: bool
    caller_name: str | None  # None for a confidential caller, or one who gave no name
    caller_phone: str | None  # masked
    community: Named | None
    compound: Named | None
    building: str | None
    address_text: str | None
    category: Named
    description: str
    status: str  # a duplicate's follows the order it joined
    merged_into: str | None
    result: str | None  # what was done: the lead team's result
    satisfaction: str | None  # the resident's verdict at the callback
    finished_at: datetime | None  # closed, or else resolved
    teams: list[Named] = field(default_factory=list)  # lead team first


@dataclass
class Worklog:
    period: Period
    community: Named | None  # None: every community of the subdistrict
    count: int
    entries: list[WorklogEntry]


def worklog(
    session: Session,
    period: Period,
    community: str | None,
    offset: int = 0,
    limit: int = 200,
    *,
    most: int | None = None,
) -> Worklog:
    """Calls received in `period` at `community` (all when None), oldest first; a period of
    more than `most` calls is refused before any is read (a file of them all)."""
    if community is not None:
        require_community(session, community, value=community)
    place = named(session, Community, community)
    created = col(WorkOrder.created_at)
    where = [created >= period.start, created < period.end]
    if community is not None:
        where.append(col(WorkOrder.community_code) == community)
    count = session.exec(select(func.count()).select_from(WorkOrder).where(and_(*where))).one()
    if most is not None and count > most:
        raise InvalidInput(f"more than {most} calls in the period: choose fewer days", field="from")
    parent = aliased(WorkOrder)
    rows = session.exec(
        select(WorkOrder, parent)
        .outerjoin(parent, col(parent.id) == col(WorkOrder.parent_id))
        .where(*where)
        .order_by(created, col(WorkOrder.id))
        .offset(offset)
        .limit(limit)
    ).all()
    # A duplicate's teams and outcome are those of the order it joined.
    calls = [(order, merged or order) for order, merged in rows]
    teams = _handling_teams(session, {o.id for _, o in calls if o.id is not None})
    entries = [
        _entry(session, order, outcome, teams.get(outcome.id or 0, [])) for order, outcome in calls
    ]
    return Worklog(period, place, count, entries)


def _entry(
    session: Session, order: WorkOrder, outcome: WorkOrder, teams: list[Named]
) -> WorklogEntry:
    category = named(session, Category, order.category_code)
    return WorklogEntry(
        number=order.number,
        received_at=order.created_at,
        channel=order.channel.value,
        confidential=order.confidential,
        caller_name=None if order.confidential else order.caller_name,
        caller_phone=None if order.confidential else mask_phone(order.caller_phone),
        community=named(session, Community, order.community_code),
        compound=named(session, Compound, order.compound_code),
        building=order.building,
        address_text=order.address_text,
        category=category or Named(order.category_code, order.category_code, ""),
        description=order.description,
        status=outcome.status.value,
        merged_into=outcome.number if outcome is not order else None,
        result=outcome.result,
        satisfaction=outcome.satisfaction,
        finished_at=outcome.closed_at or outcome.resolved_at,
        teams=teams,
    )


def _handling_teams(session: Session, order_ids: set[int]) -> dict[int, list[Named]]:
    if not order_ids:
        return {}
    parts = session.exec(
        select(OrderAssignment.order_id, OrderAssignment.team_code, OrderAssignment.role)
        .where(
            col(OrderAssignment.order_id).in_(order_ids),
            col(OrderAssignment.status).in_(HANDLING),
        )
        .order_by(col(OrderAssignment.id))
    ).all()
    codes: dict[int, dict[str, bool]] = defaultdict(dict)
    for order_id, team, role in parts:
        lead = role == AssignmentRole.lead
        codes[order_id][team] = codes[order_id].get(team, False) or lead
    teams: dict[int, list[Named]] = {}
    for order_id, by_team in codes.items():
        ordered = sorted(by_team, key=lambda code: not by_team[code])  # the lead first
        teams[order_id] = [named(session, Team, code) or Named(code, code, "") for code in ordered]
    return teams
