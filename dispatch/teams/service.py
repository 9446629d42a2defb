"""Who covers a place, and who leads a team right now."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, time
from time import monotonic
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from dispatch.auth.models import Role, User
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
    query = (
        select(DutyShift, User)
        .join(User, col(User.id) == DutyShift.user_id)
        .where(DutyShift.team_code == team_code)
        .order_by(col(DutyShift.starts), col(DutyShift.id))
    )
    return session.exec(query).all()


def on_duty_leader(
    session: Session, team_code: str, now: datetime, tz: str, rota: Rota | None = None
) -> User | None:
    """The rota's person on duty now, else the team's leader of record. Pass the team's
    `rota` when it has been read already."""
    local = now.astimezone(ZoneInfo(tz)).time()
    shifts = rota_of(session, team_code) if rota is None else rota
    for shift, user in sorted(shifts, key=lambda row: row[0].id or 0):  # first entered wins
        # Someone locked out or moved to another team since the rota was made is skipped.
        if _in_shift(shift, local) and user.active and user.team_code == team_code:
            return user
    return session.exec(
        select(User)
        .where(User.team_code == team_code, User.role == Role.team_leader, col(User.active))
        .order_by(col(User.id))
    ).first()
