"""kill -9 the server while escalations are due; after restart each due step ran exactly once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from dispatch.database import Database
from dispatch.settings import REPO_ROOT, Settings
from tests.escalation.bulk import count_steps, escalated_per_step, seed_orders

STEPS = 1000  # ten batches (at most 100 steps per transaction): the kill lands mid-sweep


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _spawn(settings: Settings, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "HOTLINE_ENVIRONMENT": "test",
        "HOTLINE_SECRET_KEY": settings.secret_key,
        "HOTLINE_CONFIG_DIR": str(settings.config_dir),
        "HOTLINE_RUN_SCHEDULER_IN_PROCESS": "true",
        "HOTLINE_ESCALATION_SWEEP_SECONDS": "0.2",
    }
    command = [sys.executable, "-m", "uvicorn", "dispatch.asgi:app", "--port", str(port)]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=out)


def _serve(settings: Settings, port: int, log: Path) -> subprocess.Popen[bytes]:
    process = _spawn(settings, port, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError(f"server did not start: {log.read_text()[-2000:]}")


def _wait(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.01)


def test_sigkill_mid_sweep_then_restart_runs_each_due_step_exactly_once(
    settings: Settings, tmp_path: Path
) -> None:
    db = Database(settings.database_url)
    now = datetime.now(UTC)
    seed_orders(db, STEPS, due_at=now - timedelta(minutes=1), now=now - timedelta(minutes=20))
    port, log = _free_port(), tmp_path / "server.log"

    # Not waiting for /healthz: the sweeper starts with the app and could be done by then.
    server = _spawn(settings, port, log)
    _wait(lambda: count_steps(db, "done") > 0, 30)
    server.send_signal(signal.SIGKILL)  # mid-sweep: some done, most still due
    server.wait(timeout=10)
    done_at_kill = count_steps(db, "done")
    assert 0 < done_at_kill < STEPS

    server = _serve(settings, port, log)
    try:
        _wait(lambda: count_steps(db, "pending") == 0, 60)
    finally:
        server.terminate()
        server.wait(timeout=20)

    per_step = escalated_per_step(db)
    assert count_steps(db, "done") == STEPS, log.read_text()[-3000:]
    assert len(per_step) == STEPS and set(per_step.values()) == {1}
    db.dispose()
    print(f"killed with {done_at_kill}/{STEPS} steps done; after restart all {STEPS} ran once")
