"""One row per job and period that ran: the unique key is what makes two schedulers safe."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from dispatch.database import UTCDateTime


class RecurringRun(SQLModel, table=True):
    __tablename__ = "recurring_run"
    __table_args__ = (UniqueConstraint("job", "period_key", name="uq_recurring_run"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    period_key: str = Field(max_length=100)
    ran_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    worker: str = Field(max_length=64)
    detail: str = Field(default="", max_length=500)
