"""Column helpers shared by the hotline's tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column
from sqlmodel import Field

from dispatch.database import UTCDateTime


def utc_field(*, nullable: bool) -> Any:
    """An aware-UTC timestamp column (SQLite and PostgreSQL alike)."""
    return Field(default=None, sa_column=Column(UTCDateTime, nullable=nullable))
