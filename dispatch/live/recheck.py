"""Open sockets outlive their handshake, so the users table is asked again now and then.

A user locked out, or whose password changed, is closed with 4401 and the page goes to the
login; one whose role or team changed gets a resync and 4409, and reconnects to see what
the new team sees. Each instance checks its own sockets against the shared table: this
holds with several instances and no message between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session

from dispatch.auth.models import User
from dispatch.auth.service import ended_sessions, refusal, users_by_id
from dispatch.live.audience import Viewer
from dispatch.live.protocol import CLOSE_RESYNC, CLOSE_UNAUTHORIZED

_IDS_PER_QUERY = 500  # well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class Ending:
    code: int
    reason: str


def ending_for(
    viewer: Viewer, user: User | None, *, secret: str, ended: bool = False
) -> Ending | None:
    """How that viewer's socket must end now, or None while it still stands."""
    refused = refusal(user, viewer.login, secret=secret, ended=ended)
    if refused is not None:
        return Ending(CLOSE_UNAUTHORIZED, refused)
    assert user is not None
    if user.role != viewer.role or user.team_code != viewer.team_code:
        return Ending(CLOSE_RESYNC, "role_or_team_changed")
    return None


def endings(session: Session, viewers: Iterable[Viewer], *, secret: str) -> dict[Viewer, Ending]:
    distinct = set(viewers)
    users: dict[int, User] = {}
    for ids in _chunks({v.user_id for v in distinct}):
        users.update(users_by_id(session, ids))
    ended: set[str] = set()
    for sids in _chunks({v.login.session_id for v in distinct}):
        ended |= ended_sessions(session, sids)
    found = {
        v: ending_for(v, users.get(v.user_id), secret=secret, ended=v.login.session_id in ended)
        for v in distinct
    }
    return {viewer: ending for viewer, ending in found.items() if ending is not None}


Key = TypeVar("Key", int, str)


def _chunks(keys: set[Key]) -> list[list[Key]]:
    """Sorted, in slices a single IN (...) can take."""
    ordered = sorted(keys)
    return [ordered[i : i + _IDS_PER_QUERY] for i in range(0, len(ordered), _IDS_PER_QUERY)]
