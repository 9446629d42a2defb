"""The sweeper: claim one due step at a time, lock its order, run it, log it, commit.

Exactly once, on both backends, with any number of sweepers:
- PostgreSQL: the step row is taken with FOR UPDATE SKIP LOCKED, then the order row with
  FOR UPDATE SKIP LOCKED (an order busy in a request is left for the next pass, so a sweeper
  never waits while holding a step: no deadlock with a request cancelling that step).
- SQLite: the write transaction is exclusive; the claim is a conditional UPDATE on
  status='pending' whose row count must be 1.
The claim, the action, the `escalated` event and status='done' commit together, so a crash
at any point leaves the step pending (it runs after restart, once, marked late) or done.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from dispatch.database import Database
from dispatch.errors import DomainError
from dispatch.events.models import EventKind
from dispatch.orders.lifecycle import log_event
from dispatch.orders.models import WorkOrder
from escalation.timers.models import EscalationStep, StepStatus
from escalation.timers.steps import ACTOR, StepContext, StepNotApplicable, run_step, stale_reason

log = logging.getLogger(__name__)

DEFAULT_TICK = timedelta(seconds=5)


@dataclass(frozen=True)
class StepOutcome:
    step_id: int
    order_id: int
    kind: str
    status: StepStatus
    late: bool
    due_at: datetime
    finished_at: float  # time.time() after commit: what lateness really was


_BUSY = object()


def _claim_next(
    session: Session, now: datetime, skip: set[int], worker_id: str
) -> EscalationStep | None:
    query = (
        select(EscalationStep)
        .where(
            EscalationStep.status == StepStatus.pending,
            col(EscalationStep.due_at) <= now,
        )
        .order_by(col(EscalationStep.due_at), col(EscalationStep.id))
        .limit(1)
    )
    if skip:
        query = query.where(col(EscalationStep.id).not_in(skip))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
        return session.exec(query).first()
    step = session.exec(query).first()
    if step is None:
        return None
    claimed = session.execute(
        update(EscalationStep)
        .where(
            col(EscalationStep.id) == step.id,
            col(EscalationStep.status) == StepStatus.pending.value,
        )
        .values(claimed_by=worker_id)
        .execution_options(synchronize_session=False)
    )
    return step if claimed.rowcount == 1 else None  # type: ignore[attr-defined]


def _lock_order(session: Session, order_id: int) -> WorkOrder | None:
    query = select(WorkOrder).where(WorkOrder.id == order_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.exec(query.execution_options(populate_existing=True)).first()


def _execute(
    session: Session,
    step: EscalationStep,
    order: WorkOrder,
    now: datetime,
    ctx: StepContext,
    late: bool,
) -> None:
    reason = stale_reason(session, step, order)
    if reason is not None:
        step.status, step.note = StepStatus.skipped, reason[:200]
        return
    try:
        with session.begin_nested():
            detail = run_step(session, step, order, now, ctx)
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
            log_event(session, order, EventKind.escalated, ACTOR, now, data)
    except (StepNotApplicable, DomainError) as exc:
        step.status, step.note = StepStatus.skipped, str(exc)[:200]
    except Exception as exc:  # a bug in one step must not stop every other order's steps
        log.exception("escalation step %s failed", step.id)
        step.status, step.note = StepStatus.skipped, f"error: {type(exc).__name__}: {exc}"[:200]
    else:
        step.status = StepStatus.done


def _run_one(
    db: Database, now: datetime, worker_id: str, ctx: StepContext, tick: timedelta, skip: set[int]
) -> StepOutcome | object | None:
    with db.session(write=True) as session:
        step = _claim_next(session, now, skip, worker_id)
        if step is None:
            return None
        assert step.id is not None
        order = _lock_order(session, step.order_id)
        if order is None:  # the order is busy in a request right now: next pass
            skip.add(step.id)
            return _BUSY
        late = now - step.due_at > tick
        _execute(session, step, order, now, ctx, late)
        step.claimed_by, step.claim_token = worker_id, uuid.uuid4().hex
        step.ran_at, step.late = now, late
        session.add(step)
        outcome = (step.id, step.order_id, step.kind.value, step.status, late, step.due_at)
    return StepOutcome(*outcome, finished_at=time.time())


def run_due_steps(
    db: Database,
    now: datetime,
    worker_id: str,
    limit: int = 500,
    *,
    ctx: StepContext,
    tick: timedelta = DEFAULT_TICK,
) -> list[StepOutcome]:
    """Run up to `limit` steps due by `now`, one transaction each; returns what ran."""
    outcomes: list[StepOutcome] = []
    skip: set[int] = set()
    while len(outcomes) < limit:
        result = _run_one(db, now, worker_id, ctx, tick, skip)
        if result is None:
            break
        if isinstance(result, StepOutcome):
            outcomes.append(result)
    return outcomes


def next_due_at(db: Database) -> datetime | None:
    """When the earliest pending step falls due (the scheduler wakes for it)."""
    with db.session() as session:
        return session.exec(
            select(EscalationStep.due_at)
            .where(EscalationStep.status == StepStatus.pending)
            .order_by(col(EscalationStep.due_at))
            .limit(1)
        ).first()
