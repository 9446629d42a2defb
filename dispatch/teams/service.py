"""Who covers a place, and who leads a team right now."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from time import monotonic
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from dispatch.auth.models import Role, User
from dispatch.auth.service import list_users
from dispatch.errors import NotFound
from dispatch.reference import reference_row
from dispatch.teams.models import DutyShift, Team, TeamCoverage


class CoverageIndex:
    """A snapshot of team coverage answering 'which team of this kind covers this place'."""

    def __init__(
        self,
        teams: Sequence[Team],
        coverage: Sequence[TeamCoverage],
        compound_community: dict[str, str],
    ) -> None:
        self._compound_community = compound_community
        self._by_compound: dict[tuple[str, str], str] = {}
        self._by_community: dict[tuple[str, str], str] = {}
        self._everywhere: dict[str, str] = {}
        covered: dict[str, list[TeamCoverage]] = defaultdict(list)
        for row in coverage:
            covered[row.team_code].append(row)
        for team in sorted(teams, key=lambda t: t.code):
            if not team.active:
                continue
            rows = covered.get(team.code, [])
            if not rows:
                self._everywhere.setdefault(team.kind.value, team.code)
            for row in rows:
                if row.compound_code:
                    self._by_compound.setdefault((team.kind.value, row.compound_code), team.code)
                elif row.community_code:
                    self._by_community.setdefault((team.kind.value, row.community_code), team.code)

    def team_for(self, kind: str, community: str | None, compound: str | None) -> str | None:
        if compound and (kind, compound) in self._by_compound:
            return self._by_compound[(kind, compound)]
        community = community or (self._compound_community.get(compound) if compound else None)
        if community and (kind, community) in self._by_community:
            return self._by_community[(kind, community)]
        return self._everywhere.get(kind)


class CoverageCache:
    """Coverage changes rarely (an admin edits teams); routing reads it on every order."""

    def __init__(self, ttl_seconds: float = 30.0) -> None:
        self.ttl = ttl_seconds
        self._index: CoverageIndex | None = None
        self._built_at = 0.0

    def fresh(self) -> CoverageIndex | None:
        """The index if it is still young enough to use, without touching the database."""
        if self._index is None or monotonic() - self._built_at > self.ttl:
            return None
        return self._index

    def get(self, session: Session) -> CoverageIndex:
        index = self.fresh()
        if index is None:
            index, self._built_at = coverage_index(session), monotonic()
            self._index = index
        return index

    def invalidate(self) -> None:
        self._index = None


def coverage_index(session: Session) -> CoverageIndex:
    from dispatch.places.models import Compound

    compounds = session.exec(select(Compound)).all()
    return CoverageIndex(
        session.exec(select(Team)).all(),
        session.exec(select(TeamCoverage)).all(),
        {c.code: c.community_code for c in compounds},
    )


def _in_shift(shift: DutyShift, at: time) -> bool:
    if shift.starts <= shift.ends:
        return shift.starts <= at < shift.ends
    return at >= shift.starts or at < shift.ends


Rota = Sequence[tuple[DutyShift, User]]


def rota_of(session: Session, team_code: str) -> Rota:
    """The team's shifts with who holds each, in the order of the day."""
    return rotas_of(session, [team_code]).get(team_code, [])


def rotas_of(session: Session, team_codes: Sequence[str]) -> dict[str, Rota]:
    """Each team's shifts with who holds each, in the order of the day; teams with no shift
    are left out."""
    query = (
        select(DutyShift, User)
        .join(User, col(User.id) == DutyShift.user_id)
        .where(col(DutyShift.team_code).in_(team_codes))
        .order_by(col(DutyShift.team_code), col(DutyShift.starts), col(DutyShift.id))
    )
    rotas: dict[str, list[tuple[DutyShift, User]]] = defaultdict(list)
    for shift, user in session.exec(query):
        rotas[shift.team_code].append((shift, user))
    return dict(rotas)


def leaders_of_record(session: Session, team_codes: Sequence[str]) -> dict[str, User]:
    """Each team's active team leader who was entered first: who leads outside every shift."""
    query = (
        select(User)
        .where(col(User.team_code).in_(team_codes), User.role == Role.team_leader, col(User.active))
        .order_by(col(User.id))
    )
    leaders: dict[str, User] = {}
    for user in session.exec(query):
        if user.team_code is not None:
            leaders.setdefault(user.team_code, user)
    return leaders


def team_members(session: Session, viewer: User, code: str) -> Sequence[User]:
    """Who is in a team, for its own leader handing an order to one of them (组内派工).

    Another team is as good as missing: leaders see their own people only."""
    if viewer.team_code != code:
        raise NotFound(f"no team {code}", field="code")
    people = [u for u in list_users(session, team_code=code) if u.role.is_team_role]
    return sorted(people, key=lambda u: (u.role != Role.team_leader, u.display_name))


def shift_holder(team_code: str, rota: Rota, now: datetime, tz: str) -> User | None:
    """Who holds the shift running now, if they may still lead the team."""
    local = now.astimezone(ZoneInfo(tz)).time()
    for shift, user in sorted(rota, key=lambda row: row[0].id or 0):  # first entered wins
        # Someone locked out or moved to another team since the rota was made is skipped.
        if _in_shift(shift, local) and user.active and user.team_code == team_code:
            return user
    return None


def on_duty_leader(
    session: Session, team_code: str, now: datetime, tz: str, rota: Rota | None = None
) -> User | None:
    """The rota's person on duty now, else the team's leader of record. Pass the team's
    `rota` when it has been read already."""
    shifts = rota_of(session, team_code) if rota is None else rota
    holder = shift_holder(team_code, shifts, now, tz)
    if holder is not None:
        return holder
    return leaders_of_record(session, [team_code]).get(team_code)


@dataclass(frozen=True)
class TeamOverview:
    """A team with what it covers, its rota and who leads it now."""

    team: Team
    communities: list[str]
    compounds: list[str]
    rota: Rota
    on_duty: User | None


def active_teams(session: Session) -> Sequence[Team]:
    return session.exec(select(Team).where(col(Team.active)).order_by(col(Team.code))).all()


def in_service(session: Session, code: str) -> bool:
    """A team that may be sent orders: it exists and has not been taken out of service.

    On PostgreSQL the row is read afresh and held (FOR SHARE) to the end of the caller's
    transaction, so a dispatch and an admin taking the team out of service at that moment
    are ordered: the admin waits, then sees the new part and is refused; or the admin was
    first, and this waits and reads the team as out of service. SQLite has one writer.
    """
    if session.get_bind().dialect.name == "postgresql":
        held = select(Team.code).where(Team.code == code, col(Team.active))
        return session.exec(held.with_for_update(read=True)).first() is not None
    team = reference_row(session, Team, code)
    return team is not None and team.active


def teams_out_of_service(session: Session) -> frozenset[str]:
    return frozenset(session.exec(select(Team.code).where(col(Team.active).is_(False))).all())


def all_teams(session: Session) -> Sequence[Team]:
    """In service or not: what an admin needs to put a team back."""
    return session.exec(select(Team).order_by(col(Team.code))).all()


def team_overviews(
    session: Session, teams: Sequence[Team], now: datetime, tz: str
) -> list[TeamOverview]:
    """The teams in the order given, in at most three queries however many there are: the
    team list is read by every page and must not cost a round of queries per team."""
    codes = [team.code for team in teams]
    coverage: dict[str, list[TeamCoverage]] = defaultdict(list)
    # By id: the order the admin gave the places in, as reading one team's rows returned them.
    for row in session.exec(
        select(TeamCoverage)
        .where(col(TeamCoverage.team_code).in_(codes))
        .order_by(col(TeamCoverage.id))
    ):
        coverage[row.team_code].append(row)
    rotas = rotas_of(session, codes)
    on_duty = {code: shift_holder(code, rotas.get(code, []), now, tz) for code in codes}
    unheld = [code for code, holder in on_duty.items() if holder is None]
    # Outside every shift the leader of record leads; asked only when some team needs one.
    if unheld:
        on_duty.update(leaders_of_record(session, unheld))
    return [
        TeamOverview(
            team=team,
            communities=[c.community_code for c in coverage[team.code] if c.community_code],
            compounds=[c.compound_code for c in coverage[team.code] if c.compound_code],
            rota=rotas.get(team.code, []),
            on_duty=on_duty[team.code],
        )
        for team in teams
    ]
