"""/api/v1/escalation: the supervisor's views of deadlines and steps, and extension requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlmodel import Session, col, select

from dispatch.deps import ClockDep, CurrentUser, RowId, SessionDep, Supervisor, TeamWorker
from dispatch.orders import service as orders
from dispatch.orders.models import WorkOrder
from escalation.extensions import service as extensions
from escalation.extensions.models import ExtensionRequest, ExtensionStatus
from escalation.schemas import (
    ExtensionAsk,
    ExtensionDecision,
    ExtensionPublic,
    ExtensionRefusal,
    ExtensionsPublic,
    OrderEscalationPublic,
    StepPublic,
    StepsPublic,
)
from escalation.timers.models import EscalationStep, OrderSla, StepStatus

router = APIRouter(prefix="/api/v1/escalation", tags=["escalation"])


def _step(step: EscalationStep, number: str | None = None) -> StepPublic:
    assert step.id is not None
    return StepPublic(
        id=step.id,
        order_id=step.order_id,
        order_number=number,
        chain=step.chain.value,
        round=step.round,
        step_no=step.step_no,
        kind=step.kind.value,
        due_at=step.due_at,
        status=step.status.value,
        late=step.late,
        ran_at=step.ran_at,
        claimed_by=step.claimed_by,
        note=step.note,
        params=step.params,
    )


def _extension(session: Session, request: ExtensionRequest) -> ExtensionPublic:
    assert request.id is not None
    order = session.get(WorkOrder, request.order_id)
    return ExtensionPublic(
        id=request.id,
        order_id=request.order_id,
        order_number=order.number if order else None,
        team_code=request.team_code,
        reason=request.reason,
        requested_due_at=request.requested_due_at,
        status=request.status.value,
        decided_at=request.decided_at,
        decision_note=request.decision_note,
        created_at=request.created_at,
    )


@router.get("/orders/{ref}", response_model=OrderEscalationPublic)
def order_escalation(session: SessionDep, user: CurrentUser, ref: str) -> OrderEscalationPublic:
    """An order's deadlines, escalation level and every step of its chains."""
    order = orders.get_visible_order(session, user, ref)
    sla = session.get(OrderSla, order.id)
    steps = session.exec(
        select(EscalationStep)
        .where(EscalationStep.order_id == order.id)
        .order_by(col(EscalationStep.due_at), col(EscalationStep.id))
    ).all()
    return OrderEscalationPublic(
        order_number=order.number,
        status=order.status.value,
        escalation_level=order.escalation_level,
        policy=sla.policy if sla else None,
        accept_due_at=order.accept_due_at,
        on_site_due_at=sla.on_site_due_at if sla else None,
        resolve_due_at=order.resolve_due_at,
        steps=[_step(s, order.number) for s in steps],
    )


@router.get("/due-soon", response_model=StepsPublic)
def due_soon(
    session: SessionDep,
    _user: Supervisor,
    clock: ClockDep,
    within_minutes: Annotated[int, Query(ge=0, le=7 * 24 * 60)] = 60,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> StepsPublic:
    """Pending steps due within the window (and any overdue): what will escalate next."""
    until = clock.now() + timedelta(minutes=within_minutes)
    rows = session.exec(
        select(EscalationStep, WorkOrder.number)
        .join(WorkOrder, col(WorkOrder.id) == EscalationStep.order_id)
        .where(EscalationStep.status == StepStatus.pending, col(EscalationStep.due_at) <= until)
        .order_by(col(EscalationStep.due_at))
        .limit(limit)
    ).all()
    data = [_step(step, number) for step, number in rows]
    return StepsPublic(data=data, count=len(data))


@router.post(
    "/orders/{ref}/extension-requests",
    response_model=ExtensionPublic,
    status_code=status.HTTP_201_CREATED,
)
def ask_extension(
    session: SessionDep, user: TeamWorker, clock: ClockDep, ref: str, body: ExtensionAsk
) -> ExtensionPublic:
    """延期申请: the team asks for a later resolve date, with a reason."""
    order = orders.get_visible_order(session, user, ref)
    request = extensions.request_extension(
        session, order, user, clock.now(), body.new_due_at, body.reason
    )
    return _extension(session, request)


@router.get("/extension-requests", response_model=ExtensionsPublic)
def list_extensions(
    session: SessionDep,
    _user: Supervisor,
    status_: Annotated[ExtensionStatus | None, Query(alias="status")] = ExtensionStatus.pending,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ExtensionsPublic:
    data = [_extension(session, r) for r in extensions.list_requests(session, status_, limit)]
    return ExtensionsPublic(data=data, count=len(data))


@router.post("/extension-requests/{request_id}/grant", response_model=ExtensionPublic)
def grant_extension(
    session: SessionDep,
    user: Supervisor,
    clock: ClockDep,
    request_id: RowId,
    body: ExtensionDecision | None = None,
) -> ExtensionPublic:
    """批准延期: the resolve deadline and the pending resolve steps move."""
    request = extensions.get_request(session, request_id)
    note = body.note if body else ""
    return _extension(session, extensions.grant(session, request, user, clock.now(), note))


@router.post("/extension-requests/{request_id}/refuse", response_model=ExtensionPublic)
def refuse_extension(
    session: SessionDep,
    user: Supervisor,
    clock: ClockDep,
    request_id: RowId,
    body: ExtensionRefusal,
) -> ExtensionPublic:
    request = extensions.get_request(session, request_id)
    return _extension(session, extensions.refuse(session, request, user, clock.now(), body.reason))
