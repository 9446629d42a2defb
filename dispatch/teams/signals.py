"""A team change made on one instance reaches the others at once (PostgreSQL NOTIFY).

Every instance keeps copies of the teams and what they cover: routing reads them for each
order. The changing transaction sends a notification, which PostgreSQL delivers only if
it commits; each instance listening forgets its copies and reads the rows again. What was
sent while an instance was not listening is made up for by forgetting on reconnect, and
the copies' age limit (30 s) stays the floor. SQLite is one process: nothing to tell.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from sqlalchemy import text
from sqlmodel import Session
from starlette.datastructures import State

from dispatch.pg_listen import conninfo, listen_forever

CHANNEL = "hotline_teams"


def forget_team_copies(state: State) -> None:
    """The app's copies: coverage (routing) and reference rows (names, active flags)."""
    state.coverage.invalidate()
    state.db.reference.forget()


def announce_team_change(session: Session) -> None:
    """Call in the transaction that changes a team, coverage or names."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


class TeamChangeListener:
    """A BackgroundService: `forget` runs on the event loop for each change, anywhere."""

    def __init__(self, database_url: str, forget: Callable[[], None]) -> None:
        self._conninfo = conninfo(database_url)
        self._forget = forget
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(
            listen_forever(self._conninfo, CHANNEL, self._forget, "team copies"),
            name="teams-listen",
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
