"""HTTP routes for 交接班: hand over with a note, see what would be attached, list the
handovers newest first, take one over. Desk roles only: the note is the desk's own."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dispatch.auth.models import User
from dispatch.deps import ClockDep, Operator, RowId, SessionDep
from dispatch.handovers import service as handovers
from dispatch.handovers.models import HandoverSnapshot, ShiftHandover

router = APIRouter(prefix="/api/v1/handovers", tags=["shift handovers"])


def _more_queues(request: Request) -> Mapping[str, handovers.SnapshotQueue]:
    queues: Mapping[str, handovers.SnapshotQueue] = request.app.state.handover_queues
    return queues


MoreQueues = Annotated[Mapping[str, handovers.SnapshotQueue], Depends(_more_queues)]

Note = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=handovers.MAX_NOTE)
]


class HandoverWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Note = Field(examples=["金地花园D区消防通道的事下午要回电话给陈女士"])


class Colleague(BaseModel):
    username: str
    display_name: str


class HandoverPublic(BaseModel):
    id: int
    handed_by: Colleague
    handed_at: datetime
    note: str
    snapshot: HandoverSnapshot
    received_by: Colleague | None
    received_at: datetime | None


class HandoversPublic(BaseModel):
    data: list[HandoverPublic]
    count: int
    offset: int
    limit: int


def _colleague(users: dict[int, User], user_id: int | None) -> Colleague | None:
    user = users.get(user_id) if user_id is not None else None
    return Colleague(username=user.username, display_name=user.display_name) if user else None


def _public(handover: ShiftHandover, users: dict[int, User]) -> HandoverPublic:
    assert handover.id is not None
    handed_by = _colleague(users, handover.handed_by_id)
    assert handed_by is not None  # a foreign key: the writer is there
    return HandoverPublic(
        id=handover.id,
        handed_by=handed_by,
        handed_at=handover.handed_at,
        note=handover.note,
        snapshot=HandoverSnapshot.model_validate(handover.snapshot),
        received_by=_colleague(users, handover.received_by_id),
        received_at=handover.received_at,
    )


def _one(session: SessionDep, handover: ShiftHandover) -> HandoverPublic:
    return _public(handover, handovers.people(session, [handover]))


@router.post("", response_model=HandoverPublic, status_code=status.HTTP_201_CREATED)
def hand_over(
    body: HandoverWrite, session: SessionDep, user: Operator, clock: ClockDep, more: MoreQueues
) -> HandoverPublic:
    """交班: the note for the next shift; the server attaches what stands open at the desk
    now (triage, 待回访, late orders, open P1 orders: counts and the first order numbers;
    with hotline, the 12345 and police messages not delivered)."""
    return _one(session, handovers.hand_over(session, user, clock.now(), body.note, more))


@router.get("/snapshot", response_model=HandoverSnapshot)
def snapshot_now(
    session: SessionDep, user: Operator, clock: ClockDep, more: MoreQueues
) -> HandoverSnapshot:
    """What a handover written now would attach: shown beside the 交班 form before sending."""
    return handovers.take_snapshot(session, clock.now(), more)


@router.get("", response_model=HandoversPublic)
def list_handovers(
    session: SessionDep,
    user: Operator,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> HandoversPublic:
    """Newest first: the shift's own on top, then the history supervisors read back."""
    rows, total = handovers.list_handovers(session, offset, limit)
    users = handovers.people(session, rows)
    return HandoversPublic(
        data=[_public(h, users) for h in rows], count=total, offset=offset, limit=limit
    )


@router.post("/{handover_id}/receive", response_model=HandoverPublic)
def receive(
    handover_id: RowId, session: SessionDep, user: Operator, clock: ClockDep
) -> HandoverPublic:
    """接班: the incoming operator confirms they took it over. Not the writer (409), and
    once only (409 naming who took it over and when)."""
    handover = handovers.get_handover(session, handover_id)
    handovers.receive(session, handover, user, clock.now())
    return _one(session, handover)
