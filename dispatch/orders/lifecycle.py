"""The work-order state machine: each change checks the move, edits the row, logs one event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from dispatch.auth.models import User
from dispatch.errors import Conflict, InvalidInput
from dispatch.events.models import EventKind
from dispatch.orders.actors import Actor
from dispatch.orders.event_log import log_event
from dispatch.orders.models import (
    ACTIVE_ASSIGNMENT,
    OPEN_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    OrderAssignment,
    OrderStatus,
    WorkOrder,
)
from dispatch.orders.parts import active_team_codes, assignments, merged_children
from dispatch.photos.models import OrderPhoto
from dispatch.reference import reference_row
from dispatch.teams.models import Team
from dispatch.teams.service import in_service

S = OrderStatus
# What may be recorded on an order while it is handled or awaits its callback.
_RECORDING = ("note", "add_photo", "correct")
ALLOWED_ACTIONS: dict[OrderStatus, tuple[str, ...]] = {
    S.received: ("dispatch", "answer", "cancel", "correct"),
    S.triage: ("dispatch", "answer", "cancel", "merge", *_RECORDING),
    S.dispatched: (
        "accept",
        "hand_over",  # 签收 and 派给队员 in one: the leader takes it on for a member
        "return",
        "reassign",
        "add_team",
        "cancel",
        "merge",
        "urge",
        "extend",
        *_RECORDING,
    ),
    S.accepted: (
        "start",
        "hand_over",
        "resolve",
        "return",
        "reassign",
        "add_team",
        "cancel",
        "urge",
        "extend",
        *_RECORDING,
    ),
    S.in_progress: (
        "resolve",
        "hand_over",
        "reassign",
        "add_team",
        "cancel",
        "urge",
        "extend",
        *_RECORDING,
    ),
    S.resolved: ("close", "reopen", "callback", *_RECORDING),
    S.closed: ("reopen",),
    S.cancelled: (),
}


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


def allowed_actions(order: WorkOrder) -> list[str]:
    if order.parent_id is not None:
        return []  # a merged order follows its parent and takes no actions of its own
    return list(ALLOWED_ACTIONS[order.status])


def require_allowed(order: WorkOrder, action: str) -> None:
    if action not in allowed_actions(order):
        allowed = allowed_actions(order)
        state = (
            f"merged into another order ({order.status.value})"
            if order.parent_id
            else (order.status.value)
        )
        raise TransitionNotAllowed(
            f"cannot {action} order {order.number}: it is {state}",
            current_status=order.status.value,
            allowed_actions=allowed,
        )


def _set_status(
    session: Session, order: WorkOrder, status: OrderStatus, actor: Actor, now: datetime
) -> None:
    order.status = status
    for child in merged_children(session, order):
        child.status = status
        log_event(session, child, EventKind.follows_parent, actor, now, {"parent": order.number})


def _require_team(session: Session, code: str, field: str) -> None:
    if not in_service(session, code):
        if reference_row(session, Team, code) is None:
            raise InvalidInput(f"unknown team {code!r}", field=field)
        raise InvalidInput(f"team {code!r} is out of service", field=field)


def _assignment_of(session: Session, order: WorkOrder, team_code: str | None) -> OrderAssignment:
    for a in assignments(session, order):
        if a.team_code == team_code and a.status in ACTIVE_ASSIGNMENT:
            return a
    raise TransitionNotAllowed(
        f"team {team_code} has no active part in order {order.number}",
        current_status=order.status.value,
        allowed_actions=allowed_actions(order),
    )


def _assign(
    session: Session, order: WorkOrder, team_code: str, role: AssignmentRole, now: datetime
) -> None:
    assert order.id is not None
    part = OrderAssignment(
        order_id=order.id,
        team_code=team_code,
        role=role,
        status=AssignmentStatus.dispatched,
        assigned_at=now,
    )
    # Not flushed here: the row goes in with the unit's next flush, beside the order's own.
    session.add(part)
    assignments(session, order).append(part)


def dispatch(
    session: Session,
    order: WorkOrder,
    *,
    lead: str,
    assists: Sequence[str] = (),
    actor: Actor,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    """派单: send the order to a lead team and optional assisting teams (联合派单)."""
    require_allowed(order, "dispatch")
    _require_team(session, lead, "lead_team")
    for i, code in enumerate(assists):
        _require_team(session, code, f"assist_teams[{i}]")
    _assign(session, order, lead, AssignmentRole.lead, now)
    for code in dict.fromkeys(a for a in assists if a != lead):
        _assign(session, order, code, AssignmentRole.assist, now)
    # The accept clock starts at the first dispatch; a return does not reset it.
    order.dispatched_at = order.dispatched_at or now
    _set_status(session, order, S.dispatched, actor, now)
    payload = {"lead_team": lead, "assist_teams": list(assists), **(data or {})}
    log_event(session, order, EventKind.dispatched, actor, now, payload)


def to_triage(session: Session, order: WorkOrder, actor: Actor, now: datetime, why: str) -> None:
    _set_status(session, order, S.triage, actor, now)
    log_event(session, order, EventKind.triaged, actor, now, {"reason": why})


def accept(session: Session, order: WorkOrder, actor: Actor, now: datetime) -> None:
    """签收: the team takes the order on; the lead's acceptance accepts the order."""
    require_allowed(order, "accept")
    part = _assignment_of(session, order, actor.team_code)
    if part.status != AssignmentStatus.dispatched:
        raise TransitionNotAllowed(
            f"team {part.team_code} already accepted order {order.number}",
            current_status=order.status.value,
            allowed_actions=allowed_actions(order),
        )
    part.status = AssignmentStatus.accepted
    part.accepted_at = now
    session.add(part)
    if part.role == AssignmentRole.lead:
        order.accepted_at = now
        _set_status(session, order, S.accepted, actor, now)
    log_event(session, order, EventKind.accepted, actor, now, {"team": part.team_code})


def start(session: Session, order: WorkOrder, actor: Actor, now: datetime) -> None:
    require_allowed(order, "start")
    part = _assignment_of(session, order, actor.team_code)
    part.status = AssignmentStatus.in_progress
    session.add(part)
    if part.role == AssignmentRole.lead:
        _set_status(session, order, S.in_progress, actor, now)
    log_event(session, order, EventKind.started, actor, now, {"team": part.team_code})


def hand_over(
    session: Session, order: WorkOrder, actor: Actor, now: datetime, member: str, note: str
) -> None:
    """组内派工: the leader hands the team's part to one of its members (承办人).

    A part not yet accepted is accepted first: handing it to someone is taking it on."""
    require_allowed(order, "hand_over")
    part = _assignment_of(session, order, actor.team_code)
    handler = _team_member(session, part.team_code, member)
    if handler.id == part.handler_id:
        raise InvalidInput(
            f"order {order.number} is already theirs: {handler.display_name} ({member})",
            field="member",
        )
    if part.status == AssignmentStatus.dispatched:
        accept(session, order, actor, now)
    before = session.get(User, part.handler_id) if part.handler_id is not None else None
    part.handler_id = handler.id
    session.add(part)
    data = {
        "team": part.team_code,
        "member": handler.username,
        "member_name": handler.display_name,
        "from_member": before.username if before else None,
        "from_member_name": before.display_name if before else None,
        "note": note,
    }
    log_event(session, order, EventKind.handed_over, actor, now, data)


def _team_member(session: Session, team_code: str, username: str) -> User:
    """An active user of the team, leader or member; anyone else is refused by name."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise InvalidInput(f"no user {username!r}", field="member")
    if user.team_code != team_code or not user.role.is_team_role:
        raise InvalidInput(f"{username!r} is not a member of team {team_code}", field="member")
    if not user.active:
        raise InvalidInput(f"{username!r} is no longer active", field="member")
    return user


def return_order(
    session: Session, order: WorkOrder, actor: Actor, now: datetime, reason_code: str, reason: str
) -> None:
    """退单: "not ours". A lead's return sends the order back to the desk's triage queue."""
    require_allowed(order, "return")
    part = _assignment_of(session, order, actor.team_code)
    part.status = AssignmentStatus.returned
    session.add(part)
    data = {"team": part.team_code, "reason_code": reason_code, "reason": reason}
    if part.role == AssignmentRole.lead:
        _set_status(session, order, S.triage, actor, now)
    log_event(session, order, EventKind.returned, actor, now, data, extra_teams=[part.team_code])


def add_note(session: Session, order: WorkOrder, actor: Actor, now: datetime, text: str) -> None:
    require_allowed(order, "note")
    log_event(session, order, EventKind.note_added, actor, now, {"text": text})


# A rule's tag: the lead team resolves only with a photo of the scene on the order (a broken
# manhole cover: the desk wants to see it covered before the school lets out).
PHOTO_REQUIRED = "photo_required"


class PhotoRequired(Conflict):
    code = "photo_required"


def resolve(session: Session, order: WorkOrder, actor: Actor, now: datetime, result: str) -> None:
    """办结: the lead team's result resolves the order; an assisting team closes its own part."""
    require_allowed(order, "resolve")
    part = _assignment_of(session, order, actor.team_code)
    if part.role == AssignmentRole.lead and PHOTO_REQUIRED in order.tags:
        _require_photo(session, order)
    part.status = AssignmentStatus.resolved
    part.resolved_at = now
    part.note = result
    session.add(part)
    if part.role == AssignmentRole.lead:
        order.resolved_at = now
        order.result = result
        _set_status(session, order, S.resolved, actor, now)
    data = {"team": part.team_code, "result": result, "role": part.role.value}
    log_event(session, order, EventKind.resolved, actor, now, data, extra_teams=[part.team_code])


# On the order and its `resolved` event: no team had it, and the resident heard the answer in
# the call, so no text asks them to rate it and no callback waits for it.
ANSWERED_AT_DESK = "answered_at_desk"


def answer(session: Session, order: WorkOrder, actor: Actor, now: datetime, reply: str) -> None:
    """直接答复: the desk answered it in the call (a question, a consultation), so no team is
    sent: the order is resolved with the answer and closed at once."""
    require_allowed(order, "answer")
    order.resolved_at = now
    order.result = reply
    if ANSWERED_AT_DESK not in order.tags:
        order.tags = [*order.tags, ANSWERED_AT_DESK]
    _set_status(session, order, S.resolved, actor, now)
    log_event(
        session, order, EventKind.resolved, actor, now, {"result": reply, ANSWERED_AT_DESK: True}
    )
    close(session, order, actor, now, "直接答复：话务台已答复居民，无需派单和回访")


def _require_photo(session: Session, order: WorkOrder) -> None:
    if session.exec(select(OrderPhoto.id).where(OrderPhoto.order_id == order.id)).first() is None:
        raise PhotoRequired(
            f"order {order.number} is resolved with a photo of the scene: add one first",
            field="photo",
        )


def close(session: Session, order: WorkOrder, actor: Actor, now: datetime, note: str = "") -> None:
    require_allowed(order, "close")
    order.closed_at = now
    _set_status(session, order, S.closed, actor, now)
    log_event(session, order, EventKind.closed, actor, now, {"note": note})


def reopen(session: Session, order: WorkOrder, actor: Actor, now: datetime, reason: str) -> None:
    """重办: back to the team that resolved it, with a new resolve deadline (escalation)."""
    require_allowed(order, "reopen")
    parts = assignments(session, order)
    lead = next((a for a in reversed(parts) if a.role == AssignmentRole.lead), None)
    order.resolved_at = None
    order.closed_at = None
    order.result = None
    # A team taken out of service since it resolved the order cannot take it back: the desk
    # finds it another.
    if lead is None or lead.status == AssignmentStatus.returned:
        _set_status(session, order, S.triage, actor, now)
    elif not in_service(session, lead.team_code):
        lead.status = AssignmentStatus.withdrawn
        session.add(lead)
        _set_status(session, order, S.triage, actor, now)
    else:
        lead.status = AssignmentStatus.accepted
        lead.resolved_at = None
        session.add(lead)
        _set_status(session, order, S.accepted, actor, now)
    log_event(session, order, EventKind.reopened, actor, now, {"reason": reason})


def cancel(session: Session, order: WorkOrder, actor: Actor, now: datetime, reason: str) -> None:
    require_allowed(order, "cancel")
    teams = active_team_codes(session, order)
    for part in assignments(session, order):
        if part.status in ACTIVE_ASSIGNMENT:
            part.status = AssignmentStatus.withdrawn
            session.add(part)
    _set_status(session, order, S.cancelled, actor, now)
    log_event(session, order, EventKind.cancelled, actor, now, {"reason": reason}, teams)


def merge(
    session: Session, child: WorkOrder, parent: WorkOrder, actor: Actor, now: datetime
) -> None:
    """合并: a duplicate call joins the order that is already being handled."""
    require_allowed(child, "merge")
    if child.id == parent.id:
        raise InvalidInput("an order cannot be merged into itself", field="parent")
    if parent.parent_id is not None:
        raise InvalidInput(
            f"{parent.number} is itself merged; merge into its parent", field="parent"
        )
    if parent.status not in OPEN_STATUSES:
        raise InvalidInput(f"{parent.number} is {parent.status.value}, not open", field="parent")
    teams = active_team_codes(session, child)
    for part in assignments(session, child):
        if part.status in ACTIVE_ASSIGNMENT:
            part.status = AssignmentStatus.withdrawn
            session.add(part)
    siblings = merged_children(session, parent)
    child.parent_id = parent.id
    child.status = parent.status
    siblings.append(child)
    log_event(session, child, EventKind.merged_into, actor, now, {"parent": parent.number}, teams)
    log_event(session, parent, EventKind.merged, actor, now, {"child": child.number})


def reassign(
    session: Session, order: WorkOrder, actor: Actor, now: datetime, new_lead: str, reason: str
) -> None:
    """改派: a supervisor moves the lead part to another team; the clocks keep running."""
    require_allowed(order, "reassign")
    _require_team(session, new_lead, "team")
    old = next(
        (
            a
            for a in assignments(session, order)
            if a.role == AssignmentRole.lead and a.status in ACTIVE_ASSIGNMENT
        ),
        None,
    )
    old_team = old.team_code if old else None
    if old is not None:
        if old.team_code == new_lead:
            raise InvalidInput(f"order {order.number} is already with {new_lead}", field="team")
        old.status = AssignmentStatus.withdrawn
        session.add(old)
    _assign(session, order, new_lead, AssignmentRole.lead, now)
    order.accepted_at = None
    _set_status(session, order, S.dispatched, actor, now)
    data = {"from_team": old_team, "to_team": new_lead, "reason": reason}
    log_event(
        session, order, EventKind.reassigned, actor, now, data, [old_team] if old_team else []
    )


def add_team(
    session: Session, order: WorkOrder, actor: Actor, now: datetime, team: str, note: str
) -> None:
    """吹哨报到: summon one more team to an open order as an assisting team."""
    require_allowed(order, "add_team")
    _require_team(session, team, "team")
    if team in active_team_codes(session, order):
        raise InvalidInput(f"team {team} already works on order {order.number}", field="team")
    _assign(session, order, team, AssignmentRole.assist, now)
    log_event(session, order, EventKind.team_added, actor, now, {"team": team, "note": note})


def urge(session: Session, order: WorkOrder, actor: Actor, now: datetime, reason: str) -> None:
    """催办: chase the teams on a late order."""
    require_allowed(order, "urge")
    log_event(session, order, EventKind.urged, actor, now, {"reason": reason})


def extend(
    session: Session, order: WorkOrder, actor: Actor, now: datetime, new_due: datetime, reason: str
) -> None:
    """延期: a supervisor grants more time; the resolve deadline moves."""
    require_allowed(order, "extend")
    if new_due <= now:
        raise InvalidInput("the new deadline must be in the future", field="resolve_due_at")
    old = order.resolve_due_at
    order.resolve_due_at = new_due.astimezone(UTC)
    data = {
        "reason": reason,
        "from": old.isoformat() if old else None,
        "to": new_due.isoformat(),
    }
    log_event(session, order, EventKind.extended, actor, now, data)


def record_callback(
    session: Session, order: WorkOrder, actor: Actor, now: datetime, satisfaction: str, note: str
) -> None:
    """回访: the resident's verdict; "unsatisfied" reopens the order (重办)."""
    require_allowed(order, "callback")
    order.satisfaction = satisfaction
    log_event(
        session,
        order,
        EventKind.callback_recorded,
        actor,
        now,
        {"satisfaction": satisfaction, "note": note},
    )
    if satisfaction == "unsatisfied":
        reopen(session, order, actor, now, f"resident unsatisfied: {note}".strip(": "))
    else:
        close(session, order, actor, now, f"callback: {satisfaction}")
