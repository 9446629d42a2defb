"""SQLite's write-ahead log copied into the database file by a background task, every second,
rather than by whichever request's commit crossed SQLite's threshold.

With SQLite's own automatic checkpoint, one create in ~100 waited ~90 ms for the copy and its
fsync, and every request queued behind it: creation's p99 at half rate was 75-95 ms in
`bench/bench_orders.py`, 22-26 ms with the copy moved here. A PASSIVE checkpoint waits for no
reader or writer, and sqlite3 lets go of the GIL while it copies and syncs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from dispatch.database import Database
from dispatch.tasks import cancel_all

log = logging.getLogger(__name__)

EVERY_SECONDS = 1.0
STOP_WAIT_SECONDS = 10.0  # a checkpoint in progress finishes in its thread first


class WalCheckpoints:
    """A BackgroundService of the app on SQLite (PostgreSQL keeps its own log)."""

    def __init__(self, db: Database, every_seconds: float = EVERY_SECONDS) -> None:
        self.db = db
        self.every_seconds = every_seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._stopping = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="wal-checkpoints")

    async def stop(self) -> None:
        """Cancelled mid-copy, the thread would go on and hand its connection back to a pool
        the app has disposed of: let it finish."""
        self._stopping.set()
        if self._task is not None:
            await asyncio.wait([self._task], timeout=STOP_WAIT_SECONDS)
            await cancel_all([self._task])
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.every_seconds)
            if self._stopping.is_set():
                return
            try:
                await asyncio.to_thread(self.db.checkpoint)
            except Exception:  # a full disk, say: SQLite's own checkpoint is still the net
                log.exception("SQLite checkpoint failed")
