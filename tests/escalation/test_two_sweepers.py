"""Two schedulers on one PostgreSQL, 1,000 orders due in the same second: each step once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.settings import Settings
from escalation.runtime import EscalationRuntime
from escalation.timers.sweeper import StepOutcome, run_due_steps
from tests.escalation.bulk import claims, count_steps, escalated_per_step, seed_orders


@pytest.mark.parametrize("count", [1000])
def test_two_sweepers_run_every_step_exactly_once(
    database_url: str, settings: Settings, clock: FrozenClock, count: int
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the race needs two real connections to one server: PostgreSQL")
    seeder = Database(database_url)
    due = clock.now() + timedelta(minutes=5)
    step_orders = seed_orders(seeder, count, due_at=due, now=clock.now())
    seeder.dispose()
    clock.set(due)

    results: dict[str, list[StepOutcome]] = {}
    start = threading.Barrier(2)

    def sweeper(name: str) -> None:
        db = Database(database_url)  # its own engine and pool, as in another process
        runtime = EscalationRuntime.load(db, settings, clock)
        start.wait()
        ran: list[StepOutcome] = []
        while batch := run_due_steps(db, clock.now(), name, 200, ctx=runtime.steps):
            ran += batch
        results[name] = ran
        db.dispose()

    threads = [threading.Thread(target=sweeper, args=(n,)) for n in ("sweeper-a", "sweeper-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    check = Database(database_url)
    per_step = escalated_per_step(check)
    assert len(per_step) == count == len(step_orders)
    assert set(per_step.values()) == {1}
    assert count_steps(check, "done") == count and count_steps(check, "pending") == 0
    a, b = (len(results[n]) for n in ("sweeper-a", "sweeper-b"))
    assert a + b == count and a > 0 and b > 0  # both really worked, neither repeated a step
    assert claims(check) < count / 2  # steps are claimed many to a transaction, not one each
    check.dispose()
