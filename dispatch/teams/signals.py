"""A team change made on one instance reaches the others at once (PostgreSQL NOTIFY).

Every instance keeps copies of the teams and what they cover: routing reads them for each
order. The changing transaction sends a notification, which PostgreSQL delivers only if
it commits; each instance listening forgets its copies and reads the rows again. What was
sent while an instance was not listening is made up for by forgetting on reconnect, and
the copies' age limit (30 s) stays the floor. SQLite is one process: nothing to tell.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session
from starlette.datastructures import State

from dispatch.pg_listen import ChangeListener, notify_on_commit

CHANNEL = "hotline_teams"


def forget_team_copies(state: State) -> None:
    """The app's copies: coverage (routing) and reference rows (names, active flags)."""
    state.coverage.invalidate()
    state.db.reference.forget()


def announce_team_change(session: Session) -> None:
    """Call in the transaction that changes a team, coverage or names."""
    notify_on_commit(session, CHANNEL)


def team_change_listener(database_url: str, forget: Callable[[], None]) -> ChangeListener:
    """`forget` runs on the event loop for each change, made on any instance."""
    return ChangeListener(database_url, CHANNEL, forget, "team copies")
