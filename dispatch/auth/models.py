"""People who log in, and the role that decides what they may see and do."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Column, Field, SQLModel

from dispatch.database import EnumText, UTCDateTime


class Role(StrEnum):
    operator = "operator"
    team_leader = "team_leader"
    team_member = "team_member"
    supervisor = "supervisor"
    admin = "admin"

    @property
    def is_team_role(self) -> bool:
        return self in (Role.team_leader, Role.team_member)


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str = Field(max_length=100)
    role: Role = Field(sa_type=EnumText(Role, 20))
    team_code: str | None = Field(default=None, foreign_key="team.code", index=True, max_length=64)
    phone: str | None = Field(default=None, max_length=20)
    password_hash: str = Field(max_length=200)
    active: bool = True
    # Logins made up to then are over (an admin signed the user out, e.g. a lost phone).
    logins_ended_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=True)
    )


class LoginFailure(SQLModel, table=True):
    """One refused login, counted for a window by every API instance sharing the database.

    `key` is "user:<username>|<address>" or "address:<address>"."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key_at", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))


class EndedSession(SQLModel, table=True):
    """A login ended by logging out: its tokens, renewed or not, are refused from then on.

    Kept until the login would have ended anyway (`session_hours` after it), then forgotten."""

    __tablename__ = "ended_session"

    session_id: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="app_user.id")
    ended_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    forget_after: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
