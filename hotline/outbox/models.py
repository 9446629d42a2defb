"""The durable outbox: what must leave the desk, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from dispatch.database import EnumText
from hotline.db import utc_field


class OutboxStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_stream", "destination", "order_id", "id"),
        UniqueConstraint("destination", "event_id", name="uq_outbox_destination_event"),
    )

    id: int | None = Field(default=None, primary_key=True)
    destination: str = Field(max_length=16)
    kind: str = Field(max_length=32)
    order_id: int | None = Field(default=None, foreign_key="work_order.id")
    event_id: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: OutboxStatus = Field(default=OutboxStatus.pending, sa_type=EnumText(OutboxStatus, 16))
    attempts: int = 0
    next_attempt_at: datetime = utc_field(nullable=False)
    locked_until: datetime | None = utc_field(nullable=True)
    last_error: str | None = Field(default=None, max_length=1000)
    reference: str | None = Field(default=None, max_length=200)
    created_at: datetime = utc_field(nullable=False)
    delivered_at: datetime | None = utc_field(nullable=True)
