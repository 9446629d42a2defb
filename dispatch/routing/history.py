"""Keeping the rules texts put in force, and reading them back: which rules routed an order
at the time, and the text to restore after a bad edit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select

from dispatch.errors import NotFound
from dispatch.routing.loader import text_version
from dispatch.routing.models import RulesVersion

_TEXT = cast("QueryableAttribute[str]", RulesVersion.text)


def keep(
    session: Session, text: str, *, rules: int, now: datetime, saved_by: str | None = None
) -> str:
    """Keep this text under its version, once: the first keeping says when and by whom."""
    version = text_version(text)
    if session.get(RulesVersion, version) is None:
        session.add(
            RulesVersion(version=version, text=text, rules=rules, kept_at=now, saved_by=saved_by)
        )
        session.flush()
    return version


def versions(session: Session, limit: int) -> Sequence[RulesVersion]:
    """Newest first, without their texts."""
    query = (
        select(RulesVersion)
        .options(defer(_TEXT))
        .order_by(col(RulesVersion.kept_at).desc(), col(RulesVersion.version))
        .limit(limit)
    )
    return session.exec(query).all()


def version_text(session: Session, version: str) -> RulesVersion:
    found = session.get(RulesVersion, version)
    if found is None:
        raise NotFound(f"no rules version {version!r} was kept", field="version")
    return found
