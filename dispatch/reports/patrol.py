"""巡查上报统计: what each field worker reported in a period and what became of it, the figures
grid work is judged by: how many problems they found, how many they dealt with on the spot
(自行处置率), and how many of those sent on to a team are resolved.

Counted per reporter from the orders themselves: a report is a `patrol` order its reporter
made (the desk's own patrol entries and the scheduler's visits are not anyone's reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dispatch.auth.models import User
from dispatch.orders.models import OPEN_STATUSES, Channel, OrderStatus, WorkOrder
from dispatch.patrol.service import HANDLED_ON_SITE
from dispatch.reports.daily import Named, named
from dispatch.reports.service import Period, rate
from dispatch.teams.models import Team

DONE = (OrderStatus.resolved, OrderStatus.closed)


@dataclass
class ReporterTally:
    username: str
    name: str
    team: Named | None
    reported: int = 0
    on_site: int = 0  # 即报即办: dealt with by the reporter there and then
    resolved: int = 0  # of those sent on to a team
    open: int = 0  # still being worked on (a merged duplicate follows its parent)
    cancelled: int = 0

    @property
    def sent_on(self) -> int:
        return self.reported - self.on_site

    @property
    def on_site_rate(self) -> float | None:
        return rate(self.on_site, self.reported)

    def count(self, status: OrderStatus, tags: list[Any]) -> None:
        self.reported += 1
        if HANDLED_ON_SITE in tags:
            self.on_site += 1
        elif status in DONE:
            self.resolved += 1
        elif status in OPEN_STATUSES:
            self.open += 1
        else:
            self.cancelled += 1


@dataclass
class PatrolReport:
    period: Period
    reporters: list[ReporterTally]
    total: ReporterTally


def patrol_report(session: Session, period: Period) -> PatrolReport:
    """Per reporter: most reports first, then by team and name."""
    created = col(WorkOrder.created_at)
    query = (
        sa_select(
            col(User.username),
            col(User.display_name),
            col(User.team_code),
            col(WorkOrder.status),
            col(WorkOrder.tags),
        )
        .join(User, col(User.id) == col(WorkOrder.created_by_id))
        .where(
            col(WorkOrder.channel) == Channel.patrol.value,
            created >= period.start,
            created < period.end,
            col(User.team_code).is_not(None),
        )
    )
    by_reporter: dict[str, ReporterTally] = {}
    total = ReporterTally("", "", None)
    for username, name, team_code, status, tags in session.execute(query):
        tally = by_reporter.get(username)
        if tally is None:
            tally = ReporterTally(username, name, named(session, Team, team_code))
            by_reporter[username] = tally
        tally.count(OrderStatus(status), list(tags or []))
        total.count(OrderStatus(status), list(tags or []))
    reporters = sorted(
        by_reporter.values(),
        key=lambda r: (-r.reported, r.team.code if r.team else "", r.username),
    )
    return PatrolReport(period, reporters, total)
