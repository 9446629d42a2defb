"""Reference rows (categories, places, teams) kept in memory: intake reads them on every order.

Only loading the config and the team admin routes change them. A code not found is asked of
the database again, so a newly loaded one works at once; a change made by another instance
is seen within `ttl_seconds`, as for the routing coverage (dispatch/teams/service.py).
"""

from __future__ import annotations

import threading
from time import monotonic
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

Row = TypeVar("Row", bound=SQLModel)


class ReferenceRows:
    """One per database. Rows handed out are copies, detached: read them, never add them."""

    def __init__(self, ttl_seconds: float = 30.0) -> None:
        self.ttl = ttl_seconds
        self._rows: dict[tuple[type[Any], str], tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, model: type[Row], key: str) -> Row | None:
        now = monotonic()
        hit = self._rows.get((model, key))
        if hit is not None and now - hit[0] < self.ttl:
            row: Row = hit[1]
            return row
        found = session.get(model, key)
        if found is None:
            return None
        copy = model.model_validate(found.model_dump())
        with self._lock:
            self._rows[(model, key)] = (now, copy)
        return copy

    def forget(self) -> None:
        with self._lock:
            self._rows.clear()


def reference_row(session: Session, model: type[Row], key: str) -> Row | None:
    """By primary key, from the database's reference rows if the session has them."""
    rows = session.info.get("reference")
    if isinstance(rows, ReferenceRows):
        return rows.get(session, model, key)
    return session.get(model, key)
