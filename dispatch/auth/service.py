"""Logging in, knowing who holds a token, and managing desk users."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete
from sqlmodel import Session, col, func, select

from dispatch.auth.models import EndedSession, Role, User
from dispatch.auth.passwords import hash_password, verify_password
from dispatch.auth.tokens import TokenClaims, password_stamp, read_token
from dispatch.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from dispatch.phones import normalise_phone
from dispatch.teams.models import Team


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        # One message for unknown user and wrong password: never reveal which.
        raise NotAuthenticated("wrong username or password")
    return user


@dataclass(frozen=True)
class SignedIn:
    """Who holds a token, and the login it belongs to (renewals and logouts need it)."""

    user: User
    login: TokenClaims


def signed_in(session: Session, token: str, *, secret: str, now: datetime) -> SignedIn:
    """The active user a token speaks for (the API and the websocket ask the same)."""
    claims = read_token(token, secret=secret, now=now)
    # Every authenticated request asks this: the user and whether their login was logged
    # out come in one query.
    found = session.exec(
        select(User, EndedSession.session_id)
        .outerjoin(
            EndedSession,
            and_(
                col(EndedSession.user_id) == User.id,
                col(EndedSession.session_id) == claims.session_id,
            ),
        )
        .where(User.id == claims.user_id)
    ).first()
    user, ended = (found[0], found[1] is not None) if found else (None, False)
    refused = refusal(user, claims, secret=secret, ended=ended)
    if refused is not None:
        raise NotAuthenticated(refused)
    assert user is not None
    return SignedIn(user, claims)


def end_session(
    session: Session, who: SignedIn, *, now: datetime, session_hours: int, token_minutes: int
) -> None:
    """Log out: every token of that login, renewed or not, is refused from now on. The
    record is kept until no token of the login could still be valid, then forgotten."""
    assert who.user.id is not None
    login = who.login
    keep_until = max(
        login.logged_in_at + timedelta(hours=session_hours),  # renewed tokens end by then
        now + timedelta(minutes=token_minutes),  # the first token is not capped by it
    )
    if session.get(EndedSession, login.session_id) is None:
        session.add(
            EndedSession(
                session_id=login.session_id,
                user_id=who.user.id,
                ended_at=now,
                forget_after=keep_until,
            )
        )
    session.execute(delete(EndedSession).where(col(EndedSession.forget_after) < now))


def ended_sessions(session: Session, session_ids: Sequence[str]) -> set[str]:
    found = session.exec(
        select(EndedSession.session_id).where(col(EndedSession.session_id).in_(session_ids))
    )
    return set(found)


def session_end(claims: TokenClaims, *, now: datetime, session_hours: int) -> datetime:
    """When the login a token descends from ends; renewing past it is refused."""
    ends = claims.logged_in_at + timedelta(hours=session_hours)
    if now >= ends:
        raise NotAuthenticated(f"logged in more than {session_hours} h ago; log in again")
    return ends


def refusal(user: User | None, login: TokenClaims, *, secret: str, ended: bool) -> str | None:
    """Why that login no longer stands, or None if it does. `ended`: it was logged out."""
    if user is None or not user.active:
        return "user no longer active"
    if login.password_stamp != password_stamp(user.password_hash, secret):
        return "password changed since this token was issued; log in again"
    if ended:
        return "logged out; log in again"
    # Whole seconds in the token: a login in the same second as the sign-out is over too.
    if user.logins_ended_at is not None and login.logged_in_at <= user.logins_ended_at:
        return "signed out by an admin; log in again"
    return None


def end_all_logins(user: User, now: datetime) -> None:
    """Every login of the user made until now is over, on every device."""
    user.logins_ended_at = now


def users_by_id(session: Session, user_ids: Sequence[int]) -> dict[int, User]:
    found = session.exec(select(User).where(col(User.id).in_(user_ids))).all()
    return {user.id: user for user in found if user.id is not None}


def _team_for(session: Session, role: Role, team_code: str | None) -> str | None:
    team_code = team_code or None  # "" is no team, not a team called ""
    if role.is_team_role and not team_code:
        raise InvalidInput(f"a {role} must belong to a team", field="team_code")
    if team_code and session.get(Team, team_code) is None:
        raise InvalidInput(f"unknown team {team_code!r}", field="team_code")
    return team_code


def _phone(phone: str | None, region: str) -> str | None:
    return normalise_phone(phone, region=region, field="phone") if phone else None


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
    region: str = "CN",
) -> User:
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"user {username!r} already exists", field="username")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        team_code=_team_for(session, role, team_code),
        phone=_phone(phone, region),
        password_hash=password_hash or hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def require_user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}", field="username")
    return user


def list_users(
    session: Session, *, role: Role | None = None, team_code: str | None = None
) -> Sequence[User]:
    query = select(User).order_by(col(User.username))
    if role is not None:
        query = query.where(User.role == role)
    if team_code:
        query = query.where(User.team_code == team_code)
    return session.exec(query).all()


@dataclass(frozen=True)
class UserChanges:
    """What an admin changes; None leaves a field as it is (team_code "" clears it)."""

    display_name: str | None = None
    role: Role | None = None
    team_code: str | None = None
    phone: str | None = None
    active: bool | None = None


def update_user(
    session: Session, user: User, changes: UserChanges, *, now: datetime, region: str = "CN"
) -> User:
    role = changes.role or user.role
    team_code = user.team_code if changes.team_code is None else changes.team_code
    if not role.is_team_role and changes.team_code is None:
        team_code = None  # a desk role belongs to no team
    active = user.active if changes.active is None else changes.active
    if user.role == Role.admin and user.active and (role != Role.admin or not active):
        _keep_one_admin(session, user)
    if user.active and not active:
        end_all_logins(user, now)  # so unlocking later does not bring old tokens back
    user.role = role
    user.team_code = _team_for(session, role, team_code)
    user.active = active
    if changes.display_name is not None:
        user.display_name = changes.display_name
    if changes.phone is not None:
        user.phone = _phone(changes.phone, region)
    session.add(user)
    return user


def _keep_one_admin(session: Session, leaving: User) -> None:
    others = session.exec(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.admin, col(User.active).is_(True), User.id != leaving.id)
    ).one()
    if not others:
        raise Conflict(
            f"{leaving.username} is the last active admin; make another admin first",
            field="role",
        )


def set_password(session: Session, user: User, new_password: str) -> None:
    """A new password; every token issued under the old one stops working."""
    user.password_hash = hash_password(new_password)
    session.add(user)


class WrongPassword(InvalidInput):
    """The current password given to change it was wrong: a guess, counted like a login."""


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise WrongPassword("the current password is wrong", field="current_password")
    if current == new:
        raise InvalidInput("the new password is the same as the current one", field="new_password")
    set_password(session, user, new)
