"""`GET /api/v1/admin-log` and the dependency the admin routes record through."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel

from dispatch.audit import service
from dispatch.audit.models import AdminActionKind
from dispatch.deps import Admin, ClockDep, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["admin"])


class AuditTrail:
    """Records in the request's unit of work, as the user who made the request: the change
    and its record are committed together or not at all."""

    def __init__(self, session: SessionDep, user: CurrentUser, clock: ClockDep) -> None:
        self.session, self.user, self.clock = session, user, clock

    def record(self, action: AdminActionKind, target: str, **data: Any) -> None:
        service.record(
            self.session,
            actor=self.user,
            action=action,
            target=target,
            now=self.clock.now(),
            data=data,
        )


Audit = Annotated[AuditTrail, Depends()]


class AdminActionPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: AdminActionKind
    target: str
    data: dict[str, Any]


class AdminLogPublic(BaseModel):
    data: list[AdminActionPublic]
    count: int
    offset: int
    limit: int


@router.get("/admin-log", response_model=AdminLogPublic)
def admin_log(
    session: SessionDep,
    admin: Admin,
    target: Annotated[str | None, Query(max_length=100)] = None,
    action: AdminActionKind | None = None,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AdminLogPublic:
    """操作记录: who added, changed, locked out or re-passworded users, changed teams, rotas
    or rules, newest first. Passwords are never in it."""
    flt = service.AdminLogFilter(
        target=target, action=action, actor=actor, since=since, until=until
    )
    rows, total = service.read_log(session, flt, offset=offset, limit=limit)
    return AdminLogPublic(
        data=[AdminActionPublic.model_validate(r, from_attributes=True) for r in rows],
        count=total,
        offset=offset,
        limit=limit,
    )
