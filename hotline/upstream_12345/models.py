"""Orders pushed down by the city's 12345 platform: one row per upstream number."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from hotline.db import utc_field


class UpstreamOrder(SQLModel, table=True):
    __tablename__ = "upstream_order"

    id: int | None = Field(default=None, primary_key=True)
    upstream_number: str = Field(unique=True, max_length=64)
    version: int = 1
    order_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)
    upstream_deadline: datetime | None = utc_field(nullable=True)
    received_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)
