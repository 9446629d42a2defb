"""Escalation steps left pending well past their time: the scheduler is not running."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from dispatch.status.checks import Check, behind
from escalation.timers.models import EscalationStep, StepStatus

LATE = timedelta(minutes=2)  # a running sweeper is late by seconds (bench: p99 < 2 s)


def overdue_steps(session: Session, now: datetime) -> Check:
    count, oldest = session.exec(
        select(func.count(), func.min(EscalationStep.due_at)).where(
            EscalationStep.status == StepStatus.pending, col(EscalationStep.due_at) < now - LATE
        )
    ).one()
    return behind("escalation", int(count), oldest, "escalation steps overdue by over 2 min")
