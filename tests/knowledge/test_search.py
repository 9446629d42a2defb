"""Ranking the standard answers, and the copy of them each process keeps for its searches."""

from __future__ import annotations

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.knowledge import service
from dispatch.knowledge.search import ShelfCopy
from dispatch.knowledge.service import EntryDetails


def test_a_keyword_counts_only_as_whole_words_of_what_the_caller_said(db: Database) -> None:
    copy = ShelfCopy()
    with db.session() as session:
        # 停水 is in 暂停水费 only across jieba's words (暂停|水费): a question about the bill.
        assert not service.search(session, copy, "暂停水费怎么缴纳")
        (found,) = service.search(session, copy, "我们楼停水了", limit=1)
    assert (found.entry.title, found.matched) == ("停水咨询", ["停水"])


def test_the_shelf_is_segmented_once_and_again_only_after_a_change(
    db: Database, clock: FrozenClock
) -> None:
    copy = ShelfCopy()
    with db.session() as session:
        shelf = copy.current(session)
        assert copy.current(session) is shelf  # nothing changed: nothing segmented again
    with db.session(write=True) as session:
        entry = service.search(session, copy, "低保", limit=1)[0].entry
        kept = service.require_entry(session, entry.id, for_change=True)
        service.change(
            session, kept, EntryDetails(active=False), by="supervisor.zhang", now=clock.now()
        )
    with db.session() as session:
        again = copy.current(session)
        assert again is not shelf
        assert "低保申请" not in {s.entry.title for s in again.entries}
