"""The knowledge base: searching it for an answer, adding, changing and retiring entries.

No HTTP. Services never commit: the request owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from dispatch.changes import apply_changes
from dispatch.errors import NotFound
from dispatch.knowledge.models import KnowledgeEntry
from dispatch.knowledge.search import Match, ShelfCopy, rank, shelve
from dispatch.orders.service import require_category
from dispatch.routing.keywords import normalise


def search(
    session: Session,
    copy: ShelfCopy,
    text: str,
    *,
    category: str | None = None,
    limit: int = 10,
    retired: bool = False,
) -> list[Match]:
    """The active entries best fitting `text` (from this process's copy); `retired`: the
    retired ones instead, read afresh (only the 知识库 page asks for them)."""
    if category:
        require_category(session, category)
    if not retired:
        return rank(copy.current(session), text, category, limit)
    rows = session.exec(select(KnowledgeEntry).where(col(KnowledgeEntry.active).is_(False))).all()
    return rank(shelve(rows), text, category, limit)


def require_entry(session: Session, entry_id: int, *, for_change: bool = False) -> KnowledgeEntry:
    # Locked for a change: two edits at once each add their own revision, so the stamp every
    # process compares its copy with moves at every change (dispatch/knowledge/search.py).
    entry = session.get(KnowledgeEntry, entry_id, with_for_update=for_change)
    if entry is None:
        raise NotFound(f"no knowledge entry {entry_id}", field="entry_id")
    return entry


@dataclass(frozen=True)
class EntryDetails:
    """What the desk may set. In a change, None leaves a field as it is; `category: ""`
    clears it."""

    title: str | None = None
    answer: str | None = None
    category: str | None = None
    keywords: list[str] | None = None
    active: bool | None = None


def add(session: Session, details: EntryDetails, *, by: str, now: datetime) -> KnowledgeEntry:
    entry = KnowledgeEntry(
        title=details.title or "",
        answer=details.answer or "",
        category_code=_category(session, details.category),
        keywords=_keywords(details.keywords or []),
        active=True if details.active is None else details.active,
        updated_at=now,
        updated_by=by,
    )
    session.add(entry)
    session.flush()
    return entry


def change(
    session: Session, entry: KnowledgeEntry, changes: EntryDetails, *, by: str, now: datetime
) -> dict[str, Any]:
    """Apply the fields given; returns what changed, fit for the admin log (the answer's
    text is long: the log says only that it changed)."""
    wanted: dict[str, Any] = {
        "title": changes.title,
        "answer": changes.answer,
        "active": changes.active,
    }
    if changes.category is not None:
        wanted["category_code"] = _category(session, changes.category)
    if changes.keywords is not None:
        wanted["keywords"] = _keywords(changes.keywords)
    changed = apply_changes(entry, wanted, clearable=("category_code",), private=("answer",))
    if changed:
        entry.revision += 1
        entry.updated_at, entry.updated_by = now, by
        session.add(entry)
    return changed


def _category(session: Session, code: str | None) -> str | None:
    return require_category(session, code).code if code else None


def _keywords(keywords: list[str]) -> list[str]:
    """Trimmed, each once (ＷＩＦＩ and wifi are one), in the order given."""
    kept: dict[str, str] = {}
    for keyword in keywords:
        kept.setdefault(normalise(keyword.strip()), keyword.strip())
    return [k for k in kept.values() if k]
