"""Scale-out on one machine: two API instances and one scheduler on one PostgreSQL database.

    .venv/bin/python bench/cluster.py [--database hotline_cluster] [--ports 8001,8002]

Recreates the database (migrated, demo world loaded: every password is `<username>-demo`),
starts `dispatch serve` on each port with HOTLINE_RUN_SCHEDULER_IN_PROCESS=false and one
`dispatch scheduler`, prints the URLs and waits; Ctrl-C stops all three. The fault tests
(tests/faults/test_cluster.py) start the same processes through `Cluster`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get(
    "HOTLINE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def recreate_database(name: str, *, demo: bool = True) -> str:
    """Drop and create `name`, migrate it and load the demo world; returns its URL."""
    sys.path.insert(0, str(REPO))
    from sqlalchemy import text

    from dispatch.database import Database, null_pool_engine
    from dispatch.demo.loader import load_demo_world
    from dispatch.migrate import upgrade

    admin = null_pool_engine(PG_ADMIN)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = pg_url(name)
    upgrade(url)
    if demo:
        db = Database(url)
        with db.session(write=True) as session:
            load_demo_world(session, REPO / "config")
        db.dispose()
    return url


def drop_database(name: str) -> None:
    from sqlalchemy import text

    from dispatch.database import null_pool_engine

    admin = null_pool_engine(PG_ADMIN)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def wait_healthy(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> float:
    """Seconds until /healthz answers 200; raises if the process dies or time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if process.poll() is not None:
            raise RuntimeError(f"instance on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"instance on port {port} did not answer within {seconds:.0f} s")


@dataclass
class Member:
    name: str
    process: subprocess.Popen[bytes]
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, like a machine losing power."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@dataclass
class Cluster:
    """API instances and a scheduler, each a real `dispatch` process on one database."""

    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    log: IO[bytes] | None = None
    members: list[Member] = field(default_factory=list)

    def _environ(self, **extra: str) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.database_url, **self.env, **extra}

    def _spawn(self, args: list[str], **extra: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "dispatch.cli", *args]
        out = self.log if self.log is not None else None
        return subprocess.Popen(
            command, cwd=REPO, env=self._environ(**extra), stdout=out, stderr=out
        )

    def start_api(self, port: int) -> Member:
        process = self._spawn(
            ["serve", "--port", str(port)], HOTLINE_RUN_SCHEDULER_IN_PROCESS="false"
        )
        member = Member(f"api:{port}", process, port)
        self.members.append(member)
        return member

    def start_scheduler(self) -> Member:
        member = Member("scheduler", self._spawn(["scheduler"]))
        self.members.append(member)
        return member

    def wait_ready(self) -> None:
        for member in self.members:
            if member.port is not None:
                wait_healthy(member.port, member.process)
            elif member.process.poll() is not None:
                raise RuntimeError(f"{member.name} exited with {member.process.returncode}")

    def stop(self) -> None:
        for member in reversed(self.members):
            member.stop()


@contextmanager
def running_cluster(
    database_url: str, ports: list[int], log: IO[bytes] | None = None, **env: str
) -> Iterator[Cluster]:
    cluster = Cluster(database_url, env=env, log=log)
    try:
        for port in ports:
            cluster.start_api(port)
        cluster.start_scheduler()
        cluster.wait_ready()
        yield cluster
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="hotline_cluster")
    parser.add_argument("--ports", default="8001,8002")
    args = parser.parse_args()
    ports = [int(p) for p in args.ports.split(",")]
    print(f"recreating PostgreSQL database {args.database} with the demo world ...")
    url = recreate_database(args.database)
    stopping = False

    def on_term(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    with running_cluster(url, ports) as cluster:
        print(f"database  {url}")
        for member in cluster.members:
            where = member.url if member.port else "(no HTTP: escalation, outbox, notifications)"
            print(f"{member.name:<10} pid {member.process.pid:<7} {where}")
        print("demo logins: operator.li / operator.li-demo, leader.jindi / leader.jindi-demo")
        print("Ctrl-C stops all")
        try:
            while not stopping:
                for member in cluster.members:
                    if member.process.poll() is not None:
                        print(f"{member.name} exited with {member.process.returncode}")
                        stopping = True
                time.sleep(0.5)
        except KeyboardInterrupt:
            print("\nstopping ...")


if __name__ == "__main__":
    main()
