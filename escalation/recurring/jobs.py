"""The recurring jobs. Each period runs once: the run row and the work commit together, and
the (job, period_key) unique key turns a second scheduler's attempt into a no-op."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from dispatch.auth.models import Role, User
from dispatch.database import Database, insert_on_conflict
from dispatch.events.models import EventKind, OrderEvent
from dispatch.meetings.models import ConsultationMeeting, MeetingStatus
from dispatch.meetings.notices import meeting_text, tell_invited_teams
from dispatch.notify.port import NotifyChannel
from dispatch.notify.service import enqueue
from dispatch.orders import event_log, lifecycle
from dispatch.orders.actors import Actor
from dispatch.orders.models import OPEN_STATUSES, Channel, OrderStatus, Priority, WorkOrder
from dispatch.orders.numbering import next_order_number
from dispatch.residents.models import AssistedResident
from dispatch.teams.service import in_service
from escalation.policies.config import RecurringSpec
from escalation.recurring.models import RecurringRun
from escalation.recurring.periods import latest_daily, latest_weekly
from escalation.timeline import EscalationEventKind, log

log_ = logging.getLogger(__name__)
ACTOR = Actor.system("recurring")
_TABLE = RecurringRun.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RecurringContext:
    spec: RecurringSpec
    timezone: str
    number_prefix: str = "WO"


def claim_period(
    session: Session, job: str, period_key: str, now: datetime, worker: str, detail: str = ""
) -> bool:
    """True if this transaction owns the period; False if it already ran (or is running)."""
    statement = (
        insert_on_conflict(session, _TABLE)
        .values(job=job, period_key=period_key, ran_at=now, worker=worker, detail=detail)
        .on_conflict_do_nothing(index_elements=["job", "period_key"])
        .returning(_TABLE.c.id)
    )
    return session.execute(statement).scalar() is not None


def record_detail(session: Session, job: str, period_key: str, detail: str) -> None:
    """What the period's run did, on its claim row (cut to the column's length)."""
    session.execute(
        update(RecurringRun)
        .where(col(RecurringRun.job) == job, col(RecurringRun.period_key) == period_key)
        .values(detail=detail[:500])
    )


def _has_history(session: Session, job: str) -> bool:
    return session.exec(select(RecurringRun.id).where(RecurringRun.job == job)).first() is not None


def _periodic(
    db: Database,
    job: str,
    period_key: str,
    now: datetime,
    worker: str,
    work: Callable[[Session], str],
) -> bool:
    """Run `work` for the period unless done. The first time a job is ever seen, its current
    period is only recorded as the baseline: a fresh install does not replay the past."""
    with db.session(write=True) as session:
        if not _has_history(session, job):
            claim_period(session, job, period_key, now, worker, "baseline: first start")
            return False
        if not claim_period(session, job, period_key, now, worker):
            return False
        record_detail(session, job, period_key, work(session))
        return True


def create_visit_order(
    session: Session, resident: AssistedResident, ctx: RecurringContext, now: datetime
) -> WorkOrder:
    spec = ctx.spec.weekly_visits
    assert resident.care_team_code is not None
    local_day = now.astimezone(ZoneInfo(ctx.timezone)).date()
    order = WorkOrder(
        number=next_order_number(session, local_day, ctx.number_prefix),
        channel=Channel.patrol,
        status=OrderStatus.received,
        priority=Priority(spec.priority),
        category_code=spec.category,
        description=f"民意5来听：每周上门走访 {resident.name}。{resident.care_note}".strip(),
        caller_name=resident.name,
        caller_phone=resident.phone,
        caller_flags=["assisted", resident.kind.value],
        community_code=resident.community_code,
        address_text=resident.address or None,
        tags=["care_visit", "recurring"],
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    session.flush()
    event_log.log_event(session, order, EventKind.received, ACTOR, now, {"channel": "patrol"})
    lifecycle.dispatch(
        session,
        order,
        lead=resident.care_team_code,
        actor=ACTOR,
        now=now,
        data={"recurring": "weekly_visits"},
    )
    return order


def weekly_visits(db: Database, now: datetime, worker: str, ctx: RecurringContext) -> bool:
    spec = ctx.spec.weekly_visits
    if not spec.enabled:
        return False
    period = latest_weekly(now, spec.weekday, spec.at, ctx.timezone).isoformat()

    def work(session: Session) -> str:
        residents = session.exec(
            select(AssistedResident)
            .where(col(AssistedResident.care_team_code).is_not(None), col(AssistedResident.active))
            .order_by(col(AssistedResident.phone))
        ).all()
        # One resident whose care team left service must not cost everyone else their visit.
        visited = [r for r in residents if in_service(session, r.care_team_code or "")]
        numbers = [create_visit_order(session, r, ctx, now).number for r in visited]
        missed = len(residents) - len(visited)
        without_team = f"; {missed} whose care team is out of service" if missed else ""
        return f"{len(numbers)} visit orders: {', '.join(numbers)}{without_team}"

    return _periodic(db, "weekly_visits", period, now, worker, work)


def _supervisors(session: Session) -> list[User]:
    return list(
        session.exec(select(User).where(User.role == Role.supervisor, col(User.active))).all()
    )


def daily_summary(db: Database, now: datetime, worker: str, ctx: RecurringContext) -> bool:
    spec = ctx.spec.daily_summary
    if not spec.enabled:
        return False
    period = latest_daily(now, spec.at, ctx.timezone).isoformat()

    def work(session: Session) -> str:
        open_q = (
            select(func.count())
            .select_from(WorkOrder)
            .where(col(WorkOrder.status).in_([s.value for s in OPEN_STATUSES]))
        )
        opened = session.exec(open_q).one()
        late = session.exec(open_q.where(col(WorkOrder.resolve_due_at) < now)).one()
        escalated = session.exec(
            select(func.count())
            .select_from(OrderEvent)
            .where(
                OrderEvent.kind == EventKind.escalated.value,
                col(OrderEvent.at) >= now - timedelta(days=1),
            )
        ).one()
        text = (
            f"【日报 {period}】在办工单 {opened} 件，超期 {late} 件，近24小时督办 {escalated} 次。"
        )
        for user in _supervisors(session):
            enqueue(
                session,
                recipient=f"user:{user.username}",
                channel=NotifyChannel.push,
                message=text,
                now=now,
                ref=f"daily_summary:{period}",
                user_id=user.id,
            )
        return text

    return _periodic(db, "daily_summary", period, now, worker, work)


def callback_reminders(
    db: Database, now: datetime, worker: str, ctx: RecurringContext, limit: int = 200
) -> int:
    """回访: one reminder on the timeline per resolved order, `after` its resolution."""
    spec = ctx.spec.callback_reminder
    if not spec.enabled:
        return 0
    cutoff = now - spec.after
    with db.session() as session:
        candidates = session.exec(
            select(WorkOrder.id, WorkOrder.resolved_at)
            .where(WorkOrder.status == OrderStatus.resolved, col(WorkOrder.resolved_at) <= cutoff)
            .order_by(col(WorkOrder.resolved_at))
            .limit(5000)
        ).all()
        keys = {f"{oid}:{at.isoformat()}": oid for oid, at in candidates if oid and at}
        done = (
            set(
                session.exec(
                    select(RecurringRun.period_key).where(
                        RecurringRun.job == "callback_reminder",
                        col(RecurringRun.period_key).in_(list(keys)),
                    )
                ).all()
            )
            if keys
            else set()
        )
    reminded = 0
    for key, order_id in keys.items():
        if key in done or reminded >= limit:
            continue
        with db.session(write=True) as session:
            order = session.get(WorkOrder, order_id)
            if order is None or order.status != OrderStatus.resolved:
                continue
            if not claim_period(session, "callback_reminder", key, now, worker):
                continue
            data = {"resolved_at": order.resolved_at.isoformat() if order.resolved_at else None}
            log(session, order, EscalationEventKind.callback_due, ACTOR, now, data)
            reminded += 1
    return reminded


def meeting_reminder_key(meeting: ConsultationMeeting) -> str:
    """One key per stay at a time: a meeting moved away and back is at that time anew. Until
    its time first moves it keeps the key of before moves were counted (its id and time), so
    the claims a desk made before upgrading still hold and nobody is reminded twice."""
    key = f"{meeting.id}:{meeting.starts_at.isoformat()}"
    return f"{key}:{meeting.time_moves}" if meeting.time_moves else key


def meeting_reminders(db: Database, now: datetime, worker: str, ctx: RecurringContext) -> int:
    """协商会议: the invited teams' leaders are reminded once, `before` the meeting starts."""
    spec = ctx.spec.meeting_reminder
    if not spec.enabled:
        return 0
    with db.session() as session:
        soon = session.exec(
            select(ConsultationMeeting.id).where(
                ConsultationMeeting.status == MeetingStatus.planned,
                col(ConsultationMeeting.starts_at) > now,
                col(ConsultationMeeting.starts_at) <= now + spec.before,
            )
        ).all()
    reminded = 0
    for meeting_id in soon:
        with db.session(write=True) as session:
            meeting = session.get(ConsultationMeeting, meeting_id)
            if meeting is None or meeting.status != MeetingStatus.planned:
                continue
            # Keyed by the time it starts, as read now: a meeting moved (改期) after its
            # reminder went out is reminded again before its new time, and one moved out of
            # the window since the query above is not reminded of a time it no longer has.
            if not now < meeting.starts_at <= now + spec.before:
                continue
            key = meeting_reminder_key(meeting)
            if not claim_period(session, "meeting_reminder", key, now, worker):
                continue
            text = meeting_text(session, meeting, "【协商会议提醒】", ctx.timezone)
            ref = f"meeting:{meeting_id}:reminder"
            tell_invited_teams(session, meeting, text, now=now, timezone=ctx.timezone, ref=ref)
            reminded += 1
    return reminded


def run_recurring(db: Database, now: datetime, worker: str, ctx: RecurringContext) -> None:
    for job in (weekly_visits, daily_summary):
        try:
            job(db, now, worker, ctx)
        except Exception:
            log_.exception("recurring job %s failed; it is tried again next pass", job.__name__)
    for reminders in (callback_reminders, meeting_reminders):
        try:
            reminders(db, now, worker, ctx)
        except Exception:
            log_.exception("%s failed; tried again next pass", reminders.__name__)
