"""PostgreSQL LISTEN with reconnects: the loop the push hub and the team copies share."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

from dispatch.database import log_retry

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
