"""HTTP routes for 协商会议: call one from an order, list an order's, list the meetings a user
should know of, move one (改期), record the outcome, call one off."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dispatch.auth.models import User
from dispatch.deps import ClockDep, CurrentUser, RowId, SessionDep, Supervisor
from dispatch.meetings import service as meetings
from dispatch.meetings.models import ConsultationMeeting, MeetingStatus
from dispatch.orders import service as orders
from dispatch.orders.actors import Actor
from dispatch.phones import mask_phones

router = APIRouter(tags=["consultation meetings"])

TeamCode = Annotated[str, Field(min_length=1, max_length=64)]


class MeetingCall(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: str = Field(min_length=1, max_length=200, examples=["金地花园D区消防通道反复堵塞"])
    starts_at: AwareDatetime = Field(examples=["2026-11-24T09:30:00+08:00"])
    place: str = Field(min_length=1, max_length=200, examples=["街道综治中心二楼会议室"])
    teams: list[TeamCode] = Field(
        min_length=1,
        max_length=meetings.MAX_TEAMS,
        examples=[["jindi-property", "community-police", "governance-centre"]],
    )
    also_orders: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(
        default_factory=list,
        max_length=meetings.MAX_ORDERS - 1,
        description="other orders about the same problem (numbers)",
        examples=[["WO-20261120-0003"]],
    )


class MeetingOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(
        min_length=1, max_length=4000, examples=["物业划定电动车停放区，社区民警每周巡查两次"]
    )
    attended: list[TeamCode] = Field(default_factory=list, max_length=meetings.MAX_TEAMS)


class MeetingCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=1000, examples=["问题已解决，无需开会"])


class MeetingMove(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts_at: AwareDatetime = Field(examples=["2026-11-26T14:30:00+08:00"])
    place: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="the new place; unchanged when absent",
        examples=["街道便民服务中心三楼"],
    )
    reason: str = Field(min_length=1, max_length=1000, examples=["物业公司负责人当天出差"])


class MeetingPublic(BaseModel):
    id: int
    topic: str
    starts_at: datetime
    place: str
    teams: list[str]
    orders: list[str] = Field(description="order numbers, the one it was called from first")
    status: MeetingStatus
    called_by: str
    called_at: datetime
    outcome: str | None
    attended: list[str]
    cancel_reason: str | None
    ended_at: datetime | None


def _public(meeting: ConsultationMeeting, numbers: list[str], user: User) -> MeetingPublic:
    shown = meeting.model_dump()
    if user.role.is_team_role:  # like notes: team roles see no resident's number
        for key in ("topic", "outcome", "cancel_reason"):
            shown[key] = shown[key] and mask_phones(shown[key])
    return MeetingPublic(**shown, orders=numbers)


def _one(session: SessionDep, meeting: ConsultationMeeting, user: User) -> MeetingPublic:
    assert meeting.id is not None
    return _public(meeting, meetings.order_numbers(session, [meeting])[meeting.id], user)


@router.post(
    "/api/v1/orders/{ref}/meetings",
    response_model=MeetingPublic,
    status_code=status.HTTP_201_CREATED,
)
def call_meeting(
    ref: str, body: MeetingCall, session: SessionDep, user: Supervisor, clock: ClockDep
) -> MeetingPublic:
    """召集协商会议: the invited teams are told on their phones at once, and the meeting joins
    the timeline of every order it is about."""
    concerned = [orders.get_visible_order(session, user, n) for n in [ref, *body.also_orders]]
    meeting = meetings.call_meeting(
        session,
        concerned,
        Actor.of(user),
        clock.now(),
        topic=body.topic,
        starts_at=body.starts_at,
        place=body.place,
        teams=body.teams,
    )
    return _one(session, meeting, user)


@router.get("/api/v1/orders/{ref}/meetings", response_model=list[MeetingPublic])
def meetings_of_order(ref: str, session: SessionDep, user: CurrentUser) -> list[MeetingPublic]:
    """The meetings about this order, soonest first."""
    found = meetings.meetings_of_order(session, orders.get_visible_order(session, user, ref))
    numbers = meetings.order_numbers(session, found)
    return [_public(m, numbers[m.id], user) for m in found if m.id is not None]


@router.get("/api/v1/meetings", response_model=list[MeetingPublic])
def list_meetings(
    session: SessionDep,
    user: CurrentUser,
    status_: Annotated[MeetingStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[MeetingPublic]:
    """Soonest first. A team's leaders and members see the meetings their team is invited
    to; the desk sees all."""
    found = meetings.meetings_for(session, user, status_, limit)
    numbers = meetings.order_numbers(session, found)
    return [_public(m, numbers[m.id], user) for m in found if m.id is not None]


@router.get("/api/v1/meetings/{meeting_id}", response_model=MeetingPublic)
def get_meeting(meeting_id: RowId, session: SessionDep, user: CurrentUser) -> MeetingPublic:
    return _one(session, meetings.visible_meeting(session, user, meeting_id), user)


@router.post("/api/v1/meetings/{meeting_id}/reschedule", response_model=MeetingPublic)
def move_meeting(
    meeting_id: RowId, body: MeetingMove, session: SessionDep, user: Supervisor, clock: ClockDep
) -> MeetingPublic:
    """改期: a new time, and place if given; the invited teams are told again, every order's
    timeline says from when to when and why, and the reminder follows the new time."""
    meeting = meetings.visible_meeting(session, user, meeting_id)
    meetings.move_meeting(
        session,
        meeting,
        Actor.of(user),
        clock.now(),
        starts_at=body.starts_at,
        place=body.place,
        reason=body.reason,
    )
    return _one(session, meeting, user)


@router.post("/api/v1/meetings/{meeting_id}/outcome", response_model=MeetingPublic)
def record_outcome(
    meeting_id: RowId, body: MeetingOutcome, session: SessionDep, user: Supervisor, clock: ClockDep
) -> MeetingPublic:
    """What was decided and which invited teams came; on every order's timeline."""
    meeting = meetings.visible_meeting(session, user, meeting_id)
    meetings.record_outcome(
        session, meeting, Actor.of(user), clock.now(), outcome=body.outcome, attended=body.attended
    )
    return _one(session, meeting, user)


@router.post("/api/v1/meetings/{meeting_id}/cancel", response_model=MeetingPublic)
def cancel_meeting(
    meeting_id: RowId, body: MeetingCancel, session: SessionDep, user: Supervisor, clock: ClockDep
) -> MeetingPublic:
    meeting = meetings.visible_meeting(session, user, meeting_id)
    meetings.cancel_meeting(session, meeting, Actor.of(user), clock.now(), body.reason)
    return _one(session, meeting, user)
