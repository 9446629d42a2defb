"""People who log in, and the role that decides what they may see and do."""

from enum import StrEnum

from sqlmodel import Field, SQLModel

from dispatch.database import EnumText


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
