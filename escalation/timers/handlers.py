"""The bus handler: deadlines and steps follow the order's events, in the order's transaction."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from dispatch.database import insert_many
from dispatch.events.bus import EventMessage
from dispatch.events.models import EventKind
from dispatch.notify.service import cancel_pending
from dispatch.orders.models import OrderStatus, WorkOrder
from escalation.policies.config import ChainName, EscalationConfig
from escalation.timers.models import EscalationStep, OrderSla, StepStatus
from escalation.timers.planner import (
    accept_deadline,
    chain_steps,
    on_site_deadline,
    resolve_deadline,
    snapshot_policy,
)

log = logging.getLogger(__name__)

NOT_DISPATCHED = "order not with a team when due"
_ENDS_ALL = {
    EventKind.resolved.value: (OrderStatus.resolved, OrderStatus.closed),
    EventKind.closed.value: (OrderStatus.closed,),
    EventKind.cancelled.value: (OrderStatus.cancelled,),
}


class DeadlineKeeper:
    """Registered with db.bus.on_recorded; one instance per app, holding the config."""

    def __init__(self, config: EscalationConfig) -> None:
        self.config = config
        self.calendar = config.working_calendar()

    def __call__(self, orm_session: OrmSession, message: EventMessage) -> None:
        kind = message.kind
        if kind not in _HANDLED:
            return
        assert isinstance(orm_session, Session)  # dispatch opens sqlmodel sessions
        session = orm_session
        order = session.get(WorkOrder, message.order_id)
        if order is None:
            return
        if kind == EventKind.dispatched.value:
            self.on_dispatched(session, order, message.at)
        elif kind == EventKind.accepted.value:
            if order.status == OrderStatus.accepted:  # the lead team signed: the clock stops
                stop_chains(session, order, (ChainName.accept,))
        elif kind == EventKind.merged_into.value:
            stop_chains(session, order, tuple(ChainName))
        elif kind in _ENDS_ALL:
            if order.status in _ENDS_ALL[kind]:
                stop_chains(session, order, tuple(ChainName))
        elif kind == EventKind.reopened.value:
            self.on_reopened(session, order, message.at)
        elif kind == EventKind.extended.value:
            move_resolve_steps(session, order, message.at)

    def on_dispatched(self, session: Session, order: WorkOrder, now: datetime) -> None:
        assert order.id is not None
        # An order never given deadlines has no SLA row yet (both are written together), so
        # the first dispatch, on every intake, need not ask for one.
        never_timed = order.accept_due_at is None and order.resolve_due_at is None
        sla = None if never_timed else session.get(OrderSla, order.id)
        if sla is not None:
            # A re-dispatch after a return: the accept clock keeps running from the first
            # dispatch; steps found stale while the order sat in triage apply again.
            revive_accept_steps(session, order)
            return
        start = order.dispatched_at or now
        snapshot = snapshot_policy(self.config, order.sla_policy, order.priority.value)
        order.accept_due_at = accept_deadline(snapshot, start)
        order.resolve_due_at = resolve_deadline(snapshot, start, self.calendar)
        session.add(order)
        session.add(
            OrderSla(
                order_id=order.id,
                policy=str(snapshot["policy"]),
                snapshot=snapshot,
                clock_started_at=start,
                on_site_due_at=on_site_deadline(snapshot, start),
            )
        )
        insert_steps(
            session,
            [
                step
                for chain, deadline in (
                    (ChainName.accept, order.accept_due_at),
                    (ChainName.resolve, order.resolve_due_at),
                )
                for step in chain_steps(
                    order_id=order.id,
                    chain=chain,
                    round_no=1,
                    snapshot=snapshot,
                    deadline=deadline,
                    not_before=start,
                    now=now,
                )
            ],
        )

    def on_reopened(self, session: Session, order: WorkOrder, now: datetime) -> None:
        """重办: a new resolve deadline from now and a fresh resolve chain."""
        assert order.id is not None
        stop_chains(session, order, (ChainName.resolve,))
        sla = session.get(OrderSla, order.id)
        if sla is None:
            snapshot = snapshot_policy(self.config, order.sla_policy, order.priority.value)
            sla = OrderSla(
                order_id=order.id,
                policy=str(snapshot["policy"]),
                snapshot=snapshot,
                clock_started_at=now,
                resolve_round=0,
            )
        sla.resolve_round += 1
        session.add(sla)
        order.resolve_due_at = resolve_deadline(sla.snapshot, now, self.calendar)
        session.add(order)
        insert_steps(
            session,
            chain_steps(
                order_id=order.id,
                chain=ChainName.resolve,
                round_no=sla.resolve_round,
                snapshot=sla.snapshot,
                deadline=order.resolve_due_at,
                not_before=now,
                now=now,
            ),
        )
        session.flush()


def insert_steps(session: Session, steps: list[dict[str, Any]]) -> None:
    """A chain's steps in one INSERT, as plain rows: nothing reads them back in this unit."""
    insert_many(session, insert(_STEPS), steps)


_STEPS = EscalationStep.__table__  # type: ignore[attr-defined]
_HANDLED = {
    EventKind.dispatched.value,
    EventKind.accepted.value,
    EventKind.merged_into.value,
    EventKind.reopened.value,
    EventKind.extended.value,
    *_ENDS_ALL,
}


def stop_chains(session: Session, order: WorkOrder, chains: tuple[ChainName, ...]) -> None:
    """Cancel pending steps and the messages of those chains not sent yet."""
    step_ids = [
        i
        for i in session.exec(
            select(EscalationStep.id).where(
                EscalationStep.order_id == order.id,
                col(EscalationStep.chain).in_([c.value for c in chains]),
            )
        ).all()
        if i is not None
    ]
    if not step_ids:
        return
    session.execute(
        update(EscalationStep)
        .where(
            col(EscalationStep.id).in_(step_ids),
            col(EscalationStep.status) == StepStatus.pending.value,
        )
        .values(status=StepStatus.cancelled.value)
    )
    cancel_pending(session, step_ids)


def revive_accept_steps(session: Session, order: WorkOrder) -> None:
    session.execute(
        update(EscalationStep)
        .where(
            col(EscalationStep.order_id) == order.id,
            col(EscalationStep.chain) == ChainName.accept.value,
            col(EscalationStep.status) == StepStatus.skipped.value,
            col(EscalationStep.note) == NOT_DISPATCHED,
        )
        .values(status=StepStatus.pending.value, note=None)
    )


def move_resolve_steps(session: Session, order: WorkOrder, now: datetime) -> None:
    """延期: pending resolve steps keep their offsets from the new deadline."""
    if order.resolve_due_at is None:
        return
    sla = session.get(OrderSla, order.id)
    round_no = sla.resolve_round if sla else 1
    pending = session.exec(
        select(EscalationStep).where(
            EscalationStep.order_id == order.id,
            EscalationStep.chain == ChainName.resolve,
            EscalationStep.round == round_no,
            EscalationStep.status == StepStatus.pending,
        )
    ).all()
    for step in pending:
        step.due_at = max(order.resolve_due_at + timedelta(seconds=step.offset_seconds), now)
        session.add(step)
    session.flush()
