"""Admin changes to teams: create, cover places, rota shifts, take out of service. Plain
functions, no HTTP."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from sqlmodel import Session, col, func, select

from dispatch.auth.models import User
from dispatch.errors import Conflict, InvalidInput, NotFound
from dispatch.orders.models import ACTIVE_ASSIGNMENT, OPEN_STATUSES, OrderAssignment, WorkOrder
from dispatch.places.service import require_community, require_compound
from dispatch.residents.models import AssistedResident
from dispatch.routing.engine import RuleSet
from dispatch.teams.models import DutyShift, Team, TeamCoverage, TeamKind
from dispatch.teams.service import rota_of

# Given a team's code, the places that send orders to it ("standard: accept +30m").
TeamReferences = Callable[[str], list[str]]


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
    rules: RuleSet,
    references: Sequence[TeamReferences] = (),
    name: str | None = None,
    name_en: str | None = None,
    phone: str | None = None,
    active: bool | None = None,
) -> Team:
    """Names, phone, in service or not. `rules` are those in force and `references` say
    where else orders are sent to a team (escalation steps): while any names it, it stays
    in service."""
    if active is False and team.active:
        # Written before the check: on PostgreSQL the update waits for dispatches to the team
        # still in flight (they hold its row), so the check sees the parts they added.
        team.active = False
        session.add(team)
        session.flush()
        named_elsewhere = [where for find in references for where in find(team.code)]
        check_can_leave_service(session, team, rules, named_elsewhere)
    if name is not None:
        team.name = name
    if name_en is not None:
        team.name_en = name_en
    if phone is not None:
        team.phone = phone or None  # "" takes the phone away
    if active is not None:
        team.active = active
    session.add(team)
    session.flush()
    return team


class TeamStillNeeded(Conflict):
    code = "team_in_use"


SHOWN_ORDERS = 5  # enough for the supervisor to start on; the count says how many in all


def check_can_leave_service(
    session: Session, team: Team, rules: RuleSet, named_elsewhere: Sequence[str] = ()
) -> None:
    """Refuse while anything would still send work to the team: once out of service it is
    refused as a target, so an order it holds would be stranded, an order matched by a rule
    naming it would fail at intake, and the weekly visits to a resident it cares for would
    fail for every resident. Everything in the way is named at once, to be cleared first."""
    orders = open_orders_held(session, team.code)
    named_by = rules.rules_naming(team.code)
    residents = residents_cared_for(session, team.code)
    reasons = []
    if orders:
        shown = ", ".join(orders[:SHOWN_ORDERS]) + (", ..." if len(orders) > SHOWN_ORDERS else "")
        reasons.append(f"it has a part in {len(orders)} open orders ({shown}): reassign them")
    if named_by:
        where = Path(rules.source).name
        reasons.append(f"routing rules name it ({', '.join(named_by)}): change {where}")
    if residents:
        reasons.append(f"it is the care team of {residents} assisted residents: change it")
    if named_elsewhere:
        reasons.append(
            f"escalation steps send orders to it ({', '.join(named_elsewhere)}): change them"
        )
    if reasons:
        raise TeamStillNeeded(
            f"team {team.code} cannot leave service yet: " + "; ".join(reasons) + " first",
            field="active",
            open_orders=len(orders),
            orders=orders[:SHOWN_ORDERS],
            rules=named_by,
            residents=residents,
            escalation=list(named_elsewhere),
        )


def open_orders_held(session: Session, team_code: str) -> list[str]:
    """Numbers of the open orders in which the team still has a part to play, oldest first."""
    query = (
        select(WorkOrder.number, WorkOrder.id)
        .join(OrderAssignment, col(OrderAssignment.order_id) == col(WorkOrder.id))
        .where(
            OrderAssignment.team_code == team_code,
            col(OrderAssignment.status).in_([s.value for s in ACTIVE_ASSIGNMENT]),
            col(WorkOrder.status).in_([s.value for s in OPEN_STATUSES]),
        )
        .distinct()
        .order_by(col(WorkOrder.id))
    )
    return [number for number, _ in session.exec(query)]


def residents_cared_for(session: Session, team_code: str) -> int:
    """Residents on the register whose weekly visits go to the team."""
    query = (
        select(func.count())
        .select_from(AssistedResident)
        .where(AssistedResident.care_team_code == team_code, col(AssistedResident.active))
    )
    return int(session.exec(query).one())


def set_coverage(
    session: Session, team: Team, communities: Sequence[str], compounds: Sequence[str]
) -> None:
    """Replace what the team covers; nothing at all means the whole subdistrict."""
    for i, code in enumerate(communities):
        require_community(session, code, field=f"communities[{i}]")
    for i, code in enumerate(compounds):
        require_compound(session, code, field=f"compounds[{i}]")
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
