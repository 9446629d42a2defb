"""The address hierarchy below the street office: community (社区) and compound (小区)."""

from sqlmodel import Field, SQLModel


class Community(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)


class Compound(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=64)
    community_code: str = Field(foreign_key="community.code", index=True, max_length=64)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)
