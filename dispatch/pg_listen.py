"""PostgreSQL NOTIFY and LISTEN between API instances: a notice sent with a transaction, and
the listening loop (with reconnects) the push hub, the team copies and the rules share."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from dispatch.database import log_retry
from dispatch.tasks import cancel_all

log = logging.getLogger(__name__)

RECONNECT_SECONDS = 1.0


def conninfo(database_url: str) -> str:
    """postgresql+psycopg://... (SQLAlchemy) -> postgresql://... (libpq)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def listen_forever(dsn: str, channel: str, on_notice: Callable[[], None], what: str) -> None:
    """Call `on_notice` for every notification on `channel`, and once after each (re)connect
    for whatever was sent while nobody listened. Runs until cancelled. `dsn`: conninfo()."""
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                await conn.execute(f"LISTEN {channel}")
                on_notice()
                async for _notice in conn.notifies():
                    on_notice()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log_retry(log, f"{what}: LISTEN connection", exc)
        await asyncio.sleep(RECONNECT_SECONDS)


def notify_on_commit(session: Session, channel: str) -> None:
    """Tell the other instances, if this transaction commits (PostgreSQL delivers a NOTIFY
    only then). SQLite is one process: nobody to tell."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


class ChangeListener:
    """A BackgroundService: `on_notice` runs on the event loop for every notice on `channel`,
    and after each (re)connect for what was sent while nobody listened."""

    def __init__(
        self, database_url: str, channel: str, on_notice: Callable[[], None], what: str
    ) -> None:
        self._conninfo = conninfo(database_url)
        self._channel, self._on_notice, self._what = channel, on_notice, what
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        listen = listen_forever(self._conninfo, self._channel, self._on_notice, self._what)
        self._tasks = [asyncio.create_task(listen, name=f"listen-{self._channel}")]

    async def stop(self) -> None:
        await cancel_all(self._tasks)
        self._tasks = []
