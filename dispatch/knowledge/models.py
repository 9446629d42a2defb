"""知识库: the standard answers the desk gives callers who need an answer, not a team."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from dispatch.database import UTCDateTime


class KnowledgeEntryBase(SQLModel):
    title: str = Field(max_length=100)
    answer: str = Field(max_length=2000)
    category_code: str | None = Field(default=None, foreign_key="category.code", max_length=64)
    # The words callers use for it (医保, 报销, 住院): searched beside the title.
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Retired (the office no longer gives that answer): kept for the record, never suggested.
    active: bool = Field(default=True)
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_by: str = Field(max_length=100)  # a username, or "demo" for the seeded entries


class KnowledgeEntry(KnowledgeEntryBase, table=True):
    __tablename__ = "knowledge_entry"

    id: int | None = Field(default=None, primary_key=True)
    # One more at every change: the sum over all entries tells each process whether its
    # searchable copy is still the database's (dispatch/knowledge/search.py).
    revision: int = Field(default=1)


class KnowledgeEntryPublic(KnowledgeEntryBase):
    id: int
