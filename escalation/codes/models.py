"""A six-digit code that lets one leader accept one order by SMS reply or keypad."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from dispatch.database import UTCDateTime


class AcceptCode(SQLModel, table=True):
    __tablename__ = "accept_code"
    __table_args__ = (Index("ix_accept_code_code_phone", "code", "phone"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    user_id: int = Field(foreign_key="app_user.id")
    team_code: str = Field(max_length=64)
    phone: str = Field(max_length=20)
    step_id: int | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
