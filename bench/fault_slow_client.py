"""Websocket clients that stop reading: bounded queues, flat server memory, others unaffected.

    .venv/bin/python bench/fault_slow_client.py [--stalled 20] [--notes 500] [--queue 50]

One server (scratch SQLite, HOTLINE_LIVE_QUEUE_SIZE=--queue). A supervisor's board reads
every event. Phase 1 (the baseline): `--notes` progress notes of 12 KB (4,000 characters)
are posted and timed to the board. Phase 2: `--stalled` more boards connect through 4 KB
receive windows and stop reading; the same notes again. Printed for both: time from POST
to the reading board (p50, p99), every note delivered, the server's RSS growth; then the
stalled boards read again, and how their stream ended (a resync, then close 4409).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import login, request_bytes, roundtrip, scratch_database, server
from bench.report import record

ORDER = {
    "channel": "phone",
    "caller": {"phone": "13700000001"},
    "address": {"compound": "jindi-garden"},
    "category": "fire_lane",
    "description": "消防通道被堵住（慢客户端压测）",
}


@dataclass(frozen=True)
class Phase:
    delivered: int
    p50: float
    p99: float
    rss_growth: float
    rss: float


End = tuple[int, str, int | None]  # messages a stalled board got, the last type, close code


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000 if ordered else 0.0


async def reading_board(url: str, got: dict[str, float], ready: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    async with connect(url, max_size=None) as ws:
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "ready":
                ready.set()
            elif message["type"] == "event" and message["kind"] == "note_added":
                got[message["data"]["text"][:12]] = time.monotonic()


async def stalled_board(url: str, port: int, wake: asyncio.Event) -> tuple[int, str, int | None]:
    """Connects, then reads nothing until woken; then reads what is left until the close."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    ws = await connect(url, sock=sock, max_queue=1, compression=None, max_size=None)
    await ws.recv()  # ready; from here the library stops reading: its queue holds one message
    await wake.wait()
    received, last = 0, ""
    try:
        while True:
            last = json.loads(await asyncio.wait_for(ws.recv(), 30))["type"]
            received += 1
    except (ConnectionClosed, TimeoutError):
        pass
    await ws.close()
    return received, last, ws.close_code


async def post_notes(
    port: int, auth: dict[str, str], number: str, phase: int, notes: int
) -> dict[str, float]:
    sent: dict[str, float] = {}
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for i in range(notes):
        text = f"p{phase}-{i:05d}-".ljust(12, "x") + "".join(
            chr(0x4E00 + secrets.randbelow(20000)) for _ in range(3980)
        )  # 12 KB of UTF-8 that does not compress
        sent[text[:12]] = time.monotonic()
        payload = request_bytes("POST", f"/api/v1/orders/{number}/notes", auth, {"text": text})
        answer = await roundtrip(reader, writer, payload)
        assert answer.status == 200, answer.body
    writer.close()
    return sent


async def scenario(port: int, pid: int, args: argparse.Namespace) -> tuple[list[Phase], list[End]]:
    operator = login(port, "operator.li")
    token = login(port, "supervisor.zhang")["Authorization"].removeprefix("Bearer ")
    url = f"ws://127.0.0.1:{port}/ws?token={token}"
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    created = await roundtrip(
        reader, writer, request_bytes("POST", "/api/v1/orders", operator, ORDER)
    )
    writer.close()
    number = created.json()["number"]

    got: dict[str, float] = {}
    ready = asyncio.Event()
    board = asyncio.create_task(reading_board(url, got, ready))
    await ready.wait()
    phases: list[Phase] = []
    stalled_tasks: list[asyncio.Task[End]] = []
    wake = asyncio.Event()
    for phase in (1, 2):
        if phase == 2:
            stalled_tasks = [
                asyncio.create_task(stalled_board(url, port, wake)) for _ in range(args.stalled)
            ]
            await asyncio.sleep(1.0)
        rss_before = rss_mb(pid)
        sent = await post_notes(port, operator, number, phase, args.notes)
        deadline = time.monotonic() + 10
        while not set(sent) <= set(got) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        latencies = [got[k] - t for k, t in sent.items() if k in got]
        phases.append(
            Phase(
                delivered=sum(1 for k in sent if k in got),
                p50=pct(latencies, 0.5),
                p99=pct(latencies, 0.99),
                rss_growth=rss_mb(pid) - rss_before,
                rss=rss_mb(pid),
            )
        )
    wake.set()  # the stalled boards read again: what reached them, and how it ended
    ends = await asyncio.gather(*stalled_tasks)
    board.cancel()
    return phases, ends


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stalled", type=int, default=20)
    parser.add_argument("--notes", type=int, default=500)
    parser.add_argument("--queue", type=int, default=50)
    args = parser.parse_args()
    with (
        scratch_database("sqlite") as url,
        tempfile.TemporaryDirectory() as tmp,
        server(url, Path(tmp) / "server.log", HOTLINE_LIVE_QUEUE_SIZE=str(args.queue)) as srv,
    ):
        srv.start()
        assert srv.process is not None
        (alone, crowded), ends = asyncio.run(scenario(srv.port, srv.process.pid, args))
    print(f"{args.notes} notes of 12 KB, per-socket queue {args.queue}")
    for label, p in (
        ("board alone (baseline)", alone),
        (f"beside {args.stalled} stalled", crowded),
    ):
        print(
            f"  {label:<26} delivered {p.delivered}/{args.notes}  POST->board p50 "
            f"{p.p50:.1f} ms p99 {p.p99:.1f} ms  server RSS +{p.rss_growth:.1f} MB "
            f"(now {p.rss:.0f} MB)"
        )
    resynced = sum(1 for _, last, code in ends if last == "resync" and code == 4409)
    most = max(n for n, _, _ in ends)
    print(
        f"  stalled boards ended by a resync and close 4409: {resynced}/{args.stalled}; "
        f"the most any of them had received: {most} messages of {args.notes + 1}"
    )
    complete = alone.delivered == crowded.delivered == args.notes
    record(
        "faults",
        "slow websocket clients: reading board p99",
        crowded.p99,
        "ms",
        baseline=alone.p99,
        baseline_label="same board, no stalled clients",
    )
    record(
        "faults",
        f"slow websocket clients: server RSS growth beside {args.stalled} stalled",
        crowded.rss_growth,
        "MB",
        baseline=alone.rss_growth,
        baseline_label="same notes, no stalled clients",
    )
    record(
        "faults",
        "slow websocket clients: stalled boards resynced and closed",
        resynced,
        "sockets",
        baseline=args.stalled,
        baseline_label="stalled",
        target="all",
        met=resynced == args.stalled,
    )
    record(
        "faults",
        "slow websocket clients: notes reaching the reading board",
        crowded.delivered,
        "notes",
        baseline=args.notes,
        baseline_label="posted",
        target="all",
        met=complete,
    )
    return 0 if complete and resynced == args.stalled else 1


if __name__ == "__main__":
    sys.exit(main())
