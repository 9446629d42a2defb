"""Real databases for every test: a migrated, demo-loaded template per backend, copied per test.

SQLite: the template file is copied. PostgreSQL: CREATE DATABASE ... TEMPLATE. Nothing of
our own (database, bus, scheduler) is mocked. Set HOTLINE_TEST_BACKENDS=sqlite to skip
PostgreSQL locally; CI runs both and fails if PostgreSQL tests were skipped.
"""

from __future__ import annotations

import gc
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import text

from dispatch.clock import FrozenClock
from dispatch.database import Database, null_pool_engine
from dispatch.demo.loader import load_demo_world
from dispatch.main import create_app
from dispatch.migrate import upgrade
from dispatch.settings import REPO_ROOT, Settings
from tests import run_figures

PG_ADMIN_URL = os.environ.get(
    "HOTLINE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = os.environ.get("HOTLINE_TEST_BACKENDS", "sqlite,postgres").split(",")
RUN_ID = uuid.uuid4().hex[:8]
# A Sunday mid-morning in Yinchuan (UTC+8): inside the day shift of every demo rota.
DEMO_NOW = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _seed(url: str) -> None:
    upgrade(url)
    db = Database(url)
    with db.session(write=True) as session:
        load_demo_world(session, REPO_ROOT / "config", password_hash=_demo_hash())
    db.dispose()


_HASHES: dict[str, str] = {}


def _demo_hash() -> str:
    # One hash for every demo account: hashing 25 passwords per template is needless work.
    # And argon2 at its lightest: a login verifies with the parameters inside the hash, so the
    # production path runs as it is, but at the production cost (64 MiB, 3 passes: 0.17 s
    # here) the few thousand logins of a run took minutes. Users the tests create through the
    # app get the production hash (hash_password).
    if "demo" not in _HASHES:
        light = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        _HASHES["demo"] = light.hash(DEMO_PASSWORD)
    return _HASHES["demo"]


DEMO_PASSWORD = "demo-password"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    admin = null_pool_engine(PG_ADMIN_URL)
    name = f"hotline_tmpl_{RUN_ID}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _seed(_pg_url(name))
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def demo_world_copy(backend: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """A database URL holding a fresh copy of the demo world, dropped afterwards."""
    if backend == "sqlite":
        target = folder / "hotline.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    template: str = request.getfixturevalue("pg_template")
    name = f"hotline_t_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    admin = null_pool_engine(PG_ADMIN_URL)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _pg_url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=[b for b in ("sqlite", "postgres") if b in BACKENDS])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the demo world, on each backend in turn."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    with demo_world_copy(request.param, request, tmp_path) as url:
        yield url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    rules = tmp_path / "config"
    shutil.copytree(REPO_ROOT / "config", rules)
    return Settings(
        environment="test",
        database_url=database_url,
        config_dir=rules,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
    )


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(DEMO_NOW)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture
def client(settings: Settings, clock: FrozenClock, db: Database) -> Iterator[TestClient]:
    app = create_app(settings, clock=clock, database=db)
    with TestClient(app) as test_client:
        yield test_client


# --- garbage collection between tests ------------------------------------------------------
# Each test leaves objects behind (apps, engines, compiled rules), and by the browser tests
# the heap held millions: a full collection then froze the whole process (the uvicorn thread
# serving the page and the browser driver alike) for seconds in the middle of a timed wait.
# Collecting after each test and freezing what survives keeps every collection to the last
# test's own objects.
_collecting_since: list[float] = []


def _time_collections(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _collecting_since[:] = [time.perf_counter()]
    elif _collecting_since:
        run_figures.gc_pauses.append(time.perf_counter() - _collecting_since[0])


gc.callbacks.append(_time_collections)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    result = yield
    gc.collect()
    gc.freeze()
    return result


# --- the run's figures, from every pytest-xdist worker -------------------------------------
def pytest_sessionfinish(session: pytest.Session) -> None:
    shipped = getattr(session.config, "workeroutput", None)  # set in a worker only
    if shipped is not None:
        shipped["fuzz"] = dict(run_figures.fuzz)
        shipped["gc_pauses"] = run_figures.gc_pauses


def pytest_testnodedown(node: Any, error: object) -> None:
    """pytest-xdist, in the controller: a worker finished; add up what it saw."""
    shipped = getattr(node, "workeroutput", {})
    run_figures.fuzz.update(shipped.get("fuzz", {}))
    run_figures.gc_pauses.extend(shipped.get("gc_pauses", ()))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in (run_figures.fuzz_line(), run_figures.gc_line()):
        if line:
            terminalreporter.write_line(line)
