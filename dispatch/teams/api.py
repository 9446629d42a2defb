"""Teams, what they cover and who is on duty now."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import event
from sqlmodel import Session

from dispatch.audit.api import Audit
from dispatch.audit.models import AdminActionKind
from dispatch.auth.models import Role
from dispatch.deps import (
    Admin,
    ClockDep,
    CurrentUser,
    RowId,
    SessionDep,
    SettingsDep,
    TeamLeader,
)
from dispatch.routing.deps import RulesDep
from dispatch.teams import admin
from dispatch.teams.models import Team, TeamKind
from dispatch.teams.service import (
    TeamOverview,
    active_teams,
    all_teams,
    team_members,
    team_overviews,
)
from dispatch.teams.signals import announce_team_change, forget_team_copies

router = APIRouter(prefix="/api/v1/teams", tags=["teams"])


class ShiftPublic(BaseModel):
    """Local "HH:MM" in the desk's zone; one that ends before it starts runs past midnight."""

    id: int
    username: str
    display_name: str
    starts: str = Field(examples=["20:00"])
    ends: str = Field(examples=["08:00"])


class TeamPublic(BaseModel):
    code: str
    name: str
    name_en: str
    kind: TeamKind
    phone: str | None
    active: bool  # false: out of service, listed for admins only
    communities: list[str]
    compounds: list[str]
    on_duty: str | None
    rota: list[ShiftPublic]


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
    username: str = Field(min_length=1, max_length=64, examples=["leader.jindi"])
    starts: time = Field(examples=["08:00"])
    ends: time = Field(examples=["20:00"])


class RotaUpdate(BaseModel):
    """The whole day: shifts may run past midnight and must not overlap."""

    model_config = ConfigDict(extra="forbid")
    shifts: list[ShiftCreate] = Field(max_length=48)


class TeamUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=100)
    name_en: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    active: bool | None = Field(
        default=None,
        description="false takes the team out of service: refused (409) while it has a part "
        "in open orders, routing rules name it or it cares for assisted residents; true puts "
        "it back",
    )


def _public(view: TeamOverview) -> TeamPublic:
    team = view.team
    return TeamPublic(
        code=team.code,
        name=team.name,
        name_en=team.name_en,
        kind=team.kind,
        phone=team.phone,
        active=team.active,
        communities=view.communities,
        compounds=view.compounds,
        on_duty=view.on_duty.display_name if view.on_duty else None,
        rota=[
            ShiftPublic(
                id=shift.id or 0,
                username=user.username,
                display_name=user.display_name,
                starts=f"{shift.starts:%H:%M}",
                ends=f"{shift.ends:%H:%M}",
            )
            for shift, user in view.rota
        ],
    )


def forget_cached_teams(request: Request, session: Session) -> None:
    """Now, and again once the change is committed: a request that filled the caches in
    between read the rows as they were before it. The other instances hear of it then."""
    state = request.app.state

    def forget(*_: object) -> None:
        forget_team_copies(state)

    forget()
    event.listen(session, "after_commit", forget, once=True)
    announce_team_change(session)


@router.get("", response_model=list[TeamPublic])
def list_teams(
    session: SessionDep,
    user: CurrentUser,
    clock: ClockDep,
    settings: SettingsDep,
    include_inactive: Annotated[
        bool,
        Query(description="the teams out of service too (each says `active`): orders name them"),
    ] = False,
) -> list[TeamPublic]:
    """Every team in service, what it covers and who is on duty now (24-hour rota)."""
    teams = all_teams(session) if include_inactive else active_teams(session)
    views = team_overviews(session, teams, clock.now(), settings.timezone)
    return [_public(view) for view in views]


class MemberPublic(BaseModel):
    """A member as the team's own leader sees them: no phone numbers."""

    username: str
    name: str
    role: Role
    active: bool


@router.get("/{code}/members", response_model=list[MemberPublic])
def list_members(code: str, session: SessionDep, user: TeamLeader) -> list[MemberPublic]:
    """The team's own people, for its leader to hand an order to one of them (组内派工);
    another team's are 404. Leaders first, then members; each says whether still active."""
    return [
        MemberPublic(username=u.username, name=u.display_name, role=u.role, active=u.active)
        for u in team_members(session, user, code)
    ]


class TeamChange:
    """What an admin's change to a team needs besides its body; answers with the team."""

    def __init__(
        self,
        session: SessionDep,
        user: Admin,
        clock: ClockDep,
        settings: SettingsDep,
        request: Request,
        audit: Audit,
    ) -> None:
        self.session, self.clock, self.settings, self.request = session, clock, settings, request
        self.audit = audit

    def team(self, code: str) -> Team:
        return admin.require_team(self.session, code)

    def done(
        self,
        team: Team,
        action: AdminActionKind,
        data: dict[str, Any],
        *,
        routing_changed: bool = False,
    ) -> TeamPublic:
        """Record the change in the admin log; answer with the team as it is now."""
        self.audit.record(action, team.code, **data)
        if routing_changed:  # names and coverage are cached for routing and validation
            forget_cached_teams(self.request, self.session)
        now, tz = self.clock.now(), self.settings.timezone
        return _public(team_overviews(self.session, [team], now, tz)[0])


Change = Annotated[TeamChange, Depends()]


@router.post("", response_model=TeamPublic, status_code=201, tags=["admin"])
def create_team(body: TeamCreate, change: Change) -> TeamPublic:
    team = admin.create_team(
        change.session,
        code=body.code,
        name=body.name,
        kind=body.kind,
        phone=body.phone,
        name_en=body.name_en,
    )
    admin.set_coverage(change.session, team, body.communities, body.compounds)
    created = body.model_dump(mode="json", exclude={"code"})
    return change.done(team, AdminActionKind.team_created, created, routing_changed=True)


@router.put("/{code}/coverage", response_model=TeamPublic, tags=["admin"])
def replace_coverage(code: str, body: CoverageUpdate, change: Change) -> TeamPublic:
    team = change.team(code)
    admin.set_coverage(change.session, team, body.communities, body.compounds)
    covers = body.model_dump(mode="json")
    return change.done(team, AdminActionKind.coverage_replaced, covers, routing_changed=True)


@router.post("/{code}/rota", response_model=TeamPublic, status_code=201, tags=["admin"])
def add_shift(code: str, body: ShiftCreate, change: Change) -> TeamPublic:
    """One more shift; it must not overlap the shifts already on the rota."""
    team = change.team(code)
    admin.add_shift(change.session, team, body.username, body.starts, body.ends)
    return change.done(team, AdminActionKind.shift_added, body.model_dump(mode="json"))


@router.put("/{code}/rota", response_model=TeamPublic, tags=["admin"])
def replace_rota(code: str, body: RotaUpdate, change: Change) -> TeamPublic:
    """The team's whole duty rota; outside every shift the team's leader of record leads."""
    team = change.team(code)
    shifts = [admin.Shift(s.username, s.starts, s.ends) for s in body.shifts]
    admin.replace_rota(change.session, team, shifts)
    return change.done(team, AdminActionKind.rota_replaced, body.model_dump(mode="json"))


@router.delete("/{code}/rota/{shift_id}", status_code=204, tags=["admin"])
def remove_shift(code: str, shift_id: RowId, change: Change) -> Response:
    team = change.team(code)
    removed = admin.remove_shift(change.session, team, shift_id)
    change.done(team, AdminActionKind.shift_removed, removed)
    return Response(status_code=204)


@router.patch("/{code}", response_model=TeamPublic, tags=["admin"])
def update_team(code: str, body: TeamUpdate, change: Change, rules: RulesDep) -> TeamPublic:
    """A team's names and phone; taking it out of service and putting it back."""
    team = change.team(code)
    sent = body.model_dump(exclude_unset=True)
    references = change.request.app.state.team_references
    admin.update_team(change.session, team, rules=rules, references=references, **sent)
    return change.done(team, AdminActionKind.team_updated, sent, routing_changed=True)
