"""SIGKILL the server during 1,000 concurrent order creations; restart; count what survived.

    .venv/bin/python bench/fault_sigkill.py [--backends sqlite,postgres] [--orders 1000]
        [--connections 50] [--kill-at 0.5]

Each creation carries an Idempotency-Key and names its key in the description. The server is
killed (SIGKILL) once `--kill-at` of the orders were answered 201, then started again on the
same database. Checked straight in the database:
  lost         answered 201 but not stored (target 0)
  duplicates   one key stored twice (target 0)
  half-written an order without its events, its SLA rows or its idempotency record (target 0)
Then the client retries every request that got no answer, with the same key: afterwards
exactly `--orders` orders exist. Recovery is timed from the kill to the first 201 after it,
beside the cold start of the same server as the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    Server,
    login,
    request_bytes,
    roundtrip,
    scratch_database,
    server,
)
from bench.report import record

HANG = 30.0  # seconds without an answer: the server is stuck, not slow

COMPOUNDS = ["jindi-garden", "yinpi-south", "anyi-home", "jindong-haoting"]


def body(i: int) -> dict[str, Any]:
    return {
        "channel": "phone",
        "caller": {"phone": f"139{i:08d}"},
        "address": {"compound": COMPOUNDS[i % len(COMPOUNDS)]},
        "category": "fire_lane",
        "description": f"消防通道被电动车堵住（key fault-{i}）",
    }


@dataclass
class Run:
    answers: dict[int, tuple[int, str | None]] = field(default_factory=dict)  # i -> status
    unanswered: set[int] = field(default_factory=set)
    killed_at: float = 0.0

    @property
    def created(self) -> dict[int, str]:
        return {i: n for i, (s, n) in self.answers.items() if s == 201 and n}


async def create_all(
    srv: Server, auth: dict[str, str], orders: int, connections: int, kill_after: int
) -> Run:
    """`connections` keep-alive clients share the 1,000 creations; SIGKILL mid-way."""
    run = Run()
    todo = iter(range(orders))

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
        for i in todo:
            headers = {**auth, "Idempotency-Key": f"fault-{i}"}
            payload = request_bytes("POST", "/api/v1/orders", headers, body(i))
            try:
                answer = await asyncio.wait_for(roundtrip(reader, writer, payload), HANG)
            except (OSError, asyncio.IncompleteReadError, TimeoutError):
                run.unanswered.add(i)
                run.unanswered.update(todo)  # the server is gone: the rest were never sent
                break
            number = answer.json().get("number") if answer.status in (200, 201) else None
            run.answers[i] = (answer.status, number)
            if len(run.created) >= kill_after and not run.killed_at:
                assert srv.process is not None
                srv.process.send_signal(signal.SIGKILL)
                run.killed_at = time.monotonic()
        writer.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return run


async def retry(srv: Server, auth: dict[str, str], keys: list[int]) -> Counter[int]:
    """The client's answer to a dropped request: the same request, the same key."""
    statuses: Counter[int] = Counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
    for i in keys:
        headers = {**auth, "Idempotency-Key": f"fault-{i}"}
        answer = await roundtrip(
            reader, writer, request_bytes("POST", "/api/v1/orders", headers, body(i))
        )
        statuses[answer.status] += 1
    writer.close()
    return statuses


def stored(database_url: str) -> dict[str, Any]:
    """Orders by key, and the ones missing a part that must be written with them."""
    from sqlalchemy import text

    from dispatch.database import Database

    db = Database(database_url)
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT o.number, o.description, o.status,
                  (SELECT count(*) FROM order_event e
                    WHERE e.order_id = o.id AND e.kind = 'received') AS received,
                  (SELECT count(*) FROM order_event e
                    WHERE e.order_id = o.id AND e.kind = 'dispatched') AS dispatched,
                  (SELECT count(*) FROM order_sla s WHERE s.order_id = o.id) AS sla,
                  (SELECT count(*) FROM idempotency_record r WHERE r.order_id = o.id) AS claim
                FROM work_order o WHERE o.description LIKE '%key fault-%'
                """
            )
        ).all()
        orphan_claims = conn.execute(
            text("SELECT count(*) FROM idempotency_record WHERE order_id IS NULL")
        ).scalar_one()
    db.dispose()
    by_key: dict[int, list[str]] = {}
    half: list[str] = []
    for number, description, status, received, dispatched, sla, claim in rows:
        key = int(description.rsplit("fault-", 1)[1].rstrip("）"))
        by_key.setdefault(key, []).append(number)
        complete = received == 1 and claim == 1
        if status == "dispatched":
            complete = complete and dispatched == 1 and sla == 1
        if not complete:
            half.append(number)
    return {"by_key": by_key, "half": half, "orphan_claims": int(orphan_claims)}


def one_backend(backend: str, orders: int, connections: int, kill_at: float) -> bool:
    with (
        scratch_database(backend) as url,
        tempfile.TemporaryDirectory() as tmp,
        server(url, Path(tmp) / "server.log") as srv,
    ):
        cold_start = srv.start()
        auth = login(srv.port, "operator.li")
        started = time.monotonic()
        run = asyncio.run(create_all(srv, auth, orders, connections, int(orders * kill_at)))
        assert srv.process is not None
        if not run.killed_at:
            print(
                f"  the kill point was never reached: {Counter(s for s, _ in run.answers.values())}"
            )
            srv.kill()
            run.killed_at = time.monotonic()
        srv.process.wait(timeout=10)
        restart = srv.start()
        healthy_again = time.monotonic() - run.killed_at
        after_kill = stored(url)  # before any retry: what the kill left behind
        retried = asyncio.run(retry(srv, auth, sorted(run.unanswered)))
        recovered = time.monotonic() - run.killed_at
        creating = run.killed_at - started
        in_the_end = stored(url)["by_key"]
        log = (Path(tmp) / "server.log").read_text(errors="replace")

    created = run.created
    by_key = after_kill["by_key"]
    lost = [i for i in created if by_key.get(i) != [created[i]]]
    duplicates = [i for i, numbers in by_key.items() if len(numbers) > 1]
    half = len(after_kill["half"]) + after_kill["orphan_claims"]
    statuses = Counter(s for s, _ in run.answers.values())
    complete = len(in_the_end) == orders and all(len(n) == 1 for n in in_the_end.values())
    print(f"[{backend}] {orders} creations on {connections} connections, SIGKILL mid-way")
    print(
        f"  answered before the kill: {dict(statuses)}; no answer (connection dropped): "
        f"{len(run.unanswered)}; {len(created) / creating:.0f} creations/s before the kill"
    )
    print(
        f"  answered 201 and lost: {len(lost)}   duplicates: {len(duplicates)}   "
        f"half-written: {half}   (targets 0)"
    )
    print(
        f"  stored by the kill: {len(by_key)} orders ({len(by_key) - len(created)} of them "
        f"never answered); restart to /healthz {restart:.1f} s (cold start {cold_start:.1f} s)"
    )
    print(
        f"  kill -> healthy {healthy_again:.1f} s; kill -> every dropped request retried and "
        f"answered {recovered:.1f} s; retries answered {dict(retried)}"
    )
    print(f"  afterwards: {len(in_the_end)} orders for {orders} keys, each once: {complete}")
    print(f"  server log tracebacks: {log.count('Traceback')}")
    name = f"SIGKILL during {orders} creations ({backend})"
    record(
        "faults", f"{name}: answered 201 and lost", len(lost), "orders", target="0", met=not lost
    )
    record(
        "faults",
        f"{name}: duplicates / half-written",
        len(duplicates) + half,
        "orders",
        target="0",
        met=not duplicates and half == 0,
    )
    record(
        "faults",
        f"{name}: restart to healthy",
        restart,
        "s",
        baseline=cold_start,
        baseline_label="cold start of the same server",
    )
    record("faults", f"{name}: kill to healthy again", healthy_again, "s")
    record(
        "faults",
        f"{name}: orders after client retries",
        len(in_the_end),
        "orders",
        baseline=orders,
        baseline_label="keys sent",
        target=f"= {orders}",
        met=complete,
    )
    return not lost and not duplicates and half == 0 and complete


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=0.5)
    args = parser.parse_args()
    ok = True
    for backend in args.backends.split(","):
        ok = one_backend(backend, args.orders, args.connections, args.kill_at) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
