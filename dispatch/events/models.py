"""The order event log (民情日志): append-only, one row per change."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from dispatch.database import UTCDateTime


class EventKind(StrEnum):
    received = "received"
    routed = "routed"
    triaged = "triaged"
    dispatched = "dispatched"
    accepted = "accepted"
    started = "started"
    returned = "returned"
    note_added = "note_added"
    photo_added = "photo_added"
    resolved = "resolved"
    closed = "closed"
    reopened = "reopened"
    cancelled = "cancelled"
    merged = "merged"
    merged_into = "merged_into"
    follows_parent = "follows_parent"
    reassigned = "reassigned"
    handed_over = "handed_over"  # 组内派工: a leader hands the team's part to a member
    team_added = "team_added"
    urged = "urged"
    extended = "extended"
    escalated = "escalated"
    callback_recorded = "callback_recorded"
    updated = "updated"
    screen_pop = "screen_pop"
    handed_to_police = "handed_to_police"
    meeting_called = "meeting_called"
    meeting_held = "meeting_held"
    meeting_cancelled = "meeting_cancelled"
    meeting_moved = "meeting_moved"


class OrderEvent(SQLModel, table=True):
    __tablename__ = "order_event"
    __table_args__ = (Index("ix_order_event_order", "order_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    kind: str = Field(max_length=32, index=True)
    actor: str = Field(max_length=100)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    team_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
