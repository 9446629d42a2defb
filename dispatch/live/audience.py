"""Who receives what: a team sees its own orders only; the desk and supervisors see all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dispatch.auth.models import Role, User
from dispatch.auth.tokens import TokenClaims


@dataclass(frozen=True)
class Viewer:
    user_id: int
    role: Role
    team_code: str | None
    login: TokenClaims  # of the token it came in with: re-checked while the socket is open

    @classmethod
    def of(cls, user: User, login: TokenClaims) -> Viewer:
        assert user.id is not None
        return cls(user_id=user.id, role=user.role, team_code=user.team_code, login=login)

    @property
    def is_team(self) -> bool:
        """Team roles get their team's events only, with phone numbers masked."""
        return self.role.is_team_role

    def sees(self, team_codes: Iterable[str], reporter_id: int | None = None) -> bool:
        if not self.is_team:
            # Operators need the triage queue and screen pops; supervisors and admins the
            # whole board: both get every event of the desk.
            return True
        if reporter_id == self.user_id:
            return True  # 巡查上报: their own report, whichever team handles it
        # A team member without a team sees nothing rather than everything.
        return self.team_code is not None and self.team_code in team_codes
