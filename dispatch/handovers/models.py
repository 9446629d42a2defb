"""交接班: at each change of shift the outgoing operator hands over (交班) what the next shift
must know, and the incoming one confirms they took it over (接班)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pydantic import Field as ModelField
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from dispatch.database import UTCDateTime


class ShiftHandover(SQLModel, table=True):
    __tablename__ = "shift_handover"

    id: int | None = Field(default=None, primary_key=True)
    handed_by_id: int = Field(foreign_key="app_user.id")
    handed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    note: str = Field(max_length=4000)
    # What stood open at the desk when the note was written, as the server saw it: the note
    # is read against it hours later, when the queues have long moved on (a HandoverSnapshot).
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    received_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    received_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class OpenWork(BaseModel):
    """One queue of the desk at the handover: how many, and the first order numbers of it."""

    count: int
    orders: list[str]


class HandoverSnapshot(BaseModel):
    triage: OpenWork  # 待分派: no team yet
    awaiting_callback: OpenWork  # 待回访: resolved, the resident not yet called back
    late: OpenWork  # not accepted or not resolved by the deadline, the most overdue first
    open_p1: OpenWork  # P1 (emergencies) still open, whatever their deadlines
    # The queues the packages built on dispatch add, by name (hotline: the 12345 and police
    # messages not delivered); older snapshots have none.
    more: dict[str, OpenWork] = ModelField(default_factory=dict)
