"""Calling a consultation meeting about orders, moving it, recording what it decided, calling
it off; and who sees which meetings. Each step is an event on every order concerned: on their
timelines (民情日志) and pushed to the invited teams' phones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from dispatch.auth.models import User
from dispatch.errors import Conflict, InvalidInput, NotFound
from dispatch.events.models import EventKind
from dispatch.meetings.models import ConsultationMeeting, MeetingOrder, MeetingStatus
from dispatch.orders import event_log
from dispatch.orders.actors import Actor
from dispatch.orders.models import OrderStatus, WorkOrder
from dispatch.teams.service import in_service

MAX_TEAMS = 12
MAX_ORDERS = 20
# A meeting is recorded when it is called: one already held last week is not called now.
EARLIEST = timedelta(days=1)
LATEST = timedelta(days=90)


def call_meeting(
    session: Session,
    orders: Sequence[WorkOrder],
    actor: Actor,
    now: datetime,
    *,
    topic: str,
    starts_at: datetime,
    place: str,
    teams: Sequence[str],
) -> ConsultationMeeting:
    """The first order is the one the meeting is called from; the others share its problem."""
    invited = list(dict.fromkeys(teams))
    _check_call(session, orders, now, starts_at, invited)
    meeting = ConsultationMeeting(
        topic=topic,
        starts_at=starts_at,
        place=place,
        teams=invited,
        status=MeetingStatus.planned,
        called_by=actor.label,
        called_at=now,
    )
    session.add(meeting)
    session.flush()
    assert meeting.id is not None
    for position, order in enumerate(orders):
        assert order.id is not None
        session.add(MeetingOrder(meeting_id=meeting.id, order_id=order.id, position=position))
    data = {
        "meeting_id": meeting.id,
        "topic": topic,
        "starts_at": starts_at.isoformat(),
        "place": place,
        "teams": invited,
    }
    _log(session, orders, EventKind.meeting_called, actor, now, data, invited)
    return meeting


def _check_call(
    session: Session,
    orders: Sequence[WorkOrder],
    now: datetime,
    starts_at: datetime,
    teams: Sequence[str],
) -> None:
    if not teams:
        raise InvalidInput("invite at least one team", field="teams")
    if len(teams) > MAX_TEAMS:
        raise InvalidInput(f"at most {MAX_TEAMS} teams", field="teams")
    for team in teams:
        if not in_service(session, team):
            raise InvalidInput(f"unknown or out-of-service team {team!r}", field="teams")
    _check_starts_at(starts_at, now - EARLIEST, now + LATEST, "a day ago")
    # The first order is the path's (`order`); the others come in the body (`also_orders`).
    if len({o.id for o in orders}) != len(orders):
        raise InvalidInput("an order is named twice", field="also_orders")
    if len(orders) > MAX_ORDERS:
        raise InvalidInput(f"at most {MAX_ORDERS} orders", field="also_orders")
    for position, order in enumerate(orders):
        if order.status == OrderStatus.cancelled or order.parent_id is not None:
            why = "cancelled" if order.status == OrderStatus.cancelled else "merged"
            field = "also_orders" if position else "order"
            raise InvalidInput(f"order {order.number} is {why}", field=field)


def _check_starts_at(
    starts_at: datetime, earliest: datetime, latest: datetime, earliest_text: str
) -> None:
    if not earliest <= starts_at <= latest:
        raise InvalidInput(
            f"a meeting starts between {earliest_text} and 90 days ahead", field="starts_at"
        )


def move_meeting(
    session: Session,
    meeting: ConsultationMeeting,
    actor: Actor,
    now: datetime,
    *,
    starts_at: datetime,
    place: str | None,
    reason: str,
) -> None:
    """改期: a new time (and place, when given) for a planned meeting; the invited teams hear
    of it as of a meeting called. It keeps its id, so its orders, links and reminder follow."""
    _require_planned(meeting, "move")
    why = reason.strip()
    if not why:
        raise InvalidInput("say why the meeting moves", field="reason")
    where = meeting.place if place is None else place.strip()
    if not where:
        raise InvalidInput("a meeting needs a place", field="place")
    # Unlike a call, which may record one held this morning, a move announces a time to come:
    # teams told "it moved to an hour ago" could not go.
    _check_starts_at(starts_at, now, now + LATEST, "now")
    if starts_at == meeting.starts_at and where == meeting.place:
        raise InvalidInput(
            "nothing changes: the meeting is already then and there", field="starts_at"
        )
    data = {
        "meeting_id": meeting.id,
        "topic": meeting.topic,
        "from_starts_at": meeting.starts_at.isoformat(),
        "starts_at": starts_at.isoformat(),
        "from_place": meeting.place,
        "place": where,
        "reason": why,
    }
    if starts_at != meeting.starts_at:
        meeting.time_moves += 1
    meeting.starts_at, meeting.place = starts_at, where
    session.add(meeting)
    orders = orders_of(session, meeting)
    _log(session, orders, EventKind.meeting_moved, actor, now, data, meeting.teams)


def record_outcome(
    session: Session,
    meeting: ConsultationMeeting,
    actor: Actor,
    now: datetime,
    *,
    outcome: str,
    attended: Sequence[str],
) -> None:
    """What the meeting decided and which invited teams came."""
    _require_planned(meeting, "record the outcome of")
    came = list(dict.fromkeys(attended))
    strangers = [t for t in came if t not in meeting.teams]
    if strangers:
        raise InvalidInput(f"team {strangers[0]!r} was not invited", field="attended")
    meeting.status, meeting.outcome, meeting.attended = MeetingStatus.held, outcome, came
    meeting.ended_at = now
    session.add(meeting)
    data = {"meeting_id": meeting.id, "topic": meeting.topic, "outcome": outcome, "attended": came}
    orders = orders_of(session, meeting)
    _log(session, orders, EventKind.meeting_held, actor, now, data, meeting.teams)


def cancel_meeting(
    session: Session, meeting: ConsultationMeeting, actor: Actor, now: datetime, reason: str
) -> None:
    _require_planned(meeting, "cancel")
    meeting.status, meeting.cancel_reason, meeting.ended_at = MeetingStatus.cancelled, reason, now
    session.add(meeting)
    data = {"meeting_id": meeting.id, "topic": meeting.topic, "reason": reason}
    orders = orders_of(session, meeting)
    _log(session, orders, EventKind.meeting_cancelled, actor, now, data, meeting.teams)


def _require_planned(meeting: ConsultationMeeting, doing: str) -> None:
    if meeting.status != MeetingStatus.planned:
        raise Conflict(
            f"cannot {doing} meeting {meeting.id}: it is {meeting.status.value}",
            field="meeting",
            current_status=meeting.status.value,
        )


def _log(
    session: Session,
    orders: Sequence[WorkOrder],
    kind: EventKind,
    actor: Actor,
    now: datetime,
    data: dict[str, Any],
    teams: Sequence[str] = (),
) -> None:
    for order in orders:
        event_log.log_event(session, order, kind, actor, now, data, extra_teams=teams)


# --- reading -------------------------------------------------------------------------------


def orders_of(session: Session, meeting: ConsultationMeeting) -> list[WorkOrder]:
    query = (
        select(WorkOrder)
        .join(MeetingOrder, col(MeetingOrder.order_id) == col(WorkOrder.id))
        .where(MeetingOrder.meeting_id == meeting.id)
        .order_by(col(MeetingOrder.position))
    )
    return list(session.exec(query).all())


def order_numbers(
    session: Session, meetings: Sequence[ConsultationMeeting]
) -> dict[int, list[str]]:
    """Each meeting's order numbers, in one query."""
    ids = [m.id for m in meetings]
    query = (
        select(MeetingOrder.meeting_id, WorkOrder.number)
        .join(WorkOrder, col(WorkOrder.id) == col(MeetingOrder.order_id))
        .where(col(MeetingOrder.meeting_id).in_(ids))
        .order_by(col(MeetingOrder.meeting_id), col(MeetingOrder.position))
    )
    numbers: dict[int, list[str]] = {i: [] for i in ids if i is not None}
    for meeting_id, number in session.exec(query):
        numbers[meeting_id].append(number)
    return numbers


def meetings_of_order(session: Session, order: WorkOrder) -> list[ConsultationMeeting]:
    query = (
        select(ConsultationMeeting)
        .join(MeetingOrder, col(MeetingOrder.meeting_id) == col(ConsultationMeeting.id))
        .where(MeetingOrder.order_id == order.id)
        .order_by(col(ConsultationMeeting.starts_at), col(ConsultationMeeting.id))
    )
    return list(session.exec(query).all())


def meetings_for(
    session: Session, user: User, status: MeetingStatus | None, limit: int
) -> list[ConsultationMeeting]:
    """Soonest first. Team roles see the meetings their team is invited to; the desk all."""
    query = select(ConsultationMeeting)
    if status is not None:
        query = query.where(ConsultationMeeting.status == status)
    query = query.order_by(col(ConsultationMeeting.starts_at), col(ConsultationMeeting.id))
    if not user.role.is_team_role:
        return list(session.exec(query.limit(limit)).all())
    found = [m for m in session.exec(query) if user.team_code in m.teams]
    return found[:limit]


def visible_meeting(session: Session, user: User, meeting_id: int) -> ConsultationMeeting:
    """Another team's meeting is as good as missing (404), like another team's order."""
    meeting = session.get(ConsultationMeeting, meeting_id)
    if meeting is None or (user.role.is_team_role and user.team_code not in meeting.teams):
        raise NotFound(f"no meeting {meeting_id}", field="meeting")
    return meeting
