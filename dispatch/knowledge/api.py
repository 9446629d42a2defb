"""知识库 over HTTP: the desk searches it while answering; supervisors keep it current."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dispatch.audit.api import Audit
from dispatch.audit.models import AdminActionKind
from dispatch.deps import ClockDep, Operator, RowId, SessionDep, Supervisor
from dispatch.knowledge import service
from dispatch.knowledge.models import KnowledgeEntryPublic
from dispatch.knowledge.search import ShelfCopy
from dispatch.knowledge.service import EntryDetails

router = APIRouter(prefix="/api/v1/knowledge", tags=["knowledge base"])


async def get_shelf_copy(request: Request) -> ShelfCopy:
    copy: ShelfCopy = request.app.state.knowledge
    return copy


ShelfCopyDep = Annotated[ShelfCopy, Depends(get_shelf_copy)]

Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Answer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class KnowledgeMatch(KnowledgeEntryPublic):
    score: float  # 0 when nothing was typed: a list, not a search
    matched: list[str]  # the keywords and title words the text shared


class KnowledgeFound(BaseModel):
    data: list[KnowledgeMatch]
    count: int


@router.get("", response_model=KnowledgeFound)
def search_knowledge(
    session: SessionDep,
    user: Operator,
    copy: ShelfCopyDep,
    q: Annotated[
        str, Query(max_length=500, description="what the caller asked, as the operator typed it")
    ] = "",
    category: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 10,
    active: Annotated[bool, Query(description="false: the retired entries instead")] = True,
) -> KnowledgeFound:
    """The standard answers best fitting `q`, best first; without `q`, the category's entries
    (or all), by category and title."""
    found = service.search(
        session, copy, q, category=category or None, limit=limit, retired=not active
    )
    data = [KnowledgeMatch(**m.entry.model_dump(), score=m.score, matched=m.matched) for m in found]
    return KnowledgeFound(data=data, count=len(data))


class KnowledgeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title = Field(examples=["医保报销材料"])
    answer: Answer
    category: str | None = Field(default=None, max_length=64, examples=["medical_insurance"])
    keywords: list[Keyword] = Field(default_factory=list, max_length=30, examples=[["医保"]])


class KnowledgeUpdate(BaseModel):
    """Only the fields sent change; `category: ""` clears it, `active: false` retires the
    entry (never suggested again, kept for the record) and `active: true` brings it back."""

    model_config = ConfigDict(extra="forbid")
    title: Title | None = None
    answer: Answer | None = None
    category: str | None = Field(default=None, max_length=64)
    keywords: list[Keyword] | None = Field(default=None, max_length=30)
    active: bool | None = Field(default=None, examples=[False])


@router.post("", response_model=KnowledgeEntryPublic, status_code=201)
def add_entry(
    body: KnowledgeCreate, session: SessionDep, user: Supervisor, clock: ClockDep, audit: Audit
) -> KnowledgeEntryPublic:
    entry = service.add(
        session, EntryDetails(**body.model_dump()), by=user.username, now=clock.now()
    )
    audit.record(
        AdminActionKind.knowledge_added,
        f"knowledge/{entry.id}",
        title=entry.title,
        category=entry.category_code,
    )
    return KnowledgeEntryPublic.model_validate(entry, from_attributes=True)


@router.patch("/{entry_id}", response_model=KnowledgeEntryPublic)
def change_entry(
    entry_id: RowId,
    body: KnowledgeUpdate,
    session: SessionDep,
    user: Supervisor,
    clock: ClockDep,
    audit: Audit,
) -> KnowledgeEntryPublic:
    entry = service.require_entry(session, entry_id, for_change=True)
    details = EntryDetails(**body.model_dump())
    changed = service.change(session, entry, details, by=user.username, now=clock.now())
    if changed:
        audit.record(AdminActionKind.knowledge_changed, f"knowledge/{entry.id}", **changed)
    return KnowledgeEntryPublic.model_validate(entry, from_attributes=True)
