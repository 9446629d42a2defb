"""Teams that do the work, the places they cover and their 24-hour duty rota."""

from datetime import time
from enum import StrEnum

from sqlmodel import Field, SQLModel

from dispatch.database import EnumText


class TeamKind(StrEnum):
    property = "property"
    police = "police"
    legal_aid = "legal_aid"
    utility = "utility"
    volunteer = "volunteer"
    grid = "grid"
    governance_centre = "governance_centre"
    housing = "housing"
    community_service = "community_service"


class Team(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)
    kind: TeamKind = Field(sa_type=EnumText(TeamKind, 32), index=True)
    phone: str | None = Field(default=None, max_length=20)
    active: bool = True


class TeamCoverage(SQLModel, table=True):
    """One place a team answers for; a team with no rows covers the whole subdistrict."""

    id: int | None = Field(default=None, primary_key=True)
    team_code: str = Field(foreign_key="team.code", index=True, max_length=64)
    community_code: str | None = Field(default=None, foreign_key="community.code", max_length=64)
    compound_code: str | None = Field(default=None, foreign_key="compound.code", max_length=64)


class DutyShift(SQLModel, table=True):
    """Who leads the team between two local times every day; may run past midnight."""

    id: int | None = Field(default=None, primary_key=True)
    team_code: str = Field(foreign_key="team.code", index=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id")
    starts: time
    ends: time
