"""Record an admin change in the unit of work that makes it; read the log back. No HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from dispatch.audit.models import AdminAction, AdminActionKind
from dispatch.auth.models import User

SHELL = "cli"


def record(
    session: Session,
    *,
    actor: User | None,
    action: AdminActionKind,
    target: str,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> AdminAction:
    """`actor` None is the shell (`dispatch set-password`, `create-user`). Never a password."""
    row = AdminAction(
        at=now,
        actor=actor.username if actor else SHELL,
        actor_id=actor.id if actor else None,
        action=action.value,
        target=target,
        data=data or {},
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class AdminLogFilter:
    target: str | None = None
    action: AdminActionKind | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def read_log(
    session: Session, flt: AdminLogFilter, *, offset: int, limit: int
) -> tuple[Sequence[AdminAction], int]:
    """Newest first, and how many match in all."""
    conditions: list[ColumnElement[bool]] = []
    if flt.target:
        conditions.append(col(AdminAction.target) == flt.target)
    if flt.action:
        conditions.append(col(AdminAction.action) == flt.action.value)
    if flt.actor:
        conditions.append(col(AdminAction.actor) == flt.actor)
    if flt.since:
        conditions.append(col(AdminAction.at) >= flt.since)
    if flt.until:
        conditions.append(col(AdminAction.at) < flt.until)
    total = session.exec(select(func.count()).select_from(AdminAction).where(*conditions)).one()
    rows = session.exec(
        select(AdminAction)
        .where(*conditions)
        .order_by(col(AdminAction.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return rows, int(total)
