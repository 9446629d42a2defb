"""Teams, what they cover and who is on duty now."""

from __future__ import annotations

from datetime import time

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import event
from sqlmodel import Session, col, select

from dispatch.database import Database
from dispatch.deps import Admin, ClockDep, CurrentUser, SessionDep, SettingsDep
from dispatch.teams import admin
from dispatch.teams.models import Team, TeamCoverage, TeamKind
from dispatch.teams.service import CoverageCache, on_duty_leader

router = APIRouter(prefix="/api/v1/teams", tags=["teams"])


class TeamPublic(BaseModel):
    code: str
    name: str
    name_en: str
    kind: TeamKind
    phone: str | None
    communities: list[str]
    compounds: list[str]
    on_duty: str | None


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1, max_length=100)
    name_en: str = Field(default="", max_length=200)
    kind: TeamKind
    phone: str | None = Field(default=None, max_length=20)
    communities: list[str] = Field(default_factory=list, max_length=200)
    compounds: list[str] = Field(default_factory=list, max_length=500)


class CoverageUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    communities: list[str] = Field(default_factory=list, max_length=200)
    compounds: list[str] = Field(default_factory=list, max_length=500)


class ShiftCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    starts: time
    ends: time


def _public(session: SessionDep, team: Team, clock: ClockDep, settings: SettingsDep) -> TeamPublic:
    rows = session.exec(select(TeamCoverage).where(TeamCoverage.team_code == team.code)).all()
    leader = on_duty_leader(session, team.code, clock.now(), settings.timezone)
    return TeamPublic(
        code=team.code,
        name=team.name,
        name_en=team.name_en,
        kind=team.kind,
        phone=team.phone,
        communities=[c.community_code for c in rows if c.community_code],
        compounds=[c.compound_code for c in rows if c.compound_code],
        on_duty=leader.display_name if leader else None,
    )


def forget_cached_teams(request: Request, session: Session) -> None:
    """Now, and again once the change is committed: a request that filled the caches in
    between read the rows as they were before it."""
    cache: CoverageCache = request.app.state.coverage
    db: Database = request.app.state.db

    def forget(*_: object) -> None:
        cache.invalidate()
        db.reference.forget()

    forget()
    event.listen(session, "after_commit", forget, once=True)


@router.get("", response_model=list[TeamPublic])
def list_teams(
    session: SessionDep, user: CurrentUser, clock: ClockDep, settings: SettingsDep
) -> list[TeamPublic]:
    """Every active team, what it covers and who is on duty now (24-hour rota)."""
    teams = session.exec(select(Team).where(col(Team.active)).order_by(col(Team.code))).all()
    return [_public(session, t, clock, settings) for t in teams]


@router.post("", response_model=TeamPublic, status_code=201, tags=["admin"])
def create_team(
    body: TeamCreate,
    session: SessionDep,
    user: Admin,
    clock: ClockDep,
    settings: SettingsDep,
    request: Request,
) -> TeamPublic:
    team = admin.create_team(
        session,
        code=body.code,
        name=body.name,
        kind=body.kind,
        phone=body.phone,
        name_en=body.name_en,
    )
    admin.set_coverage(session, team, body.communities, body.compounds)
    forget_cached_teams(request, session)
    return _public(session, team, clock, settings)


@router.put("/{code}/coverage", response_model=TeamPublic, tags=["admin"])
def replace_coverage(
    code: str,
    body: CoverageUpdate,
    session: SessionDep,
    user: Admin,
    clock: ClockDep,
    settings: SettingsDep,
    request: Request,
) -> TeamPublic:
    team = admin.require_team(session, code)
    admin.set_coverage(session, team, body.communities, body.compounds)
    forget_cached_teams(request, session)
    return _public(session, team, clock, settings)


@router.post("/{code}/rota", response_model=TeamPublic, status_code=201, tags=["admin"])
def add_shift(
    code: str,
    body: ShiftCreate,
    session: SessionDep,
    user: Admin,
    clock: ClockDep,
    settings: SettingsDep,
) -> TeamPublic:
    team = admin.require_team(session, code)
    admin.add_shift(session, team, body.username, body.starts, body.ends)
    return _public(session, team, clock, settings)
