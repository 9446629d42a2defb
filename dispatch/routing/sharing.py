"""Every API instance routes by the same rules: the database says which are in force.

A save on the desk, a reload, or an instance's rules file edited by hand puts rules in force
for all (`history.put_in_force`). Each instance follows that row: at once on PostgreSQL
(NOTIFY), and every `recheck_seconds` whatever happens (a notification missed while the
listening connection was down; other processes on one SQLite file). An instance that starts
with a rules text never kept before (a new deploy, a hand edit made while it was down) puts
it in force; one that starts with a text kept before (an older copy of config/) follows the
database instead of undoing a colleague's change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlmodel import Session

from dispatch.clock import Clock
from dispatch.database import Database, log_retry
from dispatch.pg_listen import ChangeListener
from dispatch.routing import history
from dispatch.routing.loader import FromFile, RulesFileError, RulesRegistry, parse_rules
from dispatch.routing.models import RulesInForce, RulesVersion
from dispatch.tasks import cancel_all

log = logging.getLogger(__name__)

STOP_WAIT_SECONDS = 10.0  # a look is one or two short transactions


class RulesSharing:
    """A BackgroundService: tells the other instances of this one's rules file, and follows
    theirs."""

    def __init__(
        self, registry: RulesRegistry, db: Database, clock: Clock, recheck_seconds: float
    ) -> None:
        self.registry = registry
        self.db = db
        self.clock = clock
        self.recheck_seconds = recheck_seconds
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._looking: asyncio.Task[None] | None = None
        self._listener = (
            None if db.is_sqlite else ChangeListener(db.url, history.CHANNEL, self.wake, "rules")
        )

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        self.registry.look_at_shared = self.wake
        await self._pass()  # before the first request: never route by an outdated file
        self._looking = asyncio.create_task(self._run(), name="rules-sharing")
        if self._listener is not None:
            await self._listener.start()

    async def stop(self) -> None:
        """A look in progress (a worker thread) finishes first: cancelled, it would go on in
        its thread and hand its connection back to a pool the app has disposed of."""
        self.registry.look_at_shared = None
        self._stopping = True
        self._wake.set()
        if self._listener is not None:
            await self._listener.stop()
        if self._looking is not None:
            await asyncio.wait([self._looking], timeout=STOP_WAIT_SECONDS)
            await cancel_all([self._looking])
        self._looking = None

    def wake(self) -> None:
        """Look at the row now; callable from any thread."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.recheck_seconds)
            self._wake.clear()
            if not self._stopping:
                await self._pass()

    async def _pass(self) -> None:
        try:
            await asyncio.to_thread(self.sync)
        except Exception as exc:  # the database is down: route by the rules we have
            log_retry(log, "rules in force", exc)

    def sync(self) -> None:
        """One look at the row: tell the others of this instance's file, or follow theirs."""
        registry = self.registry
        news = registry.from_file
        with self.db.session() as session:
            row = history.in_force(session)
            if news is None or not _is_news(session, news, row):
                if news is not None:
                    same = row is not None and row.version == news.rules.version
                    registry.told(news.rules, row.generation if row and same else 0)
                if row is not None:
                    self._follow(session, row)
                return
        with self.db.session(write=True) as session:
            generation = history.put_in_force(session, news.rules, now=self.clock.now()).generation
        registry.told(news.rules, generation)
        log.info("rules %s from %s put in force everywhere", news.rules.version, registry.path)

    def _follow(self, session: Session, row: RulesInForce) -> None:
        registry = self.registry
        if row.generation <= registry.generation:
            return
        if row.version == registry.current.version:
            registry.follow(registry.current, row.generation)
            return
        kept = session.get(RulesVersion, row.version)
        if kept is None:
            return  # put in force by code that does not keep texts: nothing to follow
        try:
            shared = parse_rules(kept.text, str(registry.path), registry.vocabulary)
        except RulesFileError as exc:  # another teams.yaml here: half-way through a deploy
            registry.shared_error = f"rules {row.version} in force elsewhere refused here: {exc}"
            log.error("%s", registry.shared_error)
            return
        registry.shared_error = None
        if registry.follow(shared, row.generation):
            log.info("following rules %s put in force by %s", row.version, row.by or "a file")


def _is_news(session: Session, news: FromFile, row: RulesInForce | None) -> bool:
    """Whether the rules read from this instance's file should be in force everywhere."""
    if row is None:
        return True
    if news.rules.version == row.version:
        return False
    # Edited while running: news. Found at start: news only if no instance ever had it.
    return not news.at_start or session.get(RulesVersion, news.rules.version) is None
