"""What a field worker hears of their own report (巡查上报): that it was resolved and how,
called off and why, or joined to a report of the same problem. Push and SMS to their phone,
queued in the transaction that records the event (registered with `db.bus.on_recorded`)."""

from __future__ import annotations

from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from dispatch.auth.models import User
from dispatch.events.bus import EventBus, EventMessage
from dispatch.events.models import EventKind
from dispatch.notify.service import push_and_sms
from dispatch.orders.models import WorkOrder
from dispatch.orders.notices import notice_text
from dispatch.orders.service import reported_by

HEADING = "【上报反馈】"


def outcome(message: EventMessage) -> str | None:
    """How the report ended, in the reporter's words; None while it is still under way."""
    data = message.data
    if message.kind == EventKind.resolved.value and data.get("role") == "lead":
        return f"已办结：{data.get('result', '')}"
    if message.kind == EventKind.cancelled.value:
        return f"已撤销：{data.get('reason', '')}"
    if message.kind == EventKind.merged_into.value:
        return f"与 {data.get('parent', '')} 为同一问题，已并入一并办理"
    return None


def tell_reporter(session: Session, message: EventMessage) -> list[str]:
    """Push and SMS to whoever reported the order on patrol; returns who was told."""
    ended = outcome(message)
    if ended is None:
        return []
    order = session.get(WorkOrder, message.order_id)
    reporter = session.get(User, order.created_by_id) if order and order.created_by_id else None
    if order is None or reporter is None or not reported_by(order, reporter):
        return []
    if not reporter.role.is_team_role or reporter.id == message.actor_id or not reporter.active:
        return []  # the desk's own patrol entries, or the reporter closing it themselves
    text = notice_text(session, HEADING, order, ended)
    return push_and_sms(
        session, reporter, text, now=message.at, ref=f"report:{message.id}", order_id=order.id
    )


def report_notices(orm_session: OrmSession, message: EventMessage) -> None:
    session = orm_session
    assert isinstance(session, Session)  # the desk's units of work are SQLModel sessions
    tell_reporter(session, message)


def install_report_notices(bus: EventBus) -> None:
    bus.on_recorded_once("report_notices", report_notices)
