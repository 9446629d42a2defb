"""Logging in and managing desk users."""

from __future__ import annotations

from sqlmodel import Session, select

from dispatch.auth.models import Role, User
from dispatch.auth.passwords import hash_password, verify_password
from dispatch.errors import Conflict, InvalidInput, NotAuthenticated
from dispatch.teams.models import Team


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        # One message for unknown user and wrong password: never reveal which.
        raise NotAuthenticated("wrong username or password")
    return user


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    display_name: str,
    role: Role,
    team_code: str | None = None,
    phone: str | None = None,
    password_hash: str | None = None,
) -> User:
    team_code = team_code or None  # "" is no team, not a team called ""
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"user {username!r} already exists", field="username")
    if role.is_team_role and not team_code:
        raise InvalidInput(f"a {role} must belong to a team", field="team_code")
    if team_code and session.get(Team, team_code) is None:
        raise InvalidInput(f"unknown team {team_code!r}", field="team_code")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        team_code=team_code,
        phone=phone,
        password_hash=password_hash or hash_password(password),
    )
    session.add(user)
    session.flush()
    return user
