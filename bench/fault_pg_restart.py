"""Restart PostgreSQL under load: 503 with Retry-After while it is down, never 500, no hang.

    .venv/bin/python bench/fault_pg_restart.py [--down 5] [--connections 8] [--cluster 15/main]

A server on a scratch PostgreSQL database (scheduler in process) takes order creations and
list reads from `--connections` clients, with a supervisor's board on /ws. After a few
seconds of steady load PostgreSQL is stopped (`pg_ctlcluster ... stop -m fast`, every
connection cut), kept down `--down` seconds (at most 10) and started again. Printed: the
answers by status while it was down, whether every 503 carried Retry-After, the slowest
answer (a hang would show here), how long until creations succeed again, whether the board
gets pushes again, and that every order answered 201 is stored once.

This restarts the machine's PostgreSQL: everyone's connections drop. Run it alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import login, request_bytes, roundtrip, scratch_database, server
from bench.report import record

HANG = 15.0  # no answer within this many seconds counts as a hang


@dataclass
class Sample:
    sent: float
    took: float
    status: str  # "201", "503", ..., or "no answer" / "hang"
    retry_after: bool
    key: str | None = None


@dataclass
class Load:
    samples: list[Sample] = field(default_factory=list)
    stop: bool = False

    def between(self, start: float, end: float) -> list[Sample]:
        return [s for s in self.samples if start <= s.sent < end]


def order_body(i: int) -> dict[str, object]:
    return {
        "channel": "phone",
        "caller": {"phone": f"137{i:08d}"},
        "address": {"compound": "jindi-garden"},
        "category": "fire_lane",
        "description": f"消防通道被堵住（重启压测 {i}）",
    }


async def client(port: int, auth: dict[str, str], load: Load, lane: int) -> None:
    counter = 0
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while not load.stop:
        counter += 1
        key = f"pgr-{lane}-{counter}" if counter % 2 else None  # odd: create, even: read
        if key:
            headers = {**auth, "Idempotency-Key": key}
            payload = request_bytes("POST", "/api/v1/orders", headers, order_body(counter))
        else:
            payload = request_bytes("GET", "/api/v1/orders?limit=20", auth)
        sent = time.monotonic()
        try:
            if connection is None:
                connection = await asyncio.open_connection("127.0.0.1", port)
            answer = await asyncio.wait_for(roundtrip(*connection, payload), HANG)
            status, retry_after = str(answer.status), "retry-after" in answer.headers
        except TimeoutError:
            status, retry_after = "hang", False
            connection = None
        except (OSError, asyncio.IncompleteReadError):
            status, retry_after = "no answer", False
            connection = None
        load.samples.append(Sample(sent, time.monotonic() - sent, status, retry_after, key))
        if status != "201" and status != "200":
            await asyncio.sleep(0.1)  # what a polite client does with Retry-After, shortened


async def board(port: int, token: str, numbers_seen: list[tuple[float, str]]) -> None:
    """A supervisor's board: reconnects like the page does, remembers what reached it."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    last_id = 0
    while True:
        try:
            query = f"token={token}" + (f"&last_event_id={last_id}" if last_id else "")
            async with connect(f"ws://127.0.0.1:{port}/ws?{query}") as ws:
                async for raw in ws:
                    message = json.loads(raw)
                    if message["type"] == "event":
                        last_id = message["id"]
                        numbers_seen.append((time.monotonic(), message["order_number"]))
        except (OSError, WebSocketException):
            await asyncio.sleep(0.5)


def pg_ctl(cluster: str, action: str) -> None:
    version, name = cluster.split("/")
    command = ["pg_ctlcluster", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, timeout=60)


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


@dataclass
class Outcome:
    load: Load
    seen: list[tuple[float, str]]  # (when, order number) for each event on the board
    stopping: float
    up: float


async def scenario(port: int, args: argparse.Namespace) -> Outcome:
    auth = login(port, "operator.li")
    token = login(port, "supervisor.zhang")["Authorization"].removeprefix("Bearer ")
    load = Load()
    seen: list[tuple[float, str]] = []
    tasks = [asyncio.create_task(client(port, auth, load, i)) for i in range(args.connections)]
    watcher = asyncio.create_task(board(port, token, seen))
    await asyncio.sleep(args.steady)
    stopping = time.monotonic()
    try:
        await asyncio.to_thread(pg_ctl, args.cluster, "stop")
        await asyncio.sleep(args.down)
    finally:
        await asyncio.to_thread(pg_ctl, args.cluster, "start")
        up = time.monotonic()
        while not pg_ready() and time.monotonic() - up < 30:
            await asyncio.sleep(0.1)
    up = time.monotonic()
    await asyncio.sleep(args.after)
    load.stop = True
    await asyncio.gather(*tasks)
    await asyncio.sleep(2.0)  # the last pushes
    watcher.cancel()
    return Outcome(load, seen, stopping, up)


def stored_keys(url: str) -> Counter[str]:
    from sqlalchemy import text

    from dispatch.database import Database

    db = Database(url)
    with db.engine.connect() as conn:
        keys = conn.execute(text("SELECT key FROM idempotency_record WHERE key LIKE 'pgr-%'"))
        found = Counter(str(k) for (k,) in keys)
    db.dispose()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", default="15/main", help="pg_ctlcluster version/name")
    parser.add_argument("--down", type=float, default=5.0, help="seconds (at most 10)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--steady", type=float, default=4.0, help="seconds of load before")
    parser.add_argument("--after", type=float, default=10.0, help="seconds of load after")
    args = parser.parse_args()
    args.down = min(args.down, 10.0)

    with (
        scratch_database("postgres") as url,
        tempfile.TemporaryDirectory() as tmp,
        server(url, Path(tmp) / "server.log", HOTLINE_RUN_SCHEDULER_IN_PROCESS="true") as srv,
    ):
        srv.start()
        try:
            result = asyncio.run(scenario(srv.port, args))
        finally:
            if not pg_ready():
                pg_ctl(args.cluster, "start")
        keys = stored_keys(url)
        log = (Path(tmp) / "server.log").read_text(errors="replace")

    load, seen, stopping, up = result.load, result.seen, result.stopping, result.up
    before = load.between(0, stopping)
    down = load.between(stopping, up)
    after = load.between(up, float("inf"))
    ok = {"200", "201"}
    p99_before = sorted(s.took for s in before)[int(len(before) * 0.99)] if before else 0.0
    failed_down = [s for s in down if s.status not in ok]
    unavailable = [s for s in load.samples if s.status == "503"]
    recovered = next((s.sent + s.took - up for s in after if s.status == "201"), float("nan"))
    last_failure = max((s.sent + s.took - up for s in after if s.status not in ok), default=0.0)
    slowest = max((s.took for s in load.samples), default=0.0)
    bad = Counter(s.status for s in load.samples if s.status in {"500", "hang", "no answer"})
    created = {s.key for s in load.samples if s.status == "201" and s.key}
    missing = [k for k in created if keys[k] != 1]
    pushed_after = [t for t, _ in seen if t > up]
    statuses_down = dict(Counter(s.status for s in down))

    print(f"PostgreSQL down for {up - stopping:.1f} s under {args.connections} clients")
    print(f"  before: {len(before)} requests, p99 {p99_before * 1000:.0f} ms")
    print(f"  while down: {statuses_down}")
    print(
        f"  503s: {len(unavailable)}, with Retry-After: {sum(s.retry_after for s in unavailable)}"
        f"; 500s / hangs / dropped: {dict(bad) or 0}; slowest answer {slowest:.2f} s"
    )
    print(
        f"  after PostgreSQL is up: first 201 in {recovered:.2f} s, last failure at "
        f"{last_failure:.2f} s; pushes reached the board after: {len(pushed_after)}"
    )
    print(
        f"  orders answered 201: {len(created)}, stored exactly once: {len(created) - len(missing)}"
    )
    print(f"  server log tracebacks: {log.count('Traceback')}")
    if os.environ.get("SHOW_TRACEBACKS"):  # the first three, to find what logs them
        for chunk in log.split("Traceback")[1:4]:
            print("Traceback" + chunk[-1500:])

    good = (
        not bad
        and all(s.retry_after for s in unavailable)
        and slowest < 5.0
        and not missing
        and recovered == recovered  # not NaN
        and bool(pushed_after)
    )
    name = f"PostgreSQL restarted under load ({up - stopping:.0f} s down)"
    record(
        "faults",
        f"{name}: 500s, hangs, dropped answers",
        sum(bad.values()),
        "requests",
        target="0",
        met=not bad,
    )
    record(
        "faults",
        f"{name}: 503s with Retry-After",
        len(unavailable),
        "requests",
        baseline=len(failed_down),
        baseline_label="failed while down",
        target="all 503 carry Retry-After",
        met=all(s.retry_after for s in unavailable),
    )
    record(
        "faults",
        f"{name}: slowest answer",
        slowest,
        "s",
        baseline=p99_before,
        baseline_label="p99 before the restart",
        target="< 5 s",
        met=slowest < 5.0,
    )
    record(
        "faults",
        f"{name}: PostgreSQL up to first 201",
        recovered,
        "s",
        target="by itself",
        met=recovered == recovered,
    )
    record(
        "faults",
        f"{name}: 201s not stored once",
        len(missing),
        "orders",
        target="0",
        met=not missing,
    )
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
