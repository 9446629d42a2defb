"""One row per admin change; append-only like the order event log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from dispatch.database import UTCDateTime


class AdminActionKind(StrEnum):
    user_created = "user_created"
    user_updated = "user_updated"
    password_reset = "password_reset"  # by an admin, or from the shell
    password_changed = "password_changed"  # by the user themself
    logins_ended = "logins_ended"  # 强制下线: every device signed out
    team_created = "team_created"
    team_updated = "team_updated"
    coverage_replaced = "coverage_replaced"
    rota_replaced = "rota_replaced"
    shift_added = "shift_added"
    shift_removed = "shift_removed"
    rules_reloaded = "rules_reloaded"
    rules_changed = "rules_changed"  # the file edited and saved from the desk
    resident_registered = "resident_registered"  # 帮扶对象 added to the register
    resident_changed = "resident_changed"  # incl. taken off it (active false) or put back
    knowledge_added = "knowledge_added"  # 知识库: a standard answer added
    knowledge_changed = "knowledge_changed"  # incl. retired (active false) or brought back


class AdminAction(SQLModel, table=True):
    __tablename__ = "admin_action"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    actor: str = Field(max_length=100)  # a username, or "cli" for the shell
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    action: str = Field(max_length=40, index=True)
    target: str = Field(max_length=100, index=True)  # a username, a team code, a rules file
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
