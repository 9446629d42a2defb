"""What the fault scripts share: a scratch database, a server process, a raw HTTP client."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import loadgen  # noqa: E402
from bench.cluster import drop_database, pg_url, recreate_database, wait_healthy  # noqa: E402
from bench.server import free_port  # noqa: E402

PASSWORD = "bench-password"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"


@contextmanager
def scratch_database(backend: str) -> Iterator[str]:
    """A migrated database with the demo world (every password PASSWORD), dropped after."""
    from dispatch.auth.passwords import hash_password
    from dispatch.database import Database
    from dispatch.demo.loader import load_demo_world
    from dispatch.migrate import upgrade

    def seed(url: str) -> None:
        upgrade(url)
        db = Database(url)
        with db.session(write=True) as session:
            load_demo_world(session, REPO / "config", password_hash=hash_password(PASSWORD))
        db.dispose()

    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/fault.db"
            seed(url)
            yield url
        return
    name = f"bench_fault_{uuid.uuid4().hex[:8]}"
    recreate_database(name, demo=False)
    try:
        seed(pg_url(name))
        yield pg_url(name)
    finally:
        drop_database(name)


@dataclass
class Server:
    """One `uvicorn dispatch.asgi:app` process; start() again after kill() to restart it."""

    database_url: str
    log: IO[bytes]
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Seconds from spawn until /healthz answers."""
        self.port = self.port or free_port()
        environ = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "HOTLINE_ENVIRONMENT": "development",
            "HOTLINE_SECRET_KEY": SECRET,
            "HOTLINE_RUN_SCHEDULER_IN_PROCESS": "false",
            **self.env,
        }
        command = [sys.executable, "-m", "uvicorn", "dispatch.asgi:app", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--log-level", "warning", "--no-access-log"],
            cwd=REPO,
            env=environ,
            stdout=self.log,
            stderr=self.log,
        )
        return wait_healthy(self.port, self.process)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a graceful shutdown stuck on a dead socket
                self.kill()


@contextmanager
def server(database_url: str, log_path: Path, **env: str) -> Iterator[Server]:
    with log_path.open("ab") as log:
        running = Server(database_url, log, env)
        try:
            yield running
        finally:
            running.stop()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request_bytes(method: str, path: str, headers: dict[str, str], body: Any = None) -> bytes:
    """One HTTP/1.1 request, with a JSON body when one is given."""
    if body is None:
        return loadgen.request_bytes(method, path, headers)
    data = json.dumps(body, ensure_ascii=False).encode()
    return loadgen.request_bytes(
        method, path, {**headers, "Content-Type": "application/json"}, data
    )


async def roundtrip(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes
) -> Answer:
    """One request on a keep-alive connection; raises on a dead connection."""
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return Answer(status, headers, body)


def login(port: int, username: str) -> dict[str, str]:
    """Bearer headers for a demo user of a scratch database."""
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/login",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        token = json.loads(response.read())["access_token"]
    return {"Authorization": f"Bearer {token}"}


def machine() -> str:
    return f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"


def since(started: float) -> float:
    return time.monotonic() - started
