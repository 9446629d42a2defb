"""A consistent copy of a SQLite desk while it runs (SQLite's online backup), checked before
it is kept. PostgreSQL desks are backed up with pg_dump and WAL archiving instead."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path


class BackupRefused(Exception):
    pass


@dataclass(frozen=True)
class Backup:
    path: Path
    size_bytes: int
    work_orders: int
    events: int


def backup_sqlite(database_url: str, target: Path) -> Backup:
    if not database_url.startswith("sqlite:///"):
        raise BackupRefused(
            "this desk runs on PostgreSQL: back it up with `pg_dump -Fc` and WAL archiving"
            " (README, Production)"
        )
    source = Path(database_url.removeprefix("sqlite:///"))
    if not source.exists():
        raise BackupRefused(f"no database at {source}")
    if target.exists():
        raise BackupRefused(f"{target} exists: a backup never overwrites a file")
    partial = target.with_name(f".{target.name}.partial")
    try:
        # One step, under one read transaction: in WAL mode the desk keeps writing meanwhile,
        # and the copy is the database as of the moment the step began.
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(partial)) as copy:
            live.backup(copy)
            found = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if found != "ok":
                raise BackupRefused(f"the copy failed its integrity check: {found}")
            orders = copy.execute("SELECT count(*) FROM work_order").fetchone()[0]
            events = copy.execute("SELECT count(*) FROM order_event").fetchone()[0]
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, target.stat().st_size, orders, events)
