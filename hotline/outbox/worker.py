"""Delivers the outbox after commit: claim, send outside any transaction, settle.

A crash between sending and settling leaves the claim to expire, so the message is sent
again (at least once); receivers drop repeats by the Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session

from dispatch.clock import Clock
from dispatch.database import Database, log_retry
from dispatch.events.bus import EventMessage
from hotline.outbox import service as outbox
from hotline.outbox.destinations import DeliveryError, Destination
from hotline.outbox.models import OutboxMessage

log = logging.getLogger(__name__)

# Runs in the settling transaction after a delivery (e.g. "handed to police" on the order).
AfterDelivery = Callable[[Session, OutboxMessage, str | None, datetime], None]


class OutboxWorker:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        destinations: dict[str, Destination],
        *,
        after_delivery: dict[str, AfterDelivery] | None = None,
        policy: outbox.RetryPolicy | None = None,
        batch: int = 20,
        lease: timedelta = timedelta(minutes=2),
        poll_seconds: float = 2.0,
    ) -> None:
        self.db = db
        self.clock = clock
        self.destinations = destinations
        self.after_delivery = after_delivery or {}
        self.policy = policy or outbox.RetryPolicy()
        self.batch = batch
        self.lease = lease
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def run_once(self) -> int:
        """One pass: deliver every message due now (one per order stream). Returns how many."""
        now = self.clock.now()
        with self.db.session(write=True) as session:
            claimed = [
                m
                for m in outbox.due(session, now, self.batch)
                if m.id is not None
                and m.destination in self.destinations
                and outbox.claim(session, m.id, now, self.lease)
            ]
        for message in claimed:
            self._deliver(message)
        return len(claimed)

    def drain(self, max_rounds: int = 100) -> int:
        """Deliver until nothing is due at the current time (tests, `dispatch` commands)."""
        total = 0
        for _ in range(max_rounds):
            done = self.run_once()
            if done == 0:
                break
            total += done
        return total

    def _deliver(self, message: OutboxMessage) -> None:
        now = self.clock.now()
        reference: str | None = None
        error: str | None = None
        try:
            reference = self.destinations[message.destination].deliver(message, now)
        except DeliveryError as exc:
            error = str(exc) or type(exc).__name__
        except Exception as exc:  # a bug in a destination must not stop the others
            log.exception("outbox destination %s failed", message.destination)
            error = f"{type(exc).__name__}: {exc}"
        with self.db.session(write=True) as session:
            stored = session.get(OutboxMessage, message.id)
            if stored is None:
                return
            if error is not None:
                outbox.attempt_failed(session, stored, now, error, self.policy)
                return
            outbox.delivered(session, stored, now, reference)
            hook = self.after_delivery.get(stored.destination)
            if hook is not None:
                hook(session, stored, reference, now)

    # --- running beside the API -------------------------------------------------------

    def wake(self, _messages: list[EventMessage] | None = None) -> None:
        """After a commit: look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name="hotline-outbox")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                await asyncio.to_thread(self.run_once)
            except Exception as exc:
                log_retry(log, "outbox pass", exc)
            await asyncio.to_thread(self._wake.wait, self.poll_seconds)
            self._wake.clear()
