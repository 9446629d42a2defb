"""Kinds of request the hotline takes, each with a default priority."""

from sqlmodel import Field, SQLModel


class Category(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=200)
    default_priority: str = Field(default="P3", max_length=2)
