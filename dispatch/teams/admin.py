"""Admin changes to teams: create, cover places, rota shifts. Plain functions, no HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from sqlmodel import Session, select

from dispatch.auth.models import User
from dispatch.errors import Conflict, InvalidInput, NotFound
from dispatch.places.models import Community, Compound
from dispatch.teams.models import DutyShift, Team, TeamCoverage, TeamKind


def require_team(session: Session, code: str) -> Team:
    team = session.get(Team, code)
    if team is None:
        raise NotFound(f"no team {code!r}", field="team")
    return team


def create_team(
    session: Session, *, code: str, name: str, kind: TeamKind, phone: str | None, name_en: str
) -> Team:
    if session.get(Team, code) is not None:
        raise Conflict(f"team {code!r} already exists", field="code")
    team = Team(code=code, name=name, kind=kind, phone=phone, name_en=name_en)
    session.add(team)
    session.flush()
    return team


def set_coverage(
    session: Session, team: Team, communities: Sequence[str], compounds: Sequence[str]
) -> None:
    """Replace what the team covers; nothing at all means the whole subdistrict."""
    for i, code in enumerate(communities):
        if session.get(Community, code) is None:
            raise InvalidInput(f"unknown community {code!r}", field=f"communities[{i}]")
    for i, code in enumerate(compounds):
        if session.get(Compound, code) is None:
            raise InvalidInput(f"unknown compound {code!r}", field=f"compounds[{i}]")
    for row in session.exec(select(TeamCoverage).where(TeamCoverage.team_code == team.code)):
        session.delete(row)
    for code in communities:
        session.add(TeamCoverage(team_code=team.code, community_code=code))
    for code in compounds:
        session.add(TeamCoverage(team_code=team.code, compound_code=code))
    session.flush()


def add_shift(session: Session, team: Team, username: str, starts: time, ends: time) -> DutyShift:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.team_code != team.code:
        raise InvalidInput(f"{username!r} is not a member of team {team.code}", field="username")
    if starts == ends:
        raise InvalidInput("a shift must not start and end at the same time", field="ends")
    assert user.id is not None
    shift = DutyShift(team_code=team.code, user_id=user.id, starts=starts, ends=ends)
    session.add(shift)
    session.flush()
    return shift
