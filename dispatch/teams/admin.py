"""Admin changes to teams: create, cover places, rota shifts. Plain functions, no HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from sqlmodel import Session, col, select

from dispatch.auth.models import User
from dispatch.errors import Conflict, InvalidInput, NotFound
from dispatch.places.models import Community, Compound
from dispatch.teams.models import DutyShift, Team, TeamCoverage, TeamKind
from dispatch.teams.service import rota_of


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


def update_team(
    session: Session,
    team: Team,
    *,
    name: str | None = None,
    name_en: str | None = None,
    phone: str | None = None,
) -> Team:
    if name is not None:
        team.name = name
    if name_en is not None:
        team.name_en = name_en
    if phone is not None:
        team.phone = phone or None  # "" takes the phone away
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
    kept = [Shift(u.username, d.starts, d.ends) for d, u in rota_of(session, team.code)]
    people = check_rota(session, team, [*kept, Shift(username, starts, ends)], first=len(kept))
    user_id = people[username].id
    assert user_id is not None
    shift = DutyShift(team_code=team.code, user_id=user_id, starts=starts, ends=ends)
    session.add(shift)
    session.flush()
    return shift


@dataclass(frozen=True)
class Shift:
    username: str
    starts: time
    ends: time


def replace_rota(session: Session, team: Team, shifts: Sequence[Shift]) -> None:
    """The team's whole daily rota at once: what is not in it is no longer on it."""
    people = check_rota(session, team, shifts)
    for old in session.exec(select(DutyShift).where(DutyShift.team_code == team.code)):
        session.delete(old)
    for shift in shifts:
        user_id = people[shift.username].id
        assert user_id is not None
        session.add(
            DutyShift(team_code=team.code, user_id=user_id, starts=shift.starts, ends=shift.ends)
        )
    session.flush()


def remove_shift(session: Session, team: Team, shift_id: int) -> dict[str, str | int]:
    """Returns what the shift was, for the admin log."""
    shift = session.get(DutyShift, shift_id)
    if shift is None or shift.team_code != team.code:
        raise NotFound(f"team {team.code} has no shift {shift_id}", field="shift_id")
    user = session.get(User, shift.user_id)
    removed: dict[str, str | int] = {
        "shift_id": shift_id,
        "username": user.username if user else "",
        "starts": f"{shift.starts:%H:%M}",
        "ends": f"{shift.ends:%H:%M}",
    }
    session.delete(shift)
    session.flush()
    return removed


def check_rota(
    session: Session, team: Team, shifts: Sequence[Shift], first: int = 0
) -> dict[str, User]:
    """Each shift names an active member, lasts a while, and overlaps no other: the rota
    must say who leads at any time. Shifts before `first` are already stored. Returns the
    team's active members by username."""
    people = _members(session, team)
    for i, shift in enumerate(shifts[first:], start=first):
        # A whole rota names the shift by its place in the list; one added shift is the body.
        prefix = f"shifts[{i}]." if first == 0 else ""
        if shift.username not in people:
            raise InvalidInput(
                f"{shift.username!r} is not an active member of team {team.code}",
                field=f"{prefix}username",
            )
        if shift.starts == shift.ends:
            raise InvalidInput(
                "a shift must not start and end at the same time", field=f"{prefix}ends"
            )
        for other in shifts[:i]:
            if _overlap(other, shift):
                raise InvalidInput(
                    f"overlaps {other.username}'s shift {other.starts:%H:%M}-{other.ends:%H:%M}",
                    field=f"{prefix}starts",
                )
    return people


def _members(session: Session, team: Team) -> dict[str, User]:
    found = session.exec(select(User).where(User.team_code == team.code, col(User.active)))
    return {u.username: u for u in found}


_DAY = 24 * 3600


def _spans(shift: Shift) -> list[tuple[int, int]]:
    """Seconds of the day the shift covers, split at midnight when it runs past it."""
    a = shift.starts.hour * 3600 + shift.starts.minute * 60 + shift.starts.second
    b = shift.ends.hour * 3600 + shift.ends.minute * 60 + shift.ends.second
    return [(a, b)] if a < b else [(a, _DAY), (0, b)]


def _overlap(one: Shift, other: Shift) -> bool:
    return any(a < d and c < b for a, b in _spans(one) for c, d in _spans(other))
