"""Keeping the rules texts put in force, and reading them back: which rules routed an order
at the time, and the text to restore after a bad edit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from dispatch.database import unread
from dispatch.errors import NotFound
from dispatch.routing.engine import RuleSet
from dispatch.routing.models import RulesVersion


def keep(session: Session, rules: RuleSet, *, now: datetime, saved_by: str | None = None) -> None:
    """Keep the text of these rules under its version, once: the first keeping says when and
    by whom."""
    if session.get(RulesVersion, rules.version) is None:
        kept = RulesVersion(
            version=rules.version, text=rules.text, rules=len(rules), kept_at=now, saved_by=saved_by
        )
        session.add(kept)
        session.flush()


def keep_save(
    session: Session, replaced: RuleSet, saved: RuleSet, *, now: datetime, saved_by: str
) -> None:
    """A save from the desk: the rules it put in force, and the ones it replaced, which
    routed orders until now (found in force, so saved by no one here)."""
    keep(session, replaced, now=now)
    keep(session, saved, now=now, saved_by=saved_by)


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
