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


class RulesInForce(SQLModel, table=True):
    """The one row every API instance routes by: which kept text is in force.

    `generation` counts every change, so an instance never goes back to rules older than the
    ones it already follows (a check that read the row just before a save committed)."""

    __tablename__ = "rules_in_force"

    id: int = Field(default=1, primary_key=True)
    version: str = Field(max_length=64)
    generation: int
    since: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # Who put it in force from the desk; None for a rules file picked up by an instance.
    by: str | None = Field(default=None, max_length=100)
