"""查询进度: where a resident's own orders stand, in the resident's words (SMS and phone)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from dispatch.categories.models import Category
from dispatch.orders.models import (
    ACTIVE_ASSIGNMENT,
    OPEN_STATUSES,
    AssignmentRole,
    OrderStatus,
    WorkOrder,
)
from dispatch.orders.parts import assignments
from dispatch.reference import reference_row
from dispatch.teams.models import Team
from hotline.voice.script import ProgressScript

# A resident hears "accepted" whether the team has only signed for it or reported progress.
STAGE = {
    OrderStatus.received: "received",
    OrderStatus.triage: "triage",
    OrderStatus.dispatched: "dispatched",
    OrderStatus.accepted: "accepted",
    OrderStatus.in_progress: "accepted",
    OrderStatus.resolved: "resolved",
    OrderStatus.closed: "closed",
    OrderStatus.cancelled: "cancelled",
}
RESULT_CHARS = 40  # a long 办结 report is for the desk; the resident gets its opening words


def callers_orders(
    session: Session, phone: str, now: datetime, progress: ProgressScript
) -> list[WorkOrder]:
    """The caller's newest orders of the window, open ones first."""
    newest_first = (
        select(WorkOrder)
        .where(
            WorkOrder.caller_phone == phone,
            col(WorkOrder.created_at) >= now - timedelta(days=progress.window_days),
        )
        .order_by(col(WorkOrder.created_at).desc(), col(WorkOrder.id).desc())
    )
    found = list(
        session.exec(
            newest_first.where(col(WorkOrder.status).in_(OPEN_STATUSES)).limit(progress.newest)
        ).all()
    )
    if len(found) < progress.newest:
        done = newest_first.where(col(WorkOrder.status).not_in(OPEN_STATUSES))
        found += session.exec(done.limit(progress.newest - len(found))).all()
    return found


def callers_order(session: Session, phone: str, number: str) -> WorkOrder | None:
    """The order by its number only if this phone made it: one query whether it exists or not."""
    return session.exec(
        select(WorkOrder).where(WorkOrder.number == number, WorkOrder.caller_phone == phone)
    ).first()


def _lead_team(session: Session, order: WorkOrder) -> Team | None:
    # A merged duplicate's own parts are withdrawn: the order it joined is handled for it.
    handled = session.get(WorkOrder, order.parent_id) if order.parent_id else order
    leads = [a for a in assignments(session, handled or order) if a.role == AssignmentRole.lead]
    current = [a for a in leads if a.status in ACTIVE_ASSIGNMENT] or leads
    return reference_row(session, Team, current[-1].team_code) if current else None


def _name(row: Team | Category | None, language: str, fallback: str) -> str:
    if row is None:
        return fallback
    return row.name if language.startswith("zh") or not row.name_en else row.name_en


def where_it_stands(
    session: Session,
    order: WorkOrder,
    progress: ProgressScript,
    language: str,
    max_chars: int | None = None,
) -> str:
    """One line: the number, the category and how far it has got; nothing of a confidential one."""
    if order.confidential:
        return progress.line(language, "confidential").format(number=order.number)
    stage = STAGE[order.status]
    team = _lead_team(session, order) if stage in ("dispatched", "accepted") else None
    if stage in ("dispatched", "accepted") and team is None:
        stage = "triage"  # no team holds it now (returned, out of service): the desk has it
    result = (order.result or "").strip()
    line = progress.line(language, stage).format(
        number=order.number,
        category=_name(
            reference_row(session, Category, order.category_code), language, order.category_code
        ),
        team=_name(team, language, ""),
        result=result if len(result) <= RESULT_CHARS else result[: RESULT_CHARS - 1] + "…",
    )
    if max_chars is not None and len(line) > max_chars:
        return line[: max_chars - 1] + "…"
    return line
