"""Recurring care work runs once per period, even with two schedulers, and catches up once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.orders.models import WorkOrder
from dispatch.settings import Settings
from escalation.recurring.jobs import callback_reminders, daily_summary, weekly_visits
from escalation.recurring.models import RecurringRun
from escalation.runtime import EscalationRuntime

THURSDAY_NOON = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)  # 12:00 in Yinchuan


def _visit_count(db: Database) -> int:
    with db.session() as session:
        return sum("care_visit" in o.tags for o in session.exec(select(WorkOrder)).all())


def test_friday_visits_run_once_with_two_schedulers_and_catch_up_once(
    db: Database, settings: Settings, database_url: str
) -> None:
    clock = FrozenClock(THURSDAY_NOON)
    rt = EscalationRuntime.load(db, settings, clock)
    other = Database(database_url)
    assert weekly_visits(db, clock.now(), "a", rt.recurring) is False  # baseline, no replay
    assert _visit_count(db) == 0

    clock.set(THURSDAY_NOON + timedelta(days=1, hours=-2, minutes=1))  # Friday 09:01 local
    ran = [weekly_visits(d, clock.now(), n, rt.recurring) for d, n in ((db, "a"), (other, "b"))]
    assert ran == [True, False]
    assert _visit_count(db) == 4  # one per assisted resident, for their care team

    clock.advance(timedelta(days=21))  # down for three Fridays: one catch-up run at start
    assert weekly_visits(other, clock.now(), "b", rt.recurring) is True
    assert weekly_visits(db, clock.now(), "a", rt.recurring) is False
    assert _visit_count(db) == 8
    with db.session() as session:
        runs = session.exec(select(RecurringRun).where(RecurringRun.job == "weekly_visits")).all()
    assert len(runs) == 3
    other.dispose()


def test_daily_summary_and_callback_reminder_run_once(db: Database, settings: Settings) -> None:
    clock = FrozenClock(THURSDAY_NOON)
    rt = EscalationRuntime.load(db, settings, clock)
    assert daily_summary(db, clock.now(), "a", rt.recurring) is False  # baseline
    clock.advance(timedelta(days=1))
    assert daily_summary(db, clock.now(), "a", rt.recurring) is True
    assert daily_summary(db, clock.now(), "b", rt.recurring) is False
    assert callback_reminders(db, clock.now(), "a", rt.recurring) == 0
