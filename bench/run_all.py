"""`make bench`: every benchmark and fault script, short settings, one report.

    .venv/bin/python bench/run_all.py [--pg-restart] [--out bench/results.md]

Runs each script below in turn (each with its baseline measured in the same run), collects
the figures they record (bench/report.py) and writes bench/results.md: the machine, each
figure beside its baseline and the ratio, and every script's printed output. With
--pg-restart it ends with bench/fault_pg_restart.py, which restarts the machine's
PostgreSQL for a few seconds (everyone's connections drop): run that only on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from bench.report import RESULTS_ENV, record  # noqa: E402


@dataclass(frozen=True)
class Step:
    script: str
    args: tuple[str, ...] = ()
    timeout: float = 300

    @property
    def command(self) -> str:
        return " ".join(["bench/" + self.script, *self.args])


STEPS = [
    Step("bench_routing.py", ("--rules", "10000", "--orders", "5000")),
    Step("bench_orders.py", ("--seconds", "4", "--backend", "sqlite")),
    Step("bench_orders.py", ("--seconds", "4", "--backend", "postgres")),
    Step("bench_escalation.py", ("--open", "20000", "--burst", "500"), timeout=480),
    Step(
        "bench_push.py",
        ("--leaders", "500", "--boards", "1000", "--orders", "20", "--rounds", "3"),
    ),
    Step("fault_sigkill.py", ("--orders", "1000", "--connections", "50")),
    Step("fault_slow_client.py", ("--stalled", "20", "--notes", "500")),
]
PG_RESTART = Step("fault_pg_restart.py", ("--down", "5"), timeout=180)


def machine() -> list[tuple[str, str]]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", ram),
        ("OS", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", postgres_version()),
        ("Load average at start", " / ".join(f"{x:.2f}" for x in os.getloadavg())),
    ]


def postgres_version() -> str:
    try:
        from sqlalchemy import text

        from bench.cluster import PG_ADMIN
        from dispatch.database import null_pool_engine

        engine = null_pool_engine(PG_ADMIN)
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar_one())
        engine.dispose()
        return version
    except Exception as exc:  # the report still says why
        return f"unavailable ({type(exc).__name__})"


def escalation_figures(output: str) -> None:
    """bench_escalation.py prints its figures; read the two that have a baseline."""
    for section in re.split(r"^\[(\w+)\]$", output, flags=re.MULTILINE)[1:]:
        if section in ("sqlite", "postgres"):
            backend = section
            continue
        ticks = re.findall(r"([\d,]+) open, \d+ due: tick\s+([\d.]+) ms", section)
        if len(ticks) == 2:
            (few, small), (many, big) = ticks
            record(
                "escalation",
                f"sweeper tick with {many} open orders ({backend})",
                float(big),
                "ms",
                baseline=float(small),
                baseline_label=f"same tick, {few} open",
                target="ratio < 2",
                met=float(big) / float(small) < 2,
            )
        late = re.search(r"p99 lateness ([\d.]+) s -> ([\d.]+) s", section)
        if late:
            before, after = float(late.group(1)), float(late.group(2))
            record(
                "escalation",
                f"lateness p99 of a burst due in one second ({backend})",
                after,
                "s",
                baseline=before,
                baseline_label="one step per transaction",
                target="< 2 s",
                met=after < 2,
            )


def run(step: Step, results: Path) -> tuple[str, int, float]:
    started = time.monotonic()
    env = {**os.environ, RESULTS_ENV: str(results), "PYTHONUNBUFFERED": "1"}
    print(f"== {step.command}", flush=True)
    try:
        done = subprocess.run(
            [sys.executable, str(BENCH / step.script), *step.args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=step.timeout,
        )
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        output, code = output + f"\n(timed out after {step.timeout:.0f} s)", -1
    print(output.rstrip(), flush=True)
    if step.script == "bench_escalation.py":
        escalation_figures(output)
    return output, code, time.monotonic() - started


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def ratio(row: dict[str, Any]) -> str:
    if not row["baseline"]:
        return ""
    return f"{row['value'] / row['baseline']:.3g}×"


def write_report(
    out: Path, rows: list[dict[str, Any]], runs: list[tuple[Step, str, int, float]], took: float
) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Last run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` "
        f"(bench/run_all.py), {took / 60:.1f} min. Every figure sits beside a baseline "
        "measured in the same run on the same machine; ratio = figure / baseline. The "
        "machine is shared with other work, so absolute numbers move between runs; the "
        "ratios and the fault counts are what to compare.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine()],
        "",
        "## Figures",
        "",
        "| bench | figure | value | baseline (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        baseline = ""
        if row["baseline"] is not None:
            baseline = f"{number(row['baseline'], row['unit'])} ({row['baseline_label']})"
        met = {True: "yes", False: "**no**", None: ""}[row["met"]]
        lines.append(
            f"| {row['bench']} | {row['figure']} | {number(row['value'], row['unit'])} | "
            f"{baseline} | {ratio(row)} | {row['target']} | {met} |"
        )
    lines += ["", "## What each script printed", ""]
    for step, output, code, seconds in runs:
        status = "ok" if code == 0 else f"exit code {code}"
        lines += [
            f"### `{step.command}` ({seconds:.0f} s, {status})",
            "",
            "```",
            output.strip(),
            "```",
            "",
        ]
    out.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-restart", action="store_true", help="also restart PostgreSQL")
    parser.add_argument("--out", type=Path, default=BENCH / "results.md")
    args = parser.parse_args()
    steps = [*STEPS, PG_RESTART] if args.pg_restart else STEPS
    started = time.monotonic()
    runs: list[tuple[Step, str, int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.jsonl"
        results.touch()
        os.environ[RESULTS_ENV] = str(results)  # for the figures read from printed output
        for step in steps:
            output, code, seconds = run(step, results)
            runs.append((step, output, code, seconds))
        rows = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    write_report(args.out, rows, runs, time.monotonic() - started)
    failed = [step.command for step, _, code, _ in runs if code != 0]
    print(f"wrote {args.out}; failed: {failed or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
