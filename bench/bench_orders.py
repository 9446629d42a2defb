"""Work-order creation over HTTP (routing + events) against a trivial endpoint of the same app.

Prints requests/s for both, the ratio (target: >= 40% on SQLite), and p50/p99 latency of
creation at half its maximum rate (target: p99 < 50 ms). A second baseline: raw inserts of
one row per transaction through the app's own engine, with as many threads as connections.
Run: .venv/bin/python bench/bench_orders.py [--seconds 10] [--backend sqlite|postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import drop_database, recreate_database
from loadgen import closed_loop, login, open_loop, request_bytes
from report import record
from server import prepare_sqlite, running_server

DESCRIPTIONS = [
    ("fire_lane", "jindi-garden", "D区{}号楼前电动车堵住了消防通道"),
    ("roof_leak", "anyi-home", "E区1号楼顶层漏水{}"),
    ("drain_blocked", "jindong-haoting", "小区下水道堵塞，污水外溢{}"),
    ("manhole_cover", "taihe-road", "泰和路井盖破损{}，学校快放学了"),
    ("other", None, "咨询社区活动{}"),
]


@contextmanager
def scratch(backend: str, postgres: str | None) -> Iterator[str]:
    """A migrated demo database for the run: a temp SQLite file or a PostgreSQL database."""
    if postgres:
        yield postgres
    elif backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield prepare_sqlite(Path(tmp))
    else:
        name = f"bench_orders_{uuid.uuid4().hex[:8]}"
        try:
            yield recreate_database(name)
        finally:
            drop_database(name)


def raw_insert_rate(url: str, threads: int, seconds: float) -> float:
    """One row per transaction, through the app's engine (and SQLite writer lock)."""
    from sqlalchemy import text

    from dispatch.database import Database

    db = Database(url)
    key = "INTEGER PRIMARY KEY" if db.is_sqlite else "BIGSERIAL PRIMARY KEY"
    with db.session(write=True) as session:
        session.execute(text(f"CREATE TABLE bench_raw_insert (id {key}, body TEXT NOT NULL)"))
    done = [0] * threads
    deadline = time.perf_counter() + seconds

    def insert(slot: int) -> None:
        while time.perf_counter() < deadline:
            with db.session(write=True) as session:
                session.execute(
                    text("INSERT INTO bench_raw_insert (body) VALUES (:body)"),
                    {"body": f"泰和路井盖破损{slot}"},
                )
            done[slot] += 1

    workers = [threading.Thread(target=insert, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    db.dispose()
    return sum(done) / seconds


def naive_create_rate(connections: int, seconds: float) -> float:
    """The issue's yardstick (bench/naive_app.py): one SQLModel row per request, nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'naive.db'}"
        with running_server(url, app="bench.naive_app:app") as port:
            post = [
                request_bytes(
                    "POST",
                    "/orders",
                    {"Content-Type": "application/json"},
                    json.dumps(
                        {"category": c, "description": t.format(i), "phone": f"138{i:08d}"},
                        ensure_ascii=False,
                    ).encode(),
                )
                for i, (c, _, t) in enumerate(DESCRIPTIONS)
            ]
            asyncio.run(closed_loop(port, lambda i: post[i % len(post)], 4, 1.0))  # warm up
            return asyncio.run(
                closed_loop(port, lambda i: post[i % len(post)], connections, seconds)
            ).rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres", default=None, help="a scratch PostgreSQL URL, migrated")
    args = parser.parse_args()

    with scratch(args.backend, args.postgres) as url, running_server(url) as port:
        token = login(port, "operator.li", "operator.li-demo")
        auth = {"Authorization": f"Bearer {token}"}
        health = request_bytes("GET", "/healthz", {})

        def create(i: int) -> bytes:
            category, compound, text = DESCRIPTIONS[i % len(DESCRIPTIONS)]
            body = {
                "caller": {"phone": f"138{i % 100000000:08d}"},
                "address": {"compound": compound} if compound else {},
                "category": category,
                "description": text.format(i),
            }
            return request_bytes(
                "POST",
                "/api/v1/orders",
                {**auth, "Content-Type": "application/json", "Idempotency-Key": f"bench-{i}"},
                json.dumps(body, ensure_ascii=False).encode(),
            )

        asyncio.run(closed_loop(port, lambda i: health, 4, 1.0))  # warm up
        base = asyncio.run(closed_loop(port, lambda i: health, args.connections, args.seconds))
        made = asyncio.run(closed_loop(port, create, args.connections, args.seconds))
        offset = 10**7
        half = asyncio.run(
            open_loop(port, lambda i: create(offset + i), made.rate / 2, args.seconds)
        )
        raw = raw_insert_rate(url, args.connections, args.seconds)
    naive = naive_create_rate(args.connections, args.seconds)

    backend = "PostgreSQL" if args.postgres or args.backend == "postgres" else "SQLite"
    print(
        f"# Work-order creation over HTTP ({backend}, {platform.machine()}, "
        f"{args.connections} connections, {args.seconds:.0f} s each)"
    )
    print(
        f"baseline GET /healthz      : {base.rate:8.0f} req/s  p99 {base.pct(0.99):6.1f} ms"
        f"  statuses {base.statuses}"
    )
    print(
        f"POST /api/v1/orders (max)  : {made.rate:8.0f} req/s  p99 {made.pct(0.99):6.1f} ms"
        f"  statuses {made.statuses}"
    )
    print(f"ratio create/baseline      : {made.rate / base.rate:8.1%}   (target >= 40%)")
    print(f"raw insert, 1 row/commit   : {raw:8.0f} rows/s  ratio create/raw {made.rate / raw:.1%}")
    print(
        f"naive SQLModel create      : {naive:8.0f} req/s  ratio naive/baseline "
        f"{naive / base.rate:.1%}, ours/naive {made.rate / naive:.1%}  (bench/naive_app.py, SQLite)"
    )
    print(
        f"at half rate ({made.rate / 2:.0f} req/s) : p50 {half.pct(0.5):6.1f} ms  "
        f"p99 {half.pct(0.99):6.1f} ms  (target p99 < 50 ms)  statuses {half.statuses}"
    )
    errors = sum(n for s, n in {**made.statuses, **half.statuses}.items() if s >= 500)
    record(
        "orders",
        f"POST /api/v1/orders, max rate ({backend})",
        made.rate,
        "req/s",
        baseline=base.rate,
        baseline_label="GET /healthz, same app",
        target=">= 40% of baseline",
        met=made.rate / base.rate >= 0.4,
    )
    record(
        "orders",
        f"POST /api/v1/orders, max rate ({backend})",
        made.rate,
        "req/s",
        baseline=raw,
        baseline_label="raw insert, 1 row per commit",
    )
    record(
        "orders",
        f"POST /api/v1/orders, max rate ({backend})",
        made.rate,
        "req/s",
        baseline=naive,
        baseline_label="naive SQLModel create, 1 row (bench/naive_app.py, SQLite)",
    )
    record(
        "orders",
        f"creation p99 at half the max rate ({backend})",
        half.pct(0.99),
        "ms",
        baseline=base.pct(0.99),
        baseline_label="GET /healthz p99 at max rate",
        target="< 50 ms",
        met=half.pct(0.99) < 50,
    )
    record(
        "orders",
        f"5xx answers during the run ({backend})",
        errors,
        "requests",
        target="0",
        met=errors == 0,
    )


if __name__ == "__main__":
    main()
