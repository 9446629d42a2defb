"""SQLite's write-ahead log reaches the database file from the app's own background task, so
no resident's call waits behind the copy (dispatch/wal.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from dispatch.database import AUTOCHECKPOINT_PAGES, Database
from dispatch.wal import WalCheckpoints

LARGE_NOTE = "话" * 400_000  # 1.2 MB in UTF-8


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'desk.db'}")
    with db.session(write=True) as session:
        session.execute(text("CREATE TABLE call_note (body TEXT NOT NULL)"))
    db.checkpoint()
    yield db
    db.dispose()


def _write_a_large_note(db: Database) -> None:
    with db.session(write=True) as session:
        session.execute(text("INSERT INTO call_note (body) VALUES (:body)"), {"body": LARGE_NOTE})


def test_a_commit_leaves_the_copy_to_the_background(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.session() as session:
        pages = session.execute(text("PRAGMA wal_autocheckpoint")).scalar_one()
    assert pages == AUTOCHECKPOINT_PAGES
    before = (tmp_path / "desk.db").stat().st_size

    _write_a_large_note(sqlite_db)

    assert (tmp_path / "desk.db").stat().st_size == before  # still only in the log


def test_checkpoint_copies_the_whole_log_into_the_file(sqlite_db: Database, tmp_path: Path) -> None:
    before = (tmp_path / "desk.db").stat().st_size
    _write_a_large_note(sqlite_db)

    busy, in_log, copied = sqlite_db.checkpoint()

    assert (busy, copied) == (0, in_log)
    assert in_log > 0
    assert (tmp_path / "desk.db").stat().st_size > before + 1_000_000


def test_the_app_copies_the_log_every_second_without_a_commit_waiting(
    sqlite_db: Database, tmp_path: Path
) -> None:
    async def story() -> int:
        checkpoints = WalCheckpoints(sqlite_db, every_seconds=0.05)
        await checkpoints.start()
        try:
            before = (tmp_path / "desk.db").stat().st_size
            await asyncio.to_thread(_write_a_large_note, sqlite_db)
            deadline = time.monotonic() + 10
            while (tmp_path / "desk.db").stat().st_size == before:
                assert time.monotonic() < deadline, "the log was never copied"
                await asyncio.sleep(0.02)
            return (tmp_path / "desk.db").stat().st_size - before
        finally:
            await checkpoints.stop()

    assert asyncio.run(story()) > 1_000_000
