"""Assisted residents (帮扶对象): people the community looks after, keyed by phone."""

from enum import StrEnum

from sqlmodel import Field, SQLModel

from dispatch.database import EnumText


class CareKind(StrEnum):
    elderly_alone = "elderly_alone"
    disabled = "disabled"
    ill = "ill"


class AssistedResident(SQLModel, table=True):
    phone: str = Field(primary_key=True, max_length=20)
    name: str = Field(max_length=100)
    kind: CareKind = Field(sa_type=EnumText(CareKind, 20))
    community_code: str | None = Field(default=None, foreign_key="community.code", max_length=64)
    care_team_code: str | None = Field(default=None, foreign_key="team.code", max_length=64)
    care_note: str = Field(default="", max_length=500)
    # Where the care team goes on its visits: building, unit, room.
    address: str = Field(default="", max_length=200)
    # Off the register (moved away, passed away, no longer in need) but kept: their calls are
    # no longer flagged and no visits are made, and the record stays for the orders it marked.
    active: bool = Field(default=True)
