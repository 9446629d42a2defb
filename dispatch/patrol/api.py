"""HTTP routes for 巡查上报: a field worker reports from their phone and lists their reports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from dispatch.deps import ClockDep, IdempotencyKey, SessionDep, SettingsDep, TeamWorker
from dispatch.orders.models import OrderStatus
from dispatch.orders.presenter import present
from dispatch.orders.schemas import OrderPublic, OrdersPublic
from dispatch.patrol import service as patrol
from dispatch.routing.deps import CoverageDep, RulesDep

router = APIRouter(prefix="/api/v1/patrol-reports", tags=["patrol reports"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrderPublic)
def report(
    body: patrol.PatrolReport,
    session: SessionDep,
    user: TeamWorker,
    clock: ClockDep,
    settings: SettingsDep,
    rules: RulesDep,
    coverage: CoverageDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> OrderPublic:
    """巡查上报: the report becomes a work order (channel `patrol`, the reporter as caller),
    routed by the rules like a call; the reporter may then add photos and notes to it.
    With `handled_on_site` (即报即办) it is the reporter's team's, resolved and closed at once."""
    order, replayed = patrol.report(
        session,
        user,
        body,
        key=idempotency_key,
        now=clock.now(),
        rules=rules,
        coverage=coverage,
        settings=settings,
    )
    if replayed:
        response.status_code = status.HTTP_200_OK
    return present(session, order, user)


@router.get("", response_model=OrdersPublic)
def my_reports(
    session: SessionDep,
    user: TeamWorker,
    settings: SettingsDep,
    status_: Annotated[list[OrderStatus] | None, Query(alias="status")] = None,
    of: Annotated[
        Literal["me", "team"],
        Query(description="`team` (leaders only): 本队上报, the reports of everyone in the team"),
    ] = "me",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> OrdersPublic:
    """我的上报: what this user reported, newest first, with where each went and how it ended.
    A leader's 本队上报 (`of=team`): the same for every report of the team's people."""
    limit = min(limit, settings.max_page_size)
    rows, total = patrol.reports_of(session, user, status_ or (), offset, limit, team=of == "team")
    return OrdersPublic(
        data=[present(session, o, user) for o in rows], count=total, offset=offset, limit=limit
    )
