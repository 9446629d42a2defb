"""One row per message to one person on one channel: what was sent, when, and how it went."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from dispatch.database import EnumText, UTCDateTime
from dispatch.notify.port import NotifyChannel


class DeliveryStatus(StrEnum):
    pending = "pending"
    sending = "sending"  # claimed by a worker; reclaimable once next_attempt_at has passed
    sent = "sent"
    failed = "failed"
    cancelled = "cancelled"


class NotificationDelivery(SQLModel, table=True):
    __tablename__ = "notification_delivery"
    __table_args__ = (
        # One escalation step never sends twice to the same person on the same channel.
        UniqueConstraint("step_id", "recipient", "channel", name="uq_delivery_step_recipient"),
        Index("ix_delivery_status_next", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    step_id: int | None = Field(default=None)
    order_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    recipient: str = Field(max_length=64)
    channel: NotifyChannel = Field(sa_type=EnumText(NotifyChannel, 8))
    message: str = Field(max_length=1000)
    ref: str = Field(default="", max_length=100)
    status: DeliveryStatus = Field(sa_type=EnumText(DeliveryStatus, 12))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    last_error: str | None = Field(default=None, max_length=500)
    provider_ref: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
