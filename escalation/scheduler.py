"""The scheduler: APScheduler runs the sweeper, the delivery worker and the recurring jobs.

Every job asks the database what is due, so any number of schedulers may run (each claim is
atomic); the recommended deployment runs one, in the server (`make run`) or beside several
API instances (`dispatch scheduler`). Jobs coalesce and never overlap themselves. After a
sweep, the sweeper job is woken early for a step due before its next regular run.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from dispatch.notify.port import Notifier
from dispatch.notify.registry import build_notifier
from dispatch.notify.worker import deliver_due
from escalation.recurring.jobs import run_recurring
from escalation.runtime import EscalationRuntime, default_worker_id
from escalation.timers.sweeper import StepOutcome, next_due_at, run_due_steps

log = logging.getLogger(__name__)

RECURRING_EVERY = timedelta(seconds=60)


class EscalationScheduler:
    def __init__(
        self,
        runtime: EscalationRuntime,
        *,
        notifier: Notifier | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.runtime = runtime
        self.worker_id = worker_id or default_worker_id()
        self._notifier = notifier
        self._scheduler: BackgroundScheduler | None = None

    @property
    def notifier(self) -> Notifier:
        if self._notifier is None:
            self._notifier = build_notifier(self.runtime.settings)
        return self._notifier

    # The jobs: plain methods, also called directly by tests and the CLI.
    def sweep(self) -> list[StepOutcome]:
        rt = self.runtime
        outcomes = run_due_steps(rt.db, rt.clock.now(), self.worker_id, ctx=rt.steps, tick=rt.tick)
        if outcomes:
            late = sum(o.late for o in outcomes)
            log.info("escalation sweep ran %d steps (%d late)", len(outcomes), late)
        self._wake_for_next_step()
        return outcomes

    def deliver(self) -> None:
        rt = self.runtime
        deliver_due(rt.db, self.notifier, rt.clock.now(), policy=rt.delivery)

    def recurring(self) -> None:
        rt = self.runtime
        run_recurring(rt.db, rt.clock.now(), self.worker_id, rt.recurring)

    def _wake_for_next_step(self) -> None:
        scheduler = self._scheduler
        if scheduler is None or not scheduler.running:
            return
        upcoming = next_due_at(self.runtime.db)
        job = scheduler.get_job("sweep")
        if upcoming is None or job is None or job.next_run_time is None:
            return
        wait = max((upcoming - self.runtime.clock.now()).total_seconds(), 0.0)
        wake = datetime.now(UTC) + timedelta(seconds=wait + 0.01)
        if wake < job.next_run_time:
            job.modify(next_run_time=wake)

    def _guard(self, name: str) -> None:
        try:
            getattr(self, name)()
        except Exception:  # the job runs again next interval; one failure must not stop it
            log.exception("escalation job %s failed", name)

    def start_background(self) -> None:
        interval = self.runtime.settings.escalation_sweep_seconds
        scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        now = datetime.now(UTC)
        # next_run_time=now: whatever came due while everything was down runs at start.
        for name, every in (
            ("sweep", interval),
            ("deliver", interval),
            ("recurring", RECURRING_EVERY.total_seconds()),
        ):
            scheduler.add_job(
                self._guard, "interval", args=[name], seconds=every, id=name, next_run_time=now
            )
        self._scheduler = scheduler
        scheduler.start()
        log.info("escalation scheduler started (every %.1f s, worker %s)", interval, self.worker_id)

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        self._scheduler = None

    # BackgroundService, for dispatch.main's lifespan.
    async def start(self) -> None:
        self.start_background()

    async def stop(self) -> None:
        await asyncio.to_thread(self.shutdown)
