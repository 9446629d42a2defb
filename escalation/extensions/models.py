"""One request for more time on an order, and what the supervisor decided."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from dispatch.database import EnumText, UTCDateTime


class ExtensionStatus(StrEnum):
    pending = "pending"
    granted = "granted"
    refused = "refused"


class ExtensionRequest(SQLModel, table=True):
    __tablename__ = "extension_request"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    team_code: str | None = Field(default=None, max_length=64)
    requested_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    reason: str = Field(max_length=1000)
    requested_due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: ExtensionStatus = Field(sa_type=EnumText(ExtensionStatus, 12), index=True)
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    decision_note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
