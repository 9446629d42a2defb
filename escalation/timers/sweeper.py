"""The sweeper: claim a batch of due steps, lock their orders, run each, log it, commit.

Exactly once, on both backends, with any number of sweepers:
- PostgreSQL: the step rows are taken with FOR UPDATE SKIP LOCKED, then their orders with
  FOR UPDATE SKIP LOCKED (an order busy in a request is left for the next pass, so a sweeper
  never waits while holding steps: no deadlock with a request cancelling one of them).
- SQLite: the write transaction is exclusive; the claim is a conditional UPDATE on
  status='pending' and only the rows it returns are run.
Each step runs in a savepoint; the claims, the actions, the `escalated` events and the steps'
new statuses commit together, so a crash at any point leaves a step pending (it runs after
restart, once, marked late) or done. One transaction per batch rather than per step is what
lets 1,000 steps due in the same second all run within a second or two; the batch shrinks so
that it holds its locks (and SQLite's one writer slot) for about BATCH_SECONDS.
"""

from __future__ import annotations

import logging
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from dispatch.database import Database
from dispatch.errors import DomainError
from dispatch.events.models import EventKind
from dispatch.orders.event_log import log_event
from dispatch.orders.models import WorkOrder
from dispatch.orders.parts import preload_assignments
from escalation.policies.config import StepKind
from escalation.timers.batch import ACTOR, StepBatch, StepContext
from escalation.timers.models import EscalationStep, StepStatus
from escalation.timers.steps import StepNotApplicable, run_step, stale_reason

log = logging.getLogger(__name__)

DEFAULT_TICK = timedelta(seconds=5)
BATCH_SIZE = 100
BATCH_SECONDS = 0.25  # how long one batch may keep orders locked and API writers waiting
_CHANGES_TEAMS = frozenset({StepKind.reassign_backup, StepKind.escalate_governance_centre})


@dataclass(frozen=True)
class StepOutcome:
    step_id: int
    order_id: int
    kind: str
    status: StepStatus
    late: bool
    due_at: datetime
    finished_at: float  # time.time() after commit: what lateness really was


@dataclass(frozen=True)
class _Ran:
    step: EscalationStep
    status: StepStatus
    note: str | None
    late: bool


def _claim(
    session: Session, now: datetime, skip: set[int], worker_id: str, size: int
) -> list[EscalationStep]:
    query = (
        select(EscalationStep)
        .where(
            EscalationStep.status == StepStatus.pending,
            col(EscalationStep.due_at) <= now,
        )
        .order_by(col(EscalationStep.due_at), col(EscalationStep.id))
        .limit(size)
    )
    if skip:
        query = query.where(col(EscalationStep.id).not_in(skip))
    if session.get_bind().dialect.name == "postgresql":
        return list(session.exec(query.with_for_update(skip_locked=True)).all())
    steps = session.exec(query).all()
    if not steps:
        return []
    claimed = set(
        session.execute(
            update(EscalationStep)
            .where(
                col(EscalationStep.id).in_([s.id for s in steps]),
                col(EscalationStep.status) == StepStatus.pending.value,
            )
            .values(claimed_by=worker_id)
            .returning(col(EscalationStep.id))
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    return [s for s in steps if s.id in claimed]


def _lock_orders(session: Session, order_ids: set[int]) -> dict[int, WorkOrder]:
    """The orders to act on; on PostgreSQL an order busy in a request is left out."""
    query = select(WorkOrder).where(col(WorkOrder.id).in_(order_ids))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    orders = session.exec(query.execution_options(populate_existing=True)).all()
    return {order.id: order for order in orders if order.id is not None}


def _execute(
    batch: StepBatch, step: EscalationStep, order: WorkOrder, late: bool, guarded: bool
) -> _Ran:
    """Run one step. Guarded, it runs in a savepoint and a failure is recorded on the step
    (_StepFailed). Unguarded (a step that only reads and queues rows, in a batch that has not
    failed), its event is queued too, and a failure other than StepNotApplicable rolls the
    whole batch back (_Unguarded) to run again guarded: on the common path a batch of steps
    costs a handful of statements, not several per step."""
    session = batch.session
    reason = stale_reason(session, step, order)
    if reason is not None:
        return _Ran(step, StepStatus.skipped, reason[:200], late)
    if step.kind in _CHANGES_TEAMS:
        # Its events reach the bus's handlers, which may cancel messages already queued:
        # those must be rows by then.
        batch.write()
        guarded = True
    mark = batch.mark()
    try:
        with session.begin_nested() if guarded else nullcontext():
            detail = run_step(batch, step, order)
            order.escalation_level += 1
            data = {
                "step_id": step.id,
                "step_kind": step.kind.value,
                "chain": step.chain.value,
                "round": step.round,
                "level": order.escalation_level,
                "late": late,
                "due_at": step.due_at.isoformat(),
                **detail,
            }
            if guarded:
                log_event(session, order, EventKind.escalated, ACTOR, batch.now, data)
            else:
                batch.log_escalated(order, data)
    except StepNotApplicable as exc:  # raised before anything was written
        batch.undo(mark)
        return _Ran(step, StepStatus.skipped, str(exc)[:200], late)
    except Exception as exc:  # a bug in one step must not stop every other order's steps
        if not guarded:
            raise _Unguarded(step.id) from exc
        batch.undo(mark)
        if not isinstance(exc, DomainError):
            log.exception("escalation step %s failed", step.id)
        note = str(exc) if isinstance(exc, DomainError) else f"error: {type(exc).__name__}: {exc}"
        raise _StepFailed(_Ran(step, StepStatus.skipped, note[:200], late)) from exc
    return _Ran(step, StepStatus.done, None, late)


class _StepFailed(Exception):
    """A guarded step rolled back: its batch ends with it, so nothing it left in the unit of
    work's memory (the order's teams, say) reaches another step."""

    def __init__(self, ran: _Ran) -> None:
        super().__init__(ran.note)
        self.ran = ran


class _Unguarded(Exception):
    """An unguarded step failed: roll the batch back and run it again guarded."""


def _run_batch(
    db: Database,
    now: datetime,
    worker_id: str,
    ctx: StepContext,
    tick: timedelta,
    skip: set[int],
    size: int,
    guarded: bool,
) -> list[_Ran] | None:
    """One transaction; None when nothing (not skipped) is due."""
    with db.session(write=True) as session:
        steps = _claim(session, now, skip, worker_id, size)
        if not steps:
            return None
        orders = _lock_orders(session, {s.order_id for s in steps})
        batch = StepBatch.open(session, now, ctx)
        batch.codes.read_orders(orders.keys())
        preload_assignments(session, list(orders))
        ran: list[_Ran] = []
        for position, step in enumerate(steps):
            assert step.id is not None
            order = orders.get(step.order_id)
            if order is None:  # the order is busy in a request right now: next pass
                skip.add(step.id)
                continue
            if step.status != StepStatus.pending:  # an earlier step of this batch ended it
                continue
            late = now - step.due_at > tick
            try:
                ran.append(_execute(batch, step, order, late, guarded))
            except _StepFailed as failed:
                ran.append(failed.ran)
                _unclaim(session, steps[position + 1 :])
                break
        token = uuid.uuid4().hex  # one per claim: which steps ran together, in one transaction
        for done in ran:
            step = done.step
            step.status, step.note, step.late, step.ran_at = done.status, done.note, done.late, now
            step.claimed_by, step.claim_token = worker_id, token
            session.add(step)
        try:
            batch.write()
        except Exception as exc:
            if guarded:
                raise
            raise _Unguarded("writing the batch") from exc
    return ran


def _unclaim(session: Session, steps: list[EscalationStep]) -> None:
    """Hand back steps this batch claimed but did not run (SQLite marked them claimed)."""
    ids = [s.id for s in steps if s.status == StepStatus.pending]
    if ids and session.get_bind().dialect.name != "postgresql":
        session.execute(
            update(EscalationStep)
            .where(col(EscalationStep.id).in_(ids))
            .values(claimed_by=None)
            .execution_options(synchronize_session=False)
        )


def run_due_steps(
    db: Database,
    now: datetime,
    worker_id: str,
    limit: int = 500,
    *,
    ctx: StepContext,
    tick: timedelta = DEFAULT_TICK,
    batch_size: int = BATCH_SIZE,
) -> list[StepOutcome]:
    """Run up to `limit` steps due by `now`, a batch per transaction; returns what ran."""
    outcomes: list[StepOutcome] = []
    skip: set[int] = set()
    size, guarded = batch_size, False
    while len(outcomes) < limit:
        started = time.perf_counter()
        wanted = min(size, limit - len(outcomes))
        try:
            ran = _run_batch(db, now, worker_id, ctx, tick, skip, wanted, guarded)
        except _Unguarded as failed:
            log.warning("escalation step %s failed; its batch runs again guarded", failed)
            guarded = True
            continue
        guarded = False
        if ran is None:
            break
        finished = time.time()
        outcomes += [
            StepOutcome(
                r.step.id or 0,
                r.step.order_id,
                r.step.kind.value,
                r.status,
                r.late,
                r.step.due_at,
                finished,
            )
            for r in ran
        ]
        if ran:  # slower steps, smaller batches: locks are held about BATCH_SECONDS
            per_step = (time.perf_counter() - started) / len(ran)
            size = max(10, min(batch_size, int(BATCH_SECONDS / per_step)))
    return outcomes


def next_due_at(db: Database, after: datetime | None = None) -> datetime | None:
    """When the earliest pending step (due after `after`) falls due: the scheduler wakes then."""
    query = select(EscalationStep.due_at).where(EscalationStep.status == StepStatus.pending)
    if after is not None:
        query = query.where(col(EscalationStep.due_at) > after)
    with db.session() as session:
        return session.exec(query.order_by(col(EscalationStep.due_at)).limit(1)).first()
