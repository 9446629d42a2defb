"""Who receives what: a team sees its own orders only; the desk and supervisors see all."""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.auth.models import Role, User
from dispatch.auth.tokens import TokenClaims
from dispatch.events.bus import EventMessage


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

    def sees(self, message: EventMessage) -> bool:
        if not self.is_team:
            # Operators need the triage queue and screen pops; supervisors and admins the
            # whole board: both get every event of the desk.
            return True
        if message.reporter_id == self.user_id:
            return True  # 巡查上报: their own report, whichever team handles it
        # A team member without a team sees nothing rather than everything.
        if self.team_code is None:
            return False
        return self.team_code in message.team_codes or self.follows_reports_of(message)

    def follows_reports_of(self, message: EventMessage) -> bool:
        """本队上报: a leader follows the reports of the people in their team."""
        return self.role == Role.team_leader and message.reporter_team == self.team_code
