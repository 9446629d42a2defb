"""延期: a team asks (pending), a supervisor grants (the deadline moves) or refuses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from dispatch.auth.models import User
from dispatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from dispatch.orders import lifecycle, parts
from dispatch.orders.actors import Actor
from dispatch.orders.models import WorkOrder
from escalation.extensions.models import ExtensionRequest, ExtensionStatus
from escalation.timeline import EscalationEventKind, log


class ExtensionNotFound(NotFound):
    code = "extension_not_found"


class ExtensionConflict(Conflict):
    code = "extension_conflict"


def request_extension(
    session: Session, order: WorkOrder, user: User, now: datetime, new_due: datetime, reason: str
) -> ExtensionRequest:
    assert order.id is not None
    if "extend" not in lifecycle.allowed_actions(order):
        raise ExtensionConflict(f"order {order.number} is {order.status.value}: nothing to extend")
    if user.role.is_team_role and user.team_code not in parts.active_team_codes(session, order):
        raise Forbidden(f"team {user.team_code} has no active part in order {order.number}")
    if new_due <= now or (order.resolve_due_at and new_due <= order.resolve_due_at):
        raise InvalidInput(
            "the new date must be later than the current deadline", field="new_due_at"
        )
    if pending_for(session, order.id):
        raise ExtensionConflict(f"order {order.number} already has an extension request pending")
    request = ExtensionRequest(
        order_id=order.id,
        team_code=user.team_code,
        requested_by_id=user.id,
        reason=reason,
        requested_due_at=new_due.astimezone(UTC),
        status=ExtensionStatus.pending,
        created_at=now,
    )
    session.add(request)
    session.flush()
    data = {
        "request_id": request.id,
        "reason": reason,
        "from": order.resolve_due_at.isoformat() if order.resolve_due_at else None,
        "to": request.requested_due_at.isoformat(),
    }
    log(session, order, EscalationEventKind.extension_requested, Actor.of(user), now, data)
    return request


def pending_for(session: Session, order_id: int) -> ExtensionRequest | None:
    return session.exec(
        select(ExtensionRequest).where(
            ExtensionRequest.order_id == order_id,
            ExtensionRequest.status == ExtensionStatus.pending,
        )
    ).first()


def get_request(session: Session, request_id: int) -> ExtensionRequest:
    request = session.get(ExtensionRequest, request_id)
    if request is None:
        raise ExtensionNotFound(f"no extension request {request_id}", field="request")
    return request


def _pending_order(session: Session, request: ExtensionRequest) -> WorkOrder:
    if request.status != ExtensionStatus.pending:
        raise ExtensionConflict(f"extension request {request.id} is already {request.status.value}")
    order = session.get(WorkOrder, request.order_id)
    assert order is not None
    return order


def grant(
    session: Session, request: ExtensionRequest, user: User, now: datetime, note: str = ""
) -> ExtensionRequest:
    """The resolve deadline moves (lifecycle.extend); pending resolve steps move with it."""
    order = _pending_order(session, request)
    reason = f"{request.reason}（批准：{note}）" if note else request.reason
    lifecycle.extend(session, order, Actor.of(user), now, request.requested_due_at, reason)
    request.status, request.decided_by_id, request.decided_at = (
        ExtensionStatus.granted,
        user.id,
        now,
    )
    request.decision_note = note or None
    session.add(request)
    return request


def refuse(
    session: Session, request: ExtensionRequest, user: User, now: datetime, reason: str
) -> ExtensionRequest:
    order = _pending_order(session, request)
    request.status, request.decided_by_id, request.decided_at = (
        ExtensionStatus.refused,
        user.id,
        now,
    )
    request.decision_note = reason
    session.add(request)
    data = {"request_id": request.id, "reason": reason}
    log(session, order, EscalationEventKind.extension_refused, Actor.of(user), now, data)
    return request


def list_requests(
    session: Session, status: ExtensionStatus | None, limit: int
) -> Sequence[ExtensionRequest]:
    query = select(ExtensionRequest).order_by(col(ExtensionRequest.id).desc()).limit(limit)
    if status is not None:
        query = query.where(ExtensionRequest.status == status)
    return session.exec(query).all()
