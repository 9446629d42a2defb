"""Escalation sweeper: cost follows what is due, not what is open; lateness of a burst.

(1) Sweeper cost per tick with 1,000 vs 100,000 open orders (each with a pending step in the
    future), the same 200 steps due: time per tick, per step, and for an empty tick.
    Target: ratio (100k / 1k) < 2.
(2) 1,000 deadlines in the same second, the real scheduler (APScheduler, wake-up at the next
    due step): p50/p99/max lateness from deadline to the committed `escalated` event, batched
    (up to 100 steps per transaction) beside the baseline of the same run, one step per
    transaction (the sweeper before batching). Target p99 < 2 s.
The machine is shared: the load average is printed with the figures.
Each backend gets a scratch database (PostgreSQL: created and dropped; SQLite: a temp file).
Run: .venv/bin/python bench/bench_escalation.py [--backends sqlite,postgres] [--open 100000]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from dispatch.clock import FrozenClock, SystemClock  # noqa: E402
from dispatch.database import Database, null_pool_engine  # noqa: E402
from dispatch.demo.loader import load_demo_world  # noqa: E402
from dispatch.migrate import upgrade  # noqa: E402
from dispatch.settings import Settings  # noqa: E402
from escalation import models as _models  # noqa: E402, F401
from escalation.runtime import EscalationRuntime  # noqa: E402
from escalation.scheduler import EscalationScheduler  # noqa: E402
from escalation.timers.sweeper import BATCH_SIZE, StepOutcome, run_due_steps  # noqa: E402
from tests.escalation.bulk import seed_orders  # noqa: E402

PG_ADMIN = os.environ.get(
    "HOTLINE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Yinchuan: day shifts on duty


@contextmanager
def scratch(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"bench_escalation_{uuid.uuid4().hex[:8]}"
    admin = null_pool_engine(PG_ADMIN)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str) -> tuple[Database, Settings]:
    upgrade(url)
    db = Database(url)
    with db.session(write=True) as session:
        load_demo_world(session, ROOT / "config", password_hash="bench-no-login")
    settings = Settings(database_url=url, run_scheduler_in_process=False)
    return db, settings


def analyse(db: Database) -> None:
    if not db.is_sqlite:
        with db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()


def tick(db: Database, rt: EscalationRuntime, now: datetime) -> tuple[float, int]:
    started = time.perf_counter()
    ran = run_due_steps(db, now, "bench", 10_000, ctx=rt.steps)
    return time.perf_counter() - started, len(ran)


def cost_per_tick(
    db: Database, settings: Settings, open_small: int, open_big: int, due: int
) -> None:
    rt = EscalationRuntime.load(db, settings, FrozenClock(T0))
    # Far past the wall clock too: the burst that follows runs a scheduler on it, which must
    # find only its own steps due (T0 + 3 days stopped being the future on 2026-11-26).
    future = max(T0, datetime.now(UTC)) + timedelta(days=3650)
    rows = []
    for label, open_total, now in (
        ("small", open_small, T0 + timedelta(minutes=1)),
        ("big", open_big, T0 + timedelta(minutes=2)),
    ):
        already = sum(r[1] for r in rows)
        t = time.perf_counter()
        seed_orders(db, open_total - already, due_at=future, now=T0, prefix=f"OPEN{label}")
        seed_orders(db, due, due_at=now, now=T0, prefix=f"DUE{label}")
        seeded = time.perf_counter() - t
        analyse(db)
        empty = min(tick(db, rt, T0)[0] for _ in range(5))  # nothing due before T0
        seconds, ran = tick(db, rt, now)
        assert ran == due, (ran, due)
        rows.append((label, open_total, seconds, empty, seeded))
        print(
            f"  {open_total:>7,} open, {due} due: tick {seconds * 1000:8.1f} ms "
            f"({seconds / due * 1000:.2f} ms/step), empty tick {empty * 1000:.2f} ms "
            f"[seeded in {seeded:.1f} s]"
        )
    (_, _, small, small_empty, _), (_, _, big, big_empty, _) = rows
    print(
        f"  ratio 100k/1k: tick {big / small:.2f} (target < 2), "
        f"empty tick {big_empty / small_empty:.2f}"
    )


def burst(
    db: Database, settings: Settings, count: int, batch_size: int, lead_seconds: float = 3.0
) -> float:
    """`count` steps due in the same second, the scheduler running on the wall clock."""
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=lead_seconds + 1)
    seed_orders(db, count, due_at=due, now=due - timedelta(minutes=20), prefix=f"B{batch_size}")
    analyse(db)
    rt = EscalationRuntime.load(db, settings.model_copy(), SystemClock())
    scheduler = EscalationScheduler(rt, worker_id="bench", batch_size=batch_size)
    finished: list[StepOutcome] = []
    original = scheduler.sweep

    def recording_sweep() -> list[StepOutcome]:
        ran = original()
        finished.extend(ran)
        return ran

    scheduler.sweep = recording_sweep  # type: ignore[method-assign]
    cpu = time.process_time()
    scheduler.start_background()
    deadline = time.monotonic() + lead_seconds + 180
    while len(finished) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    cpu = time.process_time() - cpu
    scheduler.shutdown()
    late = sorted(o.finished_at - o.due_at.timestamp() for o in finished)
    p50 = statistics.median(late)
    p99 = late[int(len(late) * 0.99) - 1]
    label = "baseline, 1 step per transaction" if batch_size == 1 else f"batches of {batch_size}"
    print(
        f"  {label:>33}: {len(finished)}/{count} due at the same second: lateness "
        f"p50 {p50:.2f} s, p99 {p99:.2f} s, max {late[-1]:.2f} s; "
        f"{len(late) / max(late[-1], 1e-9):.0f} steps/s, {cpu / count * 1000:.2f} ms CPU/step "
        f"[load {os.getloadavg()[0]:.1f}]"
    )
    return p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=200)
    parser.add_argument("--burst", type=int, default=1000)
    args = parser.parse_args()
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: already running"
    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for backend in args.backends.split(","):
        print(f"[{backend}]")
        with scratch(backend) as url:
            db, settings = prepare(url)
            cost_per_tick(db, settings, 1000, args.open, args.due)
            before = burst(db, settings, args.burst, batch_size=1)
            after = burst(db, settings, args.burst, batch_size=BATCH_SIZE)
            print(f"  p99 lateness {before:.2f} s -> {after:.2f} s (target < 2 s)")
            db.dispose()


if __name__ == "__main__":
    main()
