"""Who did something: a logged-in user, or the system acting on its own (rules, scheduler)."""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.auth.models import Role, User


@dataclass(frozen=True)
class Actor:
    label: str
    user_id: int | None = None
    role: Role | None = None
    team_code: str | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(label=user.username, user_id=user.id, role=user.role, team_code=user.team_code)

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(label=f"system:{name}")
