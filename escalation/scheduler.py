"""The scheduler: APScheduler runs the sweeper, the delivery worker and the recurring jobs.

Every job asks the database what is due, so any number of schedulers may run (each claim is
atomic); the recommended deployment runs one, in the server (`make run`) or beside several
API instances (`dispatch scheduler`). Jobs coalesce and never overlap themselves.

The sweep interval does not bound lateness: after each sweep the job is woken for the next
pending step (a step due within SHORT_WAIT is waited for inside the job, as APScheduler
drops a run that fires while the same job is still running). Steps come first: while a sweep
runs the delivery job stands aside, and the sweep wakes it to send what it queued.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from dispatch.database import log_retry
from dispatch.notify.port import Notifier
from dispatch.notify.registry import build_notifier
from dispatch.notify.worker import deliver_due
from escalation.recurring.jobs import run_recurring
from escalation.recurring.photo_archive import archive_night
from escalation.runtime import EscalationRuntime, default_worker_id
from escalation.timers.sweeper import BATCH_SIZE, StepOutcome, next_due_at, run_due_steps

log = logging.getLogger(__name__)

RECURRING_EVERY = timedelta(seconds=60)
SWEEP_LIMIT = 500  # steps per run_due_steps call; the job calls again while more are due
SHORT_WAIT = 0.5  # seconds: a step due this soon is waited for inside the sweep job
BUSY_RETRY = 1.0  # seconds: a due step left pending (its order busy in a request) is retried
DELIVER_CHUNK = 20  # messages between two looks at whether a sweep wants the machine


class EscalationScheduler:
    def __init__(
        self,
        runtime: EscalationRuntime,
        *,
        notifier: Notifier | None = None,
        worker_id: str | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.runtime = runtime
        self.batch_size = batch_size  # steps per transaction (1: the old one-by-one sweeper)
        self.worker_id = worker_id or default_worker_id()
        self._notifier = notifier
        self._scheduler: BackgroundScheduler | None = None
        self._sweeping = threading.Event()
        self._stopping = threading.Event()

    @property
    def notifier(self) -> Notifier:
        if self._notifier is None:
            self._notifier = build_notifier(self.runtime.settings, self.runtime.db)
        return self._notifier

    # The jobs: plain methods, also called directly by tests and the CLI.
    def sweep(self) -> list[StepOutcome]:
        """Run what is due (again while more is due or about to be), then set the wake-up."""
        rt = self.runtime
        outcomes: list[StepOutcome] = []
        wait: float | None = None
        queued = False
        # Wait inside the job no longer than an interval (a frozen test clock never gets there).
        until = time.monotonic() + rt.settings.escalation_sweep_seconds
        while True:
            ran_at = rt.clock.now()
            self._sweeping.set()
            try:
                ran = run_due_steps(
                    rt.db,
                    ran_at,
                    self.worker_id,
                    SWEEP_LIMIT,
                    ctx=rt.steps,
                    tick=rt.tick,
                    batch_size=self.batch_size,
                )
            finally:
                self._sweeping.clear()
            outcomes += ran
            queued = queued or bool(ran)
            if len(ran) == SWEEP_LIMIT:
                continue
            if queued:  # their messages leave now, not at the delivery job's next interval
                self._wake("deliver")
                queued = False
            wait = self._until_next_sweep(ran_at)
            if wait is None or wait > SHORT_WAIT or not self._running():
                break
            if time.monotonic() + wait > until:
                break
            if self._stopping.wait(wait):
                break
        if outcomes:
            late = sum(o.late for o in outcomes)
            log.info("escalation sweep ran %d steps (%d late)", len(outcomes), late)
        if wait is not None:  # not sooner than SHORT_WAIT: this run must have ended by then
            self._wake("sweep", max(wait, SHORT_WAIT))
        return outcomes

    def deliver(self) -> None:
        """Send what is due, in chunks, standing aside while a sweep runs (it wakes us)."""
        rt = self.runtime
        while not (self._sweeping.is_set() or self._stopping.is_set()):
            report = deliver_due(
                rt.db, self.notifier, rt.clock.now(), limit=DELIVER_CHUNK, policy=rt.delivery
            )
            if report.sent + report.retrying + report.failed < DELIVER_CHUNK:
                break

    def recurring(self) -> None:
        rt = self.runtime
        run_recurring(rt.db, rt.clock.now(), self.worker_id, rt.recurring)

    def photo_archive(self) -> bool:
        rt = self.runtime
        return archive_night(rt.db, rt.clock.now(), self.worker_id, rt.photo_archive)

    def _running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def _until_next_sweep(self, ran_at: datetime) -> float | None:
        """Seconds until the next step is due; at most BUSY_RETRY if the run had to leave a
        due step (its order busy in a request, or in another scheduler's batch)."""
        rt = self.runtime
        upcoming = next_due_at(rt.db)
        left_behind = upcoming is not None and upcoming <= ran_at
        if left_behind:
            upcoming = next_due_at(rt.db, after=ran_at)
        wait = None if upcoming is None else (upcoming - rt.clock.now()).total_seconds()
        if left_behind:
            wait = BUSY_RETRY if wait is None else min(wait, BUSY_RETRY)
        return None if wait is None else max(wait, 0.0)

    def _wake(self, name: str, after: float = 0.0) -> None:
        """Bring the job's next run forward (never back) to `after` seconds from now."""
        scheduler = self._scheduler
        if scheduler is None or not scheduler.running:
            return
        job = scheduler.get_job(name)
        if job is None or job.next_run_time is None:
            return
        wake = datetime.now(UTC) + timedelta(seconds=after + 0.01)
        if wake < job.next_run_time:
            job.modify(next_run_time=wake)

    def _guard(self, name: str) -> None:
        try:
            getattr(self, name)()
        except Exception as exc:  # the job runs again next interval; one failure must not stop it
            log_retry(log, f"escalation job {name}", exc)

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
        self._add_photo_archive(scheduler, now)
        self._scheduler = scheduler
        self._stopping.clear()
        scheduler.start()
        log.info("escalation scheduler started (every %.1f s, worker %s)", interval, self.worker_id)

    def _add_photo_archive(self, scheduler: BackgroundScheduler, now: datetime) -> None:
        """Nightly at its local time and once at start (a night missed while down), as its
        own job: an archive running for an hour must not hold up the reminders, and polling
        every minute would have APScheduler warn each minute that it is still running."""
        plan = self.runtime.photo_archive
        if plan.folder is None:
            log.info("photo archive off: set HOTLINE_PHOTO_ARCHIVE_DIR to archive nightly")
            return
        at = dt_time.fromisoformat(plan.at)
        trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=plan.timezone)
        scheduler.add_job(
            self._guard, trigger, args=["photo_archive"], id="photo_archive", next_run_time=now
        )
        log.info("photo archive nightly at %s %s to %s", plan.at, plan.timezone, plan.folder)

    def shutdown(self) -> None:
        self._stopping.set()  # a sweep waiting for a step due soon stops waiting
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        self._scheduler = None

    # BackgroundService, for dispatch.main's lifespan.
    async def start(self) -> None:
        self.start_background()

    async def stop(self) -> None:
        await asyncio.to_thread(self.shutdown)
