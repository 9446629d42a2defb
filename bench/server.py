"""Start the real app in a subprocess on a scratch database, for benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_sqlite(directory: Path) -> str:
    sys.path.insert(0, str(REPO))
    from dispatch.database import Database
    from dispatch.demo.loader import load_demo_world
    from dispatch.migrate import upgrade

    url = f"sqlite:///{directory / 'bench.db'}"
    upgrade(url)
    db = Database(url)
    with db.session(write=True) as session:
        load_demo_world(session, REPO / "config")
    db.dispose()
    return url


@contextmanager
def running_server(
    database_url: str | None = None, app: str = "dispatch.asgi:app", **env: str
) -> Iterator[int]:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or prepare_sqlite(Path(tmp))
        port = free_port()
        environ = {
            **os.environ,
            "DATABASE_URL": url,
            "HOTLINE_ENVIRONMENT": "development",
            "HOTLINE_RUN_SCHEDULER_IN_PROCESS": "false",
            **env,
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                app,
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=REPO,
            env=environ,
        )
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("server did not start")
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=10)
