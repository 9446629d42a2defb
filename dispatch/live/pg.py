"""PostgreSQL wake-ups between instances: NOTIFY after a local commit, LISTEN for the rest.

A notification carries only the newest event id; the event log stays the truth, and the
tailer's poll covers notifications missed while the listening connection was down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg

from dispatch.database import log_retry
from dispatch.pg_listen import RECONNECT_SECONDS, conninfo, listen_forever
from dispatch.tasks import cancel_all

log = logging.getLogger(__name__)

CHANNEL = "hotline_events"


class PgSignals:
    def __init__(self, database_url: str, on_wake: Callable[[], None]) -> None:
        self._conninfo = conninfo(database_url)
        self._on_wake = on_wake
        self._announce = asyncio.Event()
        self._newest = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._announce = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._listen(), name="live-pg-listen"),
            asyncio.create_task(self._notify(), name="live-pg-notify"),
        ]

    async def stop(self) -> None:
        await cancel_all(self._tasks)
        self._tasks = []

    def announce(self, newest_id: int) -> None:
        """Called on the loop after a local commit: tell the other instances (coalesced)."""
        self._newest = max(self._newest, newest_id)
        self._announce.set()

    async def _listen(self) -> None:
        await listen_forever(self._conninfo, CHANNEL, self._on_wake, "live")

    async def _notify(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as conn:
                    while True:
                        await self._announce.wait()
                        self._announce.clear()
                        await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(self._newest)))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log_retry(log, "live: NOTIFY connection", exc)
                self._announce.set()  # the last announcement may not have gone out
            await asyncio.sleep(RECONNECT_SECONDS)
