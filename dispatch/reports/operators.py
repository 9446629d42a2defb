"""话务员工作量: what each person at the desk did in a period, the basis of the hotline's
monthly 绩效. No HTTP here.

Counted from the event log, per actor: each column is the events of its kinds that a desk
user (operator, supervisor, admin) was the actor of in the period. The rules, the scheduler,
SMS and the IVR act as no one, and the teams' own steps are not desk work.
受理 counts only the calls taken at the desk (phone, web, SMS typed in by someone): patrol
reports and the desk's own patrol entries, 12345 and Open311 imports are nobody's intake here.
直接答复 is, of those, the orders answered in the call, as the 日报 counts them (closed and
tagged `answered_at_desk`); the one who took the call is credited, whoever rang back.
An unsatisfied 回访 reopens the order, so it counts under 重办 as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dispatch.auth.models import Role, User
from dispatch.events.models import EventKind, OrderEvent
from dispatch.orders.lifecycle import ANSWERED_AT_DESK
from dispatch.orders.models import Channel, OrderStatus, WorkOrder, tagged
from dispatch.reports.service import Period

DESK_ROLES = (Role.operator.value, Role.supervisor.value, Role.admin.value)
DESK_CHANNELS = (Channel.phone.value, Channel.web.value, Channel.sms.value)
# Each column of the report and the event kinds it counts.
COLUMNS: dict[str, tuple[EventKind, ...]] = {
    "received": (EventKind.received,),  # 受理, at the desk's channels only
    "dispatched": (EventKind.dispatched,),  # 派单 by hand, from triage: the rules act as no one
    "callbacks": (EventKind.callback_recorded,),  # 回访
    "reopened": (EventKind.reopened,),  # 重办
    "cancelled": (EventKind.cancelled,),  # 撤销
    "notes": (EventKind.note_added,),  # 备注
}
COLUMN_OF = {kind.value: column for column, kinds in COLUMNS.items() for kind in kinds}
INTAKE = tuple(kind.value for kind in COLUMNS["received"])
# The counts of a row, in the report's order.
COUNTS = (
    "received",
    "answered_at_desk",
    "dispatched",
    "callbacks",
    "reopened",
    "cancelled",
    "notes",
)


@dataclass
class OperatorTally:
    username: str  # empty on the totals row
    name: str
    role: str | None
    received: int = 0
    answered_at_desk: int = 0  # of those received, answered in the call (直接答复)
    dispatched: int = 0
    callbacks: int = 0
    reopened: int = 0
    cancelled: int = 0
    notes: int = 0

    def count(self, column: str, events: int, answered: int) -> None:
        setattr(self, column, getattr(self, column) + events)
        self.answered_at_desk += answered

    def add(self, other: OperatorTally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class OperatorReport:
    period: Period
    operators: list[OperatorTally]

    @property
    def total(self) -> OperatorTally:
        total = OperatorTally("", "", None)
        for tally in self.operators:
            total.add(tally)
        return total


def operator_report(session: Session, period: Period) -> OperatorReport:
    """Per desk user with any of the counted events in the period: most 受理 first."""
    kind = col(OrderEvent.kind)
    answered = and_(
        kind.in_(INTAKE), col(WorkOrder.status) == OrderStatus.closed, tagged(ANSWERED_AT_DESK)
    )
    grouped = (col(OrderEvent.actor_id), col(User.username), col(User.display_name), col(User.role))
    query = (
        sa_select(*grouped, kind, func.count(), func.sum(case((answered, 1), else_=0)))
        .join(User, col(User.id) == col(OrderEvent.actor_id))
        .join(WorkOrder, col(WorkOrder.id) == col(OrderEvent.order_id))
        .where(
            kind.in_(COLUMN_OF),
            col(OrderEvent.at) >= period.start,
            col(OrderEvent.at) < period.end,
            col(User.role).in_(DESK_ROLES),
            or_(kind.not_in(INTAKE), col(WorkOrder.channel).in_(DESK_CHANNELS)),
        )
        .group_by(*grouped, kind)
    )
    by_user: dict[int, OperatorTally] = {}
    for user_id, username, name, role, event_kind, events, answered_calls in session.execute(query):
        tally = by_user.setdefault(user_id, OperatorTally(username, name, Role(role).value))
        tally.count(COLUMN_OF[event_kind], int(events), int(answered_calls or 0))
    operators = sorted(by_user.values(), key=lambda o: (-o.received, o.name, o.username))
    return OperatorReport(period, operators)
