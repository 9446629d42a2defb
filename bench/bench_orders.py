"""Work-order creation over HTTP (routing + events) against a trivial endpoint of the same app.

Prints requests/s for both, the ratio (target: >= 40% on SQLite), and p50/p99 latency of
creation at half its maximum rate (target: p99 < 50 ms).
Run: .venv/bin/python bench/bench_orders.py [--seconds 10] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import closed_loop, login, open_loop, request_bytes
from server import running_server

DESCRIPTIONS = [
    ("fire_lane", "jindi-garden", "D区{}号楼前电动车堵住了消防通道"),
    ("roof_leak", "anyi-home", "E区1号楼顶层漏水{}"),
    ("drain_blocked", "jindong-haoting", "小区下水道堵塞，污水外溢{}"),
    ("manhole_cover", "taihe-road", "泰和路井盖破损{}，学校快放学了"),
    ("other", None, "咨询社区活动{}"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--postgres", default=None, help="a scratch PostgreSQL URL, migrated")
    args = parser.parse_args()

    with running_server(args.postgres) as port:
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

    backend = "PostgreSQL" if args.postgres else "SQLite"
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
    print(
        f"at half rate ({made.rate / 2:.0f} req/s) : p50 {half.pct(0.5):6.1f} ms  "
        f"p99 {half.pct(0.99):6.1f} ms  (target p99 < 50 ms)  statuses {half.statuses}"
    )


if __name__ == "__main__":
    main()
