"""Push hub benchmark: how fast a new order reaches the right phones, and a board broadcast.

    .venv/bin/python bench/bench_push.py [--leaders 1000] [--boards 5000] [--orders 40]

A: `--leaders` team-leader sockets spread over the demo teams (extra users in a scratch
   SQLite database); orders are created over HTTP one by one; for each order, the time from
   sending the POST (and from its 201) to each of the right leaders' sockets.
B: `--boards` supervisor sockets; one event at a time (a progress note on an order); time
   from the POST to every socket, and to the last one.
Both against a bare websocket broadcast on the same stack (uvicorn + Starlette, no
database, no routing, no hub) with the same number of sockets, as the floor.
The server runs in a subprocess and the clients in `--client-procs` processes, so neither
shares a GIL with the other; time.monotonic() is one clock for all processes on Linux.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.report import record  # noqa: E402
from bench.server import free_port, prepare_sqlite  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-0123456789"
PAYLOADS = [
    ("fire_lane", "jindi-garden", "金地花园D区8号楼前电动车堵住了消防通道"),
    ("fire_lane", "yinpi-south", "银啤苑南区消防通道被私家车占用"),
    ("fire_lane", "anyi-home", "安怡家园E区消防通道堆放杂物"),
    ("fire_lane", "jindong-haoting", "金东豪庭消防通道被电动车堵住"),
    ("manhole_cover", "taihe-road", "泰和路井盖昨晚破损，学校快放学了"),
    ("drain_blocked", "yongan-north-lane", "永安北巷下水道堵塞，汛期快到了"),
    ("property_certificate", "yinpi-south", "银啤苑南区14号楼房产证一直没有办下来"),
    ("dispute", "xiyuan-dorms", "邻里因楼道堆物发生口角，请求调解"),
    ("elder_care", "yuehu-home", "独居老人家中无人照看，请求上门探望"),
    ("medical_insurance", "xiyuan-dorms", "家属住院，需要帮助办理医保理赔"),
]


# --- servers ---------------------------------------------------------------------------------


# Every bench user has this (unusable) password hash, so its tokens can be minted directly.
BENCH_PASSWORD_HASH = "!"


def prepare_database(directory: Path, leaders: int) -> tuple[str, list[tuple[int, str]], int, int]:
    """A demo world plus `leaders` team leaders spread over every team."""
    from sqlmodel import select

    from dispatch.auth.models import Role, User
    from dispatch.database import Database
    from dispatch.teams.models import Team

    url = prepare_sqlite(directory)
    db = Database(url)
    made: list[tuple[int, str]] = []
    with db.session(write=True) as session:
        teams = [t.code for t in session.exec(select(Team)).all() if t.active]
        for i in range(leaders):
            team = teams[i % len(teams)]
            user = User(
                username=f"bench.leader.{i}",
                display_name=f"队长{i}",
                role=Role.team_leader,
                team_code=team,
                password_hash=BENCH_PASSWORD_HASH,
            )
            session.add(user)
            session.flush()
            assert user.id is not None
            made.append((user.id, team))
        operator = session.exec(select(User).where(User.username == "operator.li")).one()
        supervisor = session.exec(select(User).where(User.username == "supervisor.zhang")).one()
        for desk_user in (operator, supervisor):  # tokens below are minted, not logged in for
            desk_user.password_hash = BENCH_PASSWORD_HASH
            session.add(desk_user)
    db.dispose()
    assert operator.id is not None and supervisor.id is not None
    return url, made, operator.id, supervisor.id


def token(user_id: int) -> str:
    from dispatch.auth.tokens import issue_token

    now = datetime.now(UTC)
    return issue_token(
        user_id, BENCH_PASSWORD_HASH, secret=SECRET, now=now, expires_at=now + timedelta(hours=4)
    )


def start_server(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(args, cwd=REPO, env={**os.environ, **env})
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("server did not start")


def start_app(database_url: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "HOTLINE_ENVIRONMENT": "development",
        "HOTLINE_SECRET_KEY": SECRET,
        "HOTLINE_RUN_SCHEDULER_IN_PROCESS": "false",
    }
    uvicorn = [sys.executable, "-m", "uvicorn", "dispatch.asgi:app", "--port", str(port)]
    args = [*uvicorn, "--log-level", "warning", "--no-access-log"]
    return start_server(args, env, port), port


def start_bare() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    args = [sys.executable, __file__, "--bare-server", str(port)]
    return start_server(args, {}, port), port


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bare_server(port: int) -> None:
    """The floor: accept sockets per team, and on POST send a message to a team or to all."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route, WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    sockets: dict[str, set[WebSocket]] = {}
    counter = iter(range(1, 10**9))

    async def ws_endpoint(websocket: WebSocket) -> None:
        team = websocket.query_params.get("team", "*")
        await websocket.accept()
        await websocket.send_text(json.dumps({"type": "ready"}))
        sockets.setdefault(team, set()).add(websocket)
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            sockets[team].discard(websocket)

    async def broadcast(request: Request) -> JSONResponse:
        body = await request.json()
        teams = body["team_codes"]
        number = f"B-{next(counter)}"
        text = json.dumps(
            {"type": "event", "order_number": number, "kind": "dispatched", "team_codes": teams}
        )
        targets = [ws for team in [*teams, "*"] for ws in sockets.get(team, ())]
        for ws in targets:
            await ws.send_text(text)
        return JSONResponse({"number": number}, status_code=201)

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    app = Starlette(
        routes=[
            WebSocketRoute("/ws", ws_endpoint),
            Route("/broadcast", broadcast, methods=["POST"]),
            Route("/healthz", healthz),
        ]
    )
    uvicorn.run(app, port=port, log_level="warning", access_log=False)


# --- clients (separate processes) -------------------------------------------------------------


def client_process(urls: list[str], pipe: Connection) -> None:
    asyncio.run(_clients(urls, pipe))


async def _clients(urls: list[str], pipe: Connection) -> None:
    from websockets.asyncio.client import connect

    records: list[tuple[int, float, str]] = []
    connected = 0

    async def one(index: int, url: str) -> None:
        nonlocal connected
        async with connect(url, open_timeout=60, ping_interval=None) as ws:
            await ws.recv()  # ready
            connected += 1
            async for raw in ws:
                records.append((index, time.monotonic(), str(raw)))

    tasks = []
    for start in range(0, len(urls), 100):
        batch = [
            asyncio.create_task(one(start + i, u)) for i, u in enumerate(urls[start : start + 100])
        ]
        tasks += batch
        while connected < len(tasks):
            await asyncio.sleep(0.01)
    pipe.send("ready")
    await asyncio.get_running_loop().run_in_executor(None, pipe.recv)  # "stop"
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    pipe.send(records)


class Clients:
    def __init__(self, urls: list[str], procs: int) -> None:
        ctx = mp.get_context("spawn")
        self.pipes: list[Connection] = []
        self.procs = []
        self.offsets: list[int] = []
        share = (len(urls) + procs - 1) // procs
        for p in range(procs):
            part = urls[p * share : (p + 1) * share]
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=client_process, args=(part, theirs), daemon=True)
            proc.start()
            self.pipes.append(mine)
            self.procs.append(proc)
            self.offsets.append(p * share)
        for pipe in self.pipes:
            assert pipe.recv() == "ready"

    def stop(self) -> list[tuple[int, float, dict[str, Any]]]:
        for pipe in self.pipes:
            pipe.send("stop")
        out: list[tuple[int, float, dict[str, Any]]] = []
        for pipe, offset in zip(self.pipes, self.offsets, strict=True):
            for index, at, raw in pipe.recv():
                out.append((offset + index, at, json.loads(raw)))
        for proc in self.procs:
            proc.join(timeout=10)
        return out


# --- measurements -----------------------------------------------------------------------------


def post(
    port: int, path: str, body: dict[str, Any], bearer: str | None
) -> tuple[float, float, dict[str, Any]]:
    headers = {"Content-Type": "application/json"}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), headers=headers
    )
    sent = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201), response.status
        answer = json.loads(response.read())
    return sent, time.monotonic(), answer


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def describe(values: list[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"n={len(values)} p50={pct(values, 0.5):.1f} ms p99={pct(values, 0.99):.1f} ms "
        f"max={max(values) * 1000:.1f} ms"
    )


def order_body(i: int) -> dict[str, Any]:
    category, compound, text = PAYLOADS[i % len(PAYLOADS)]
    return {
        "channel": "phone",
        "caller": {"name": "测试居民", "phone": "13900000000"},
        "address": {"compound": compound},
        "category": category,
        "description": f"{text}（压测{i}）",
    }


def run_leaders(args: argparse.Namespace, bare: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url, leaders, operator_id, _ = prepare_database(Path(tmp), args.leaders)
        proc, port = start_bare() if bare else start_app(url)
        try:
            idle = rss_mb(proc.pid)
            if bare:
                urls = [f"ws://127.0.0.1:{port}/ws?team={team}" for _, team in leaders]
            else:
                urls = [f"ws://127.0.0.1:{port}/ws?token={token(uid)}" for uid, _ in leaders]
            clients = Clients(urls, args.client_procs)
            connected = rss_mb(proc.pid)
            sent: dict[str, tuple[float, float, list[str]]] = {}
            bearer = token(operator_id)
            for i in range(args.orders):
                if bare:
                    codes = sorted({t for _, t in leaders})
                    teams = [codes[i % len(codes)]]
                    s, r, answer = post(port, "/broadcast", {"team_codes": teams}, None)
                else:
                    s, r, answer = post(port, "/api/v1/orders", order_body(i), bearer)
                sent[answer["number"]] = (s, r, [])
                time.sleep(args.gap)
            time.sleep(1.0)
            records = clients.stop()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    from_send: list[float] = []
    from_201: list[float] = []
    wrong = 0
    expected = 0
    for _index, _at, message in records:
        if message.get("kind") == "dispatched" and message["order_number"] in sent:
            sent[message["order_number"]][2].extend(message["team_codes"])
    for index, at, message in records:
        if message.get("type") != "event":
            continue
        if leaders[index][1] not in message["team_codes"]:
            wrong += 1
        if message.get("kind") == "dispatched" and message["order_number"] in sent:
            s, r, _teams = sent[message["order_number"]]
            from_send.append(at - s)
            from_201.append(at - r)
    for _s, _r, teams in sent.values():
        expected += sum(1 for _, team in leaders if team in set(teams))
    label = "bare broadcast" if bare else "hub (/ws)     "
    print(f"A {label} {args.leaders} leaders, {args.orders} orders")
    print(f"  POST sent -> right sockets: {describe(from_send)}")
    print(f"  HTTP 201  -> right sockets: {describe(from_201)}")
    print(f"  deliveries {len(from_send)}/{expected}, to a wrong team: {wrong}")
    print(f"  server RSS idle {idle:.0f} MB, with sockets {connected:.0f} MB")
    return {
        "p50": pct(from_send, 0.5),
        "p99": pct(from_send, 0.99),
        "p99_from_201": pct(from_201, 0.99),
        "delivered": len(from_send),
        "expected": expected,
        "wrong": wrong,
    }


def run_boards(args: argparse.Namespace, bare: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        url, _leaders, operator_id, supervisor_id = prepare_database(Path(tmp), 0)
        proc, port = start_bare() if bare else start_app(url)
        try:
            idle = rss_mb(proc.pid)
            board = f"ws://127.0.0.1:{port}/ws?" + (
                "team=*" if bare else f"token={token(supervisor_id)}"
            )
            clients = Clients([board] * args.boards, args.client_procs)
            connected = rss_mb(proc.pid)
            sent: dict[str, float] = {}
            bearer = token(operator_id)
            if not bare:  # one order first; then each round is one note: exactly one event
                number = post(port, "/api/v1/orders", order_body(0), bearer)[2]["number"]
                time.sleep(1.0)
            for i in range(args.rounds):
                key = f"进展{i}"
                if bare:
                    s, _r, answer = post(port, "/broadcast", {"team_codes": []}, None)
                    key = answer["number"]
                else:
                    s, _r, _ = post(port, f"/api/v1/orders/{number}/notes", {"text": key}, bearer)
                sent[key] = s
                time.sleep(args.board_gap)
            time.sleep(3.0)  # let the last round reach every socket
            peak = rss_mb(proc.pid)
            records = clients.stop()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    per_round: dict[str, list[float]] = {n: [] for n in sent}
    for _index, at, message in records:
        key = message.get("data", {}).get("text") if not bare else message.get("order_number")
        if message.get("type") == "event" and key in sent:
            per_round[key].append(at - sent[key])
    label = "bare broadcast" if bare else "hub (/ws)     "
    print(f"B {label} {args.boards} boards, {args.rounds} events")
    lasts = []
    for number, values in per_round.items():
        lasts.append(max(values) if values else float("nan"))
        print(f"  {number}: {describe(values)}")
    print(
        f"  time to the last client: median {statistics.median(lasts) * 1000:.1f} ms, "
        f"worst {max(lasts) * 1000:.1f} ms"
    )
    print(
        f"  server RSS idle {idle:.0f} MB, {args.boards} sockets {connected:.0f} MB, "
        f"after the events {peak:.0f} MB"
    )
    return statistics.median(lasts) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaders", type=int, default=1000)
    parser.add_argument("--boards", type=int, default=5000)
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--gap", type=float, default=0.1, help="seconds between orders in A")
    parser.add_argument("--board-gap", type=float, default=1.0, help="seconds between events in B")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--only", choices=["A", "B"], default=None)
    parser.add_argument("--bare-server", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        bare_server(args.bare_server)
        return
    if args.only in (None, "A"):
        hub, bare = run_leaders(args, bare=False), run_leaders(args, bare=True)
        name = f"new order to the right phones, {args.leaders} leaders connected"
        for p in ("p50", "p99"):
            record(
                "push",
                f"{name}: {p} from the POST being sent",
                hub[p],
                "ms",
                baseline=bare[p],
                baseline_label="bare websocket broadcast, same sockets",
            )
        record(
            "push",
            f"{name}: p99 from HTTP 201 to the right sockets",
            hub["p99_from_201"],
            "ms",
            baseline=bare["p99_from_201"],
            baseline_label="bare websocket broadcast, same sockets",
            target="< 100 ms",
            met=hub["p99_from_201"] < 100,
        )
        record(
            "push",
            f"{name}: deliveries (wrong team {hub['wrong']:.0f})",
            hub["delivered"],
            "messages",
            baseline=hub["expected"],
            baseline_label="expected",
            target="all, none to a wrong team",
            met=hub["delivered"] == hub["expected"] and hub["wrong"] == 0,
        )
    if args.only in (None, "B"):
        hub_last = run_boards(args, bare=False)
        bare_last = run_boards(args, bare=True)
        record(
            "push",
            f"one event to {args.boards} boards: time to the last (median)",
            hub_last,
            "ms",
            baseline=bare_last,
            baseline_label="bare websocket broadcast, same sockets",
        )


if __name__ == "__main__":
    main()
