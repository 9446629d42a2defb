"""Inbound SMS seen so far, keyed by MessageSid: a retried webhook is answered, not redone."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from hotline.db import utc_field


class SmsMessage(SQLModel, table=True):
    __tablename__ = "sms_message"

    id: int | None = Field(default=None, primary_key=True)
    message_sid: str = Field(unique=True, max_length=64)
    from_number: str = Field(max_length=32, index=True)
    body: str = Field(max_length=1600)
    outcome: str = Field(max_length=32)
    reply: str = Field(default="", max_length=1600)
    order_id: int | None = Field(default=None, foreign_key="work_order.id")
    received_at: datetime = utc_field(nullable=False)
