"""The hub: tails the event log and fans each event out to the connections that may see it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from dispatch.clock import Clock
from dispatch.database import Database, log_retry
from dispatch.events.bus import EventMessage
from dispatch.live import log as event_log
from dispatch.live import protocol, recheck
from dispatch.live.audience import Viewer
from dispatch.live.config import LiveConfig
from dispatch.live.connection import HEARTBEAT, Connection
from dispatch.live.pg import PgSignals
from dispatch.live.recheck import Ending
from dispatch.live.sequencer import Sequencer

log = logging.getLogger(__name__)


class LiveHub:
    """A BackgroundService: start() with the app, stop() before the database goes."""

    def __init__(self, db: Database, clock: Clock, config: LiveConfig, *, secret: str) -> None:
        self.db = db
        self.secret = secret  # to read the password stamps of open sockets' tokens
        self.clock = clock
        self.config = config  # may be replaced before start (tests shorten the intervals)
        self._everything: set[Connection] = set()
        self._by_team: dict[str, set[Connection]] = {}
        self._team_users: dict[int, set[Connection]] = {}  # for the reports they made
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        self._sequencer = Sequencer(0, grace=config.gap_grace_seconds, late_window=60.0)
        self._signals: PgSignals | None = None
        db.bus.on_committed(self._committed)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        newest = await asyncio.to_thread(self._read_newest_id)
        self._sequencer = Sequencer(
            newest,
            grace=self.config.gap_grace_seconds,
            late_window=self.config.late_window_seconds,
        )
        if not self.db.is_sqlite:
            self._signals = PgSignals(self.db.url, self._wake.set)
            await self._signals.start()
        self._tasks = [
            asyncio.create_task(self._tail(), name="live-tail"),
            asyncio.create_task(self._heartbeats(), name="live-heartbeat"),
            asyncio.create_task(self._recheck(), name="live-recheck"),
        ]

    async def stop(self) -> None:
        self._stopping = True
        self._loop = None
        self._wake.set()
        if self._signals is not None:
            await self._signals.stop()
            self._signals = None
        for task in self._tasks[1:]:  # [0] is the tail
            task.cancel()
        for task in self._tasks:
            # The tail finishes its read (a thread) instead of leaving it behind a disposed pool.
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    # --- connections -----------------------------------------------------------------------

    @property
    def cursor(self) -> int:
        """Every event up to here has been handed to the connections registered then."""
        return self._sequencer.cursor

    def register(self, connection: Connection) -> int:
        """Start queueing live events for it; returns the cursor its replay must reach."""
        team = connection.viewer.team_code
        if connection.viewer.is_team:
            if team is not None:
                self._by_team.setdefault(team, set()).add(connection)
            self._team_users.setdefault(connection.viewer.user_id, set()).add(connection)
        else:
            self._everything.add(connection)
        return self.cursor

    def unregister(self, connection: Connection) -> None:
        self._everything.discard(connection)
        team = connection.viewer.team_code
        if team is not None and team in self._by_team:
            self._by_team[team].discard(connection)
            if not self._by_team[team]:
                del self._by_team[team]
        own = self._team_users.get(connection.viewer.user_id)
        if own is not None:
            own.discard(connection)
            if not own:
                del self._team_users[connection.viewer.user_id]

    @property
    def connection_count(self) -> int:
        return len(self._everything) + sum(len(c) for c in self._by_team.values())

    def _connections(self) -> list[Connection]:
        return [*self._everything, *(c for team in self._by_team.values() for c in team)]

    # --- delivery --------------------------------------------------------------------------

    def _committed(self, messages: list[EventMessage]) -> None:
        """The bus's after-commit handler, in the committing thread: wake the loop, no more."""
        loop = self._loop
        if loop is None or not messages:
            return
        newest = max(m.id for m in messages)
        with contextlib.suppress(RuntimeError):  # the loop closed under us: nothing to push
            loop.call_soon_threadsafe(self._local_commit, newest)

    def _local_commit(self, newest: int) -> None:
        self._wake.set()
        if self._signals is not None:
            self._signals.announce(newest)

    def publish(self, messages: list[EventMessage]) -> None:
        """Fan out: one JSON text per audience, put_nowait into each connection's queue."""
        for message in messages:
            if self._everything:
                text = protocol.event(message, for_team=False)
                for connection in self._everything:
                    connection.offer(message.id, text)
            team_text: str | None = None
            for team in message.team_codes:
                for connection in self._by_team.get(team, ()):
                    team_text = team_text or protocol.event(message, for_team=True)
                    connection.offer(message.id, team_text)
            if message.reporter_id is None:
                continue
            # 巡查上报: the reporter, and their leader, wherever the report went (once each).
            followers = [
                *self._team_users.get(message.reporter_id, ()),
                *(
                    c
                    for c in self._by_team.get(message.reporter_team or "", ())
                    if c.viewer.follows_reports_of(message)
                    and c.viewer.user_id != message.reporter_id
                ),
            ]
            for connection in followers:
                if connection.viewer.team_code not in message.team_codes:  # not sent above
                    team_text = team_text or protocol.event(message, for_team=True)
                    connection.offer(message.id, team_text)

    async def _tail(self) -> None:
        while not self._stopping:
            timeout = self.config.poll_seconds
            deadline = self._sequencer.deadline()
            if deadline is not None:
                timeout = max(0.0, min(timeout, deadline - time.monotonic()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
            self._wake.clear()
            if self._stopping:
                return
            try:
                await self._drain()
            except Exception as exc:
                log_retry(log, "live: reading the event log", exc)

    async def _drain(self) -> None:
        while True:
            cursor, watched = self._sequencer.cursor, self._sequencer.watched
            newer, late = await asyncio.to_thread(self._read, cursor, watched)
            released = self._sequencer.accept(newer, late, time.monotonic())
            if released:
                self.publish(released)
            if len(newer) < self.config.batch_size or self._sequencer.held_back():
                return

    async def _heartbeats(self) -> None:
        while True:
            await asyncio.sleep(self.config.heartbeat_seconds)
            text = protocol.heartbeat(self.clock.now())
            for connection in self._connections():
                connection.offer(HEARTBEAT, text)

    async def _recheck(self) -> None:
        """End the sockets of users locked out, re-passworded or moved since they connected."""
        while True:
            await asyncio.sleep(self.config.recheck_seconds)
            connections = self._connections()
            if not connections:
                continue
            try:
                ended = await asyncio.to_thread(self._read_endings, connections)
            except Exception as exc:
                log_retry(log, "live: re-checking the users of open sockets", exc)
                continue
            for connection in connections:
                ending = ended.get(connection.viewer)
                if ending is not None:
                    connection.end(ending)

    # --- reads (worker threads) ------------------------------------------------------------

    def _read_newest_id(self) -> int:
        with self.db.session() as session:
            return event_log.newest_id(session)

    def _read(
        self, cursor: int, watched: list[int]
    ) -> tuple[list[EventMessage], list[EventMessage]]:
        with self.db.session() as session:
            newer = event_log.read_after(session, cursor, limit=self.config.batch_size)
            late = event_log.read_ids(session, watched)
        return newer, late

    def _read_endings(self, connections: list[Connection]) -> dict[Viewer, Ending]:
        with self.db.session() as session:
            return recheck.endings(session, (c.viewer for c in connections), secret=self.secret)

    def replay_page(self, after_id: int, upto: int) -> list[EventMessage]:
        with self.db.session() as session:
            return event_log.read_after(session, after_id, upto=upto, limit=self.config.batch_size)
