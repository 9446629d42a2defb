"""HTTP routes for work orders: thin, each one a call into the service or the lifecycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import AwareDatetime
from sqlmodel import Session

from dispatch.auth.models import User
from dispatch.deps import (
    ClockDep,
    CurrentUser,
    IdempotencyKey,
    Operator,
    SessionDep,
    SettingsDep,
    Supervisor,
    TeamLeader,
    TeamWorker,
)
from dispatch.events.service import timeline
from dispatch.orders import corrections, lifecycle
from dispatch.orders import service as orders
from dispatch.orders.actors import Actor
from dispatch.orders.models import Channel, OrderStatus, Priority, WorkOrder
from dispatch.orders.presenter import present
from dispatch.orders.schemas import (
    AddTeamRequest,
    AnswerRequest,
    CallbackRequest,
    DispatchRequest,
    EventPublic,
    ExtendRequest,
    HandOverRequest,
    MergeRequest,
    NoteRequest,
    OrderCorrection,
    OrderCreate,
    OrderCreated,
    OrderPublic,
    OrdersPublic,
    ReasonRequest,
    ResolveRequest,
    ReturnRequest,
    TimelinePublic,
)
from dispatch.phones import mask_phones
from dispatch.routing.deps import CoverageDep, RulesDep

router = APIRouter(prefix="/api/v1/orders", tags=["work orders"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrderCreated)
def create_order(
    data: OrderCreate,
    session: SessionDep,
    user: Operator,
    clock: ClockDep,
    settings: SettingsDep,
    rules: RulesDep,
    coverage: CoverageDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> OrderCreated:
    """受理: record a request; the rules dispatch it at once or send it to triage."""
    now = clock.now()
    order, replayed = orders.create_once(
        session,
        data,
        user=user,
        key=idempotency_key,
        now=now,
        rules=rules,
        coverage=coverage,
        settings=settings,
    )
    if replayed:
        response.status_code = status.HTTP_200_OK
        return OrderCreated(**present(session, order, user).model_dump())
    suggestions = orders.merge_suggestions(session, order, now, settings.duplicate_window_hours)
    return OrderCreated(**present(session, order, user).model_dump(), merge_suggestions=suggestions)


@router.get("", response_model=OrdersPublic)
def list_orders(
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    status_: Annotated[list[OrderStatus] | None, Query(alias="status")] = None,
    team: Annotated[str | None, Query(max_length=64)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    community: Annotated[str | None, Query(max_length=64)] = None,
    channel: Annotated[
        list[Channel] | None, Query(description="e.g. patrol: what field workers reported")
    ] = None,
    priority: Annotated[list[Priority] | None, Query()] = None,
    created_from: AwareDatetime | None = None,
    created_to: AwareDatetime | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    caller_phone: Annotated[
        str | None,
        Query(
            max_length=40,
            description="来电历史: the orders of one caller (desk roles; any written form)",
            examples=["13812345678"],
        ),
    ] = None,
    sort: Annotated[
        orders.OrderSort,
        Query(description="newest / oldest received first, or resolved longest ago first"),
    ] = "newest",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> OrdersPublic:
    """Team roles see their own team's orders only; the desk sees all."""
    flt = orders.OrderFilter(
        status=status_ or (),
        team=team,
        category=category,
        community=community,
        channel=channel or (),
        priority=priority or (),
        created_from=created_from,
        created_to=created_to,
        q=q,
        caller_phone=caller_phone,
        sort=sort,
    )
    rows, total = orders.list_orders(session, user, flt, offset, min(limit, settings.max_page_size))
    return OrdersPublic(
        data=[present(session, o, user) for o in rows], count=total, offset=offset, limit=limit
    )


@router.get("/{ref}", response_model=OrderPublic)
def get_order(ref: str, session: SessionDep, user: CurrentUser) -> OrderPublic:
    return present(session, orders.get_visible_order(session, user, ref), user)


@router.get("/{ref}/timeline", response_model=TimelinePublic)
def get_timeline(ref: str, session: SessionDep, user: CurrentUser) -> TimelinePublic:
    """民情日志: every event of the order, oldest first (phone numbers masked for teams)."""
    order = orders.get_visible_order(session, user, ref)
    assert order.id is not None
    return TimelinePublic(
        number=order.number,
        data=[
            EventPublic(
                id=e.id or 0,
                kind=e.kind,
                actor=e.actor,
                at=e.at,
                data=mask_phones(e.data) if user.role.is_team_role else e.data,
                team_codes=e.team_codes,
            )
            for e in timeline(session, order.id)
        ],
    )


def _act(
    session: Session,
    user: User,
    ref: str,
    change: Callable[[WorkOrder, Actor], object],
) -> OrderPublic:
    order = orders.get_visible_order(session, user, ref)
    change(order, Actor.of(user))
    return present(session, order, user)


@router.patch("/{ref}", response_model=OrderPublic)
def correct_order(
    ref: str, body: OrderCorrection, session: SessionDep, user: Operator, clock: ClockDep
) -> OrderPublic:
    """修改工单: correct the category, priority, description or place taken down at intake.
    The changes are on the timeline (`updated`, with what each was); the teams stay."""
    return _act(
        session, user, ref, lambda o, a: corrections.correct(session, o, a, clock.now(), body)
    )


@router.post("/{ref}/answer", response_model=OrderPublic)
def answer_order(
    ref: str, body: AnswerRequest, session: SessionDep, user: Operator, clock: ClockDep
) -> OrderPublic:
    """直接答复, from triage: the desk rang back and answered it (a question, a consultation);
    the order is resolved with the answer and closed, with no team and no callback."""
    return _act(
        session, user, ref, lambda o, a: lifecycle.answer(session, o, a, clock.now(), body.answer)
    )


@router.post("/{ref}/dispatch", response_model=OrderPublic)
def dispatch_order(
    ref: str, body: DispatchRequest, session: SessionDep, user: Operator, clock: ClockDep
) -> OrderPublic:
    """派单 by hand, from triage: one lead team and optional assisting teams."""
    return _act(
        session,
        user,
        ref,
        lambda o, a: lifecycle.dispatch(
            session,
            o,
            lead=body.lead_team,
            assists=body.assist_teams,
            actor=a,
            now=clock.now(),
            data={"note": body.note} if body.note else None,
        ),
    )


@router.post("/{ref}/accept", response_model=OrderPublic)
def accept_order(ref: str, session: SessionDep, user: TeamLeader, clock: ClockDep) -> OrderPublic:
    """签收."""
    return _act(session, user, ref, lambda o, a: lifecycle.accept(session, o, a, clock.now()))


@router.post("/{ref}/start", response_model=OrderPublic)
def start_order(ref: str, session: SessionDep, user: TeamWorker, clock: ClockDep) -> OrderPublic:
    """On site: work begins."""
    return _act(session, user, ref, lambda o, a: lifecycle.start(session, o, a, clock.now()))


@router.post("/{ref}/hand-over", response_model=OrderPublic)
def hand_over_order(
    ref: str, body: HandOverRequest, session: SessionDep, user: TeamLeader, clock: ClockDep
) -> OrderPublic:
    """组内派工: the leader hands the team's part to one of its active members, who is told by
    push and SMS. Again to another member moves it; a part not yet accepted is accepted too."""
    return _act(
        session,
        user,
        ref,
        lambda o, a: lifecycle.hand_over(session, o, a, clock.now(), body.member, body.note),
    )


@router.post("/{ref}/return", response_model=OrderPublic)
def return_order(
    ref: str, body: ReturnRequest, session: SessionDep, user: TeamLeader, clock: ClockDep
) -> OrderPublic:
    """退单: not ours, with a reason code; the order goes back to triage."""
    return _act(
        session,
        user,
        ref,
        lambda o, a: lifecycle.return_order(
            session, o, a, clock.now(), body.reason_code, body.reason
        ),
    )


@router.post("/{ref}/notes", response_model=OrderPublic)
def add_note(
    ref: str, body: NoteRequest, session: SessionDep, user: CurrentUser, clock: ClockDep
) -> OrderPublic:
    return _act(
        session, user, ref, lambda o, a: lifecycle.add_note(session, o, a, clock.now(), body.text)
    )


@router.post("/{ref}/resolve", response_model=OrderPublic)
def resolve_order(
    ref: str, body: ResolveRequest, session: SessionDep, user: TeamWorker, clock: ClockDep
) -> OrderPublic:
    """办结: report the result back."""
    return _act(
        session, user, ref, lambda o, a: lifecycle.resolve(session, o, a, clock.now(), body.result)
    )


@router.post("/{ref}/callback", response_model=OrderPublic)
def record_callback(
    ref: str, body: CallbackRequest, session: SessionDep, user: Operator, clock: ClockDep
) -> OrderPublic:
    """回访: record the resident's satisfaction; unsatisfied reopens (重办)."""
    return _act(
        session,
        user,
        ref,
        lambda o, a: lifecycle.record_callback(
            session, o, a, clock.now(), body.satisfaction, body.note
        ),
    )


@router.post("/{ref}/close", response_model=OrderPublic)
def close_order(ref: str, session: SessionDep, user: Operator, clock: ClockDep) -> OrderPublic:
    return _act(session, user, ref, lambda o, a: lifecycle.close(session, o, a, clock.now()))


@router.post("/{ref}/reopen", response_model=OrderPublic)
def reopen_order(
    ref: str, body: ReasonRequest, session: SessionDep, user: Operator, clock: ClockDep
) -> OrderPublic:
    """重办."""
    return _act(
        session, user, ref, lambda o, a: lifecycle.reopen(session, o, a, clock.now(), body.reason)
    )


@router.post("/{ref}/cancel", response_model=OrderPublic)
def cancel_order(
    ref: str, body: ReasonRequest, session: SessionDep, user: Operator, clock: ClockDep
) -> OrderPublic:
    return _act(
        session, user, ref, lambda o, a: lifecycle.cancel(session, o, a, clock.now(), body.reason)
    )


@router.post("/{ref}/merge", response_model=OrderPublic)
def merge_order(
    ref: str, body: MergeRequest, session: SessionDep, user: Operator, clock: ClockDep
) -> OrderPublic:
    """合并: this order is a duplicate of `parent` and follows it from now on."""
    parent = orders.get_visible_order(session, user, body.parent)
    return _act(
        session, user, ref, lambda o, a: lifecycle.merge(session, o, parent, a, clock.now())
    )


@router.post("/{ref}/reassign", response_model=OrderPublic)
def reassign_order(
    ref: str, body: AddTeamRequest, session: SessionDep, user: Supervisor, clock: ClockDep
) -> OrderPublic:
    """改派: move the lead part to another team."""
    return _act(
        session,
        user,
        ref,
        lambda o, a: lifecycle.reassign(session, o, a, clock.now(), body.team, body.note),
    )


@router.post("/{ref}/teams", response_model=OrderPublic)
def summon_team(
    ref: str, body: AddTeamRequest, session: SessionDep, user: Supervisor, clock: ClockDep
) -> OrderPublic:
    """吹哨报到: summon one more team to work on the order."""
    return _act(
        session,
        user,
        ref,
        lambda o, a: lifecycle.add_team(session, o, a, clock.now(), body.team, body.note),
    )


@router.post("/{ref}/urge", response_model=OrderPublic)
def urge_order(
    ref: str, body: ReasonRequest, session: SessionDep, user: Supervisor, clock: ClockDep
) -> OrderPublic:
    """催办."""
    return _act(
        session, user, ref, lambda o, a: lifecycle.urge(session, o, a, clock.now(), body.reason)
    )


@router.post("/{ref}/extend", response_model=OrderPublic)
def extend_order(
    ref: str, body: ExtendRequest, session: SessionDep, user: Supervisor, clock: ClockDep
) -> OrderPublic:
    """延期: grant more time to resolve."""
    return _act(
        session,
        user,
        ref,
        lambda o, a: lifecycle.extend(session, o, a, clock.now(), body.resolve_due_at, body.reason),
    )
