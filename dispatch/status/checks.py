"""The checks, as plain functions over a session; extensions add their own. No HTTP."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from dispatch.notify.models import DeliveryStatus, NotificationDelivery
from dispatch.routing.loader import RulesRegistry


@dataclass(frozen=True)
class Check:
    """`name` is also the label key of the pages; `detail` says it in English for ops."""

    name: str
    ok: bool
    detail: str = ""
    count: int = 0  # how many things are behind
    since: datetime | None = None  # how long: the oldest of them was due then


# (session, now) -> Check, run for GET /api/v1/status; extensions append to the app's list.
StatusCheck = Callable[[Session, datetime], Check]

NOTIFICATIONS_LATE = timedelta(minutes=5)


@cache
def expected_heads() -> frozenset[str]:
    """The revisions this code needs, from the migrations it ships (read once). Alembic is
    imported here, at the first readiness check, not with the app: it costs ~60 ms."""
    from alembic.script import ScriptDirectory

    from dispatch.migrate import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("")).get_heads())


def database(session: Session) -> Check:
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:
        return Check("database", ok=False, detail=f"{type(exc).__name__}: {exc}"[:300])
    return Check("database", ok=True)


def schema(session: Session) -> Check:
    """Code newer than the database (someone forgot `dispatch migrate`) is not ready."""
    try:
        found = {
            str(r[0]) for r in session.execute(text("SELECT version_num FROM alembic_version"))
        }
    except Exception as exc:
        return Check("schema", ok=False, detail=f"no schema: {type(exc).__name__}"[:300])
    missing = expected_heads() - found
    if missing:
        return Check(
            "schema",
            ok=False,
            detail=f"database at {sorted(found)}, code needs {sorted(missing)}: dispatch migrate",
        )
    return Check("schema", ok=True)


def notifications(session: Session, now: datetime) -> Check:
    """SMS and pushes to leaders that should have gone out minutes ago: the delivery worker
    (in the scheduler) is down, or the provider refuses them."""
    waiting = (
        col(NotificationDelivery.status).in_((DeliveryStatus.pending, DeliveryStatus.sending)),
        col(NotificationDelivery.next_attempt_at) < now - NOTIFICATIONS_LATE,
    )
    count, oldest = session.exec(
        select(func.count(), func.min(NotificationDelivery.next_attempt_at)).where(*waiting)
    ).one()
    return behind("notifications", int(count), oldest, "notifications waiting over 5 min")


def behind(name: str, count: int, oldest: datetime | None, what: str) -> Check:
    """Work the scheduler process should have done by now: none is fine."""
    if not count:
        return Check(name, ok=True)
    detail = f"{count} {what}: is `dispatch scheduler` running?"
    return Check(name, ok=False, detail=detail, count=count, since=oldest)


def rules(registry: RulesRegistry) -> Check:
    """A broken rules file was refused, or the rules in force elsewhere were refused here:
    this instance routes by the rules it had before."""
    error = registry.last_error
    if error is not None:
        detail = f"rules file refused, older rules in force: {error}"
        return Check("rules", ok=False, detail=detail)
    if registry.shared_error is not None:
        return Check("rules", ok=False, detail=registry.shared_error)
    return Check("rules", ok=True)
