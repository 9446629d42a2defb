"""The rules texts put in force, kept by version, and the one row saying which is in force
for every API instance: which rules routed an order at the time, the text to restore after a
bad edit, and what an instance follows when a colleague changed the rules on another."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from dispatch.database import insert_on_conflict, unread
from dispatch.errors import NotFound
from dispatch.pg_listen import notify_on_commit
from dispatch.routing.engine import RuleSet
from dispatch.routing.models import RulesInForce, RulesVersion

CHANNEL = "hotline_rules"  # PostgreSQL NOTIFY: the rules in force changed


def keep(session: Session, rules: RuleSet, *, now: datetime, saved_by: str | None = None) -> None:
    """Keep the text of these rules under its version, once: the first keeping says when and
    by whom."""
    if session.get(RulesVersion, rules.version) is None:
        kept = RulesVersion(
            version=rules.version, text=rules.text, rules=len(rules), kept_at=now, saved_by=saved_by
        )
        session.add(kept)
        session.flush()


def in_force(session: Session, *, lock: bool = False) -> RulesInForce | None:
    """Which rules every instance routes by; None before any instance said. `lock` holds the
    row until the commit (PostgreSQL; SQLite's writer lock already does), so two changes
    made at once on two instances go one after the other."""
    query = select(RulesInForce).where(RulesInForce.id == 1)
    return session.exec(query.with_for_update() if lock else query).first()


def put_in_force(
    session: Session, rules: RuleSet, *, now: datetime, by: str | None = None
) -> RulesInForce:
    """From the commit on, every instance routes by these rules; the text is kept too."""
    keep(session, rules, now=now, saved_by=by)
    row = in_force(session, lock=True)
    if row is None:
        first = {"id": 1, "version": rules.version, "generation": 0, "since": now, "by": by}
        table = RulesInForce.__table__  # type: ignore[attr-defined]
        statement = insert_on_conflict(session, table).values(first)
        session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
        row = in_force(session, lock=True)
        assert row is not None
    row.version, row.since, row.by = rules.version, now, by
    row.generation += 1
    session.add(row)
    session.flush()
    notify_on_commit(session, CHANNEL)
    return row


def versions(session: Session, limit: int) -> Sequence[RulesVersion]:
    """Newest first, without their texts."""
    query = (
        select(RulesVersion)
        .options(*unread(RulesVersion.text))
        .order_by(col(RulesVersion.kept_at).desc(), col(RulesVersion.version))
        .limit(limit)
    )
    return session.exec(query).all()


def version_text(session: Session, version: str) -> RulesVersion:
    found = session.get(RulesVersion, version)
    if found is None:
        raise NotFound(f"no rules version {version!r} was kept", field="version")
    return found
