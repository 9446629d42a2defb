"""协商会议, consultation meetings: the street office calls the teams concerned to one table
about a problem that orders alone do not solve (a fire lane blocked week after week)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from dispatch.database import EnumText, UTCDateTime


class MeetingStatus(StrEnum):
    planned = "planned"
    held = "held"
    cancelled = "cancelled"


class ConsultationMeeting(SQLModel, table=True):
    __tablename__ = "consultation_meeting"

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=200)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    place: str = Field(max_length=200)
    # Invited teams, in the order given. Few per meeting, and a team's invitations are read
    # from the planned meetings only: a column, not a table.
    teams: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: MeetingStatus = Field(sa_type=EnumText(MeetingStatus, 16), index=True)
    called_by: str = Field(max_length=100)
    called_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    outcome: str | None = Field(default=None, max_length=4000)
    attended: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    cancel_reason: str | None = Field(default=None, max_length=1000)
    ended_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    # Moves that changed the time (not those of the place alone): part of the reminder's claim
    # key, so a meeting moved away from a time and back is reminded of it again.
    time_moves: int = Field(default=0)


class MeetingOrder(SQLModel, table=True):
    """The orders a meeting is about; the first is the one it was called from."""

    __tablename__ = "meeting_order"

    meeting_id: int = Field(foreign_key="consultation_meeting.id", primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", primary_key=True, index=True)
    position: int
