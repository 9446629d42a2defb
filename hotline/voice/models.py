"""One row per phone call, keyed by Twilio's CallSid: the draft behind the call's work order."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from hotline.db import utc_field


class CallRecord(SQLModel, table=True):
    __tablename__ = "call_record"

    id: int | None = Field(default=None, primary_key=True)
    call_sid: str = Field(unique=True, max_length=64)
    from_number: str = Field(default="", max_length=32)
    to_number: str = Field(default="", max_length=32)
    caller_phone: str | None = Field(default=None, max_length=20, index=True)
    language: str = Field(default="zh-CN", max_length=8)
    step: str = Field(default="greeting", max_length=32)
    menu_choice: str | None = Field(default=None, max_length=8)
    category_code: str | None = Field(default=None, max_length=64)
    speech: str | None = Field(default=None, max_length=4000)
    order_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)
    call_status: str = Field(default="ringing", max_length=16)
    duration_seconds: int | None = None
    emergency_reminded: bool = False
    diverted_to_emergency: bool = False
    queue_result: str | None = Field(default=None, max_length=32)
    recording_url: str | None = Field(default=None, max_length=500)
    created_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)
    ended_at: datetime | None = utc_field(nullable=True)
