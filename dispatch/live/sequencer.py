"""Turn reads of the event log into one ordered stream, despite out-of-order commits.

On PostgreSQL ids are taken at insert and transactions commit in any order: a read may see
id 12 while 11 is still uncommitted. Events are released in id order; one behind a hole
waits up to `grace` seconds for the hole to fill (usually milliseconds). A hole still empty
after that (a rolled-back insert) is skipped but watched for a while, so an event that
commits very late is still delivered, late, rather than lost.
"""

from __future__ import annotations

from collections.abc import Iterable

from dispatch.events.bus import EventMessage

MAX_WATCHED = 2000


class Sequencer:
    def __init__(self, cursor: int, *, grace: float, late_window: float) -> None:
        self.cursor = cursor  # every id <= cursor was released or given up on
        self.grace = grace
        self.late_window = late_window
        self._blocked_since: float | None = None
        self._watched: dict[int, float] = {}  # skipped id -> stop watching at

    @property
    def watched(self) -> list[int]:
        return list(self._watched)

    def deadline(self) -> float | None:
        """When a held-back event must be released even if its hole is still empty."""
        return None if self._blocked_since is None else self._blocked_since + self.grace

    def accept(
        self, newer: Iterable[EventMessage], late: Iterable[EventMessage], now: float
    ) -> list[EventMessage]:
        """Given events with id > cursor (ascending) and found watched ids, what to send now."""
        released: list[EventMessage] = []
        for message in late:
            if self._watched.pop(message.id, None) is not None:
                released.append(message)
        self._watched = {i: until for i, until in self._watched.items() if until > now}
        for message in newer:
            if message.id <= self.cursor:
                continue
            if message.id != self.cursor + 1:
                if self._blocked_since is None:
                    self._blocked_since = now
                if now < self._blocked_since + self.grace:
                    break  # hold it (and everything after it) a little longer
                for missing in range(self.cursor + 1, message.id):
                    if len(self._watched) < MAX_WATCHED:
                        self._watched[missing] = now + self.late_window
            released.append(message)
            self.cursor = message.id
            self._blocked_since = None
        return released

    def held_back(self) -> bool:
        return self._blocked_since is not None
