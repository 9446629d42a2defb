"""Engine and sessions: SQLite (WAL) for a laptop, PostgreSQL for production, same code."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, cast

import psycopg
from sqlalchemy import DateTime, String, Table, event
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import QueryableAttribute, defer
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, create_engine

from dispatch.errors import DomainError
from dispatch.events.bus import EventBus
from dispatch.reference import ReferenceRows

# Row ids are PostgreSQL integers: a larger number names no row on either database.
MAX_ROW_ID = 2**31 - 1


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no tz) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator[Any]):
    """A StrEnum stored as its plain value in a VARCHAR: new members need no migration."""

    impl = String
    cache_ok = True

    def __init__(self, enum_cls: type[StrEnum], length: int = 32) -> None:
        super().__init__(length)
        self.enum_cls = enum_cls

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_cls(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.enum_cls(value)


AUTOCHECKPOINT_PAGES = 10_000  # 40 MB of log; SQLite's default is 1,000 pages


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # isolation_level=None hands BEGIN to us so a write transaction can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # The app copies the log into the file every second off the request path
        # (dispatch/wal.py); SQLite's own checkpoint, in a commit, is the net for processes
        # without it (the CLI) and for an app that falls behind.
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: no deadlock between two readers upgrading.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


class Database:
    """One per process: the engine, the event bus and a way to open units of work."""

    def __init__(self, url: str, *, bus: EventBus | None = None, echo: bool = False) -> None:
        self.url = url
        self.bus = bus or EventBus()
        self.reference = ReferenceRows()
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = create_engine(
                url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_engine(
                url,
                echo=echo,
                pool_size=10,
                max_overflow=20,
                pool_pre_ping=True,
                pool_timeout=5,
                connect_args={"connect_timeout": 3},
            )
        # SQLite allows one writer; queueing writers here is fairer and faster than its
        # sleep-and-retry busy handler, which is what gives naive SQLite apps their 1 s p99.
        self._sqlite_writer = threading.Lock()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work: commits if the block succeeds, rolls back otherwise."""
        lock = self._sqlite_writer if (self.is_sqlite and write) else None
        if lock is not None:
            lock.acquire()
        try:
            with self.engine.connect() as connection:
                if self.is_sqlite:
                    connection.info["write"] = write  # read by the "begin" listener
                with Session(bind=connection, expire_on_commit=False) as session:
                    session.info["bus"] = self.bus
                    session.info["reference"] = self.reference
                    try:
                        yield session
                        session.commit()
                    except DomainError:
                        # A refusal (4xx), not a fault: a unit marked by keep_on_refusal
                        # commits what it wrote before refusing.
                        if session.info.get(KEEP_ON_REFUSAL):
                            session.commit()
                        else:
                            session.rollback()
                        raise
                    except BaseException:
                        session.rollback()
                        raise
        finally:
            if lock is not None:
                lock.release()

    def checkpoint(self) -> tuple[int, int, int]:
        """SQLite: copy what the write-ahead log holds into the database file, waiting for no
        reader or writer (PASSIVE). Answers (busy, pages in the log, pages copied)."""
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            row = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()
        busy, in_log, copied = cast(tuple[int, int, int], row)  # the pragma's one row
        return int(busy), int(in_log), int(copied)

    def dispose(self) -> None:
        self.engine.dispose()


KEEP_ON_REFUSAL = "keep_on_refusal"
_AFTER_COMMIT = "after_commit_calls"

log = logging.getLogger(__name__)


def after_commit(session: Session, call: Callable[[], None]) -> None:
    """Run `call` once this unit of work has committed, never if it rolls back: what must not
    happen for a change that was not stored (a file written, a copy in memory replaced)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(call)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for call in session.info.pop(_AFTER_COMMIT, []):
        try:
            call()
        except Exception:  # the change is stored: a failed follow-up must not report otherwise
            log.exception("after-commit call failed")


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def keep_on_refusal(session: Session) -> None:
    """What this unit has written stays even if it ends in a refusal (a failed login's count)."""
    session.info[KEEP_ON_REFUSAL] = True


def insert_on_conflict(session: Session, table: Table) -> pg.Insert | sqlite.Insert:
    """An INSERT that takes ON CONFLICT clauses, in the dialect of the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return pg.insert(table)
    return sqlite.insert(table)


def insert_many(session: Session, statement: Any, rows: list[dict[str, Any]]) -> None:
    """Many rows, few statements. With RETURNING, SQLAlchemy sends them as multi-row INSERTs
    ("insertmanyvalues") instead of one INSERT per row on PostgreSQL."""
    if rows:
        session.execute(statement.returning(statement.table.c.id), rows).all()


def log_retry(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """A background pass failed and will run again. The database being down or restarting
    is expected: one warning line. Anything else is a bug: the traceback."""
    if isinstance(exc, OperationalError | psycopg.OperationalError):
        cause = exc.orig if isinstance(exc, OperationalError) else exc
        logger.warning("%s: database unavailable (%s); retrying", what, cause)
    else:
        logger.error("%s failed; retrying", what, exc_info=exc)


def null_pool_engine(url: str) -> Engine:
    """For one-off admin work (create/drop databases) that must not keep connections."""
    return create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def unread(*columns: object) -> list[ORMOption]:
    """Query options that leave these large columns (pictures, texts) unread until asked for.
    SQLModel types model attributes as plain values, which `defer` does not take."""
    return [defer(cast("QueryableAttribute[Any]", column)) for column in columns]
