"""Every text the rules file has had in force, by version: orders name the version that
routed them (`routing.rules_version`), and a text can be read back and restored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from dispatch.database import UTCDateTime


class RulesVersion(SQLModel, table=True):
    __tablename__ = "rules_version"

    version: str = Field(primary_key=True, max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    rules: int  # enabled rules in it
    kept_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    # Who saved it from the desk; None for a text found in force (written by hand, or loaded
    # at start) and kept when it was replaced or reloaded.
    saved_by: str | None = Field(default=None, max_length=100)
