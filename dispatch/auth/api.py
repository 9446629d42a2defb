"""Log in, see who you are, change your password; admins manage the desk's users."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field

from dispatch.audit.api import Audit
from dispatch.audit.models import AdminActionKind
from dispatch.auth import service as users
from dispatch.auth.models import Role, User
from dispatch.auth.service import authenticate, create_user
from dispatch.auth.throttle import ClientAddress, LoginThrottleDep
from dispatch.auth.tokens import TokenClaims, issue_token
from dispatch.deps import (
    Admin,
    ClockDep,
    CurrentLogin,
    CurrentUser,
    SessionDep,
    SettingsDep,
)
from dispatch.errors import NotAuthenticated

router = APIRouter(prefix="/api/v1", tags=["auth"])


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64, examples=["operator.li"])
    password: str = Field(min_length=1, max_length=200, examples=["operator.li-demo"])


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    team_code: str | None


class UserAdminView(UserPublic):
    """What an admin sees of a user: also the phone their SMS go to and whether they may log in."""

    phone: str | None
    active: bool


class UserUpdate(BaseModel):
    """Only the fields sent change. `team_code: ""` takes a desk role out of its team."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=100)
    role: Role | None = None
    team_code: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=20)
    active: bool | None = Field(default=None, examples=[False])


class PasswordReset(BaseModel):
    new_password: str = Field(min_length=8, max_length=200)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=8, max_length=200)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    user: UserPublic


class UserCreate(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    password: str = Field(min_length=8, max_length=200)
    display_name: str = Field(min_length=1, max_length=100)
    role: Role
    team_code: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=20)


class LoginAttempt:
    """Everything a login needs besides the username and password."""

    def __init__(
        self,
        session: SessionDep,
        settings: SettingsDep,
        clock: ClockDep,
        throttle: LoginThrottleDep,
        address: ClientAddress,
    ) -> None:
        self.session = session
        self.settings = settings
        self.clock = clock
        self.throttle = throttle
        self.address = address

    @contextmanager
    def counted(self, username: str, refused: type[Exception]) -> Iterator[None]:
        """A password check: refused while this username or address must wait, and a
        `refused` failure counts against them (a login, or a guess at one's own password)."""
        now = self.clock.now()
        self.throttle.check(self.session, username, self.address, now)
        try:
            yield
        except refused:
            self.throttle.failed(self.session, username, self.address, now)
            raise


Attempt = Annotated[LoginAttempt, Depends()]


def _token_for(attempt: Attempt, username: str, password: str) -> Token:
    with attempt.counted(username, NotAuthenticated):
        user = authenticate(attempt.session, username, password)
    attempt.throttle.succeeded(attempt.session, username, attempt.address)
    return _token(user, attempt)


def _token(
    user: User,
    attempt: Attempt,
    *,
    claims: TokenClaims | None = None,
    ends: datetime | None = None,
) -> Token:
    """A token for a new login, or a renewed one that keeps its login and never outlives it."""
    assert user.id is not None
    settings, now = attempt.settings, attempt.clock.now()
    expires_at = now + timedelta(minutes=settings.access_token_minutes)
    if ends is not None:
        expires_at = min(expires_at, ends)
    return Token(
        access_token=issue_token(
            user.id,
            user.password_hash,
            secret=settings.secret_key,
            now=now,
            expires_at=expires_at,
            logged_in_at=claims.logged_in_at if claims else None,
            session_id=claims.session_id if claims else None,
        ),
        expires_in=int((expires_at - now).total_seconds()),
        user=UserPublic.model_validate(user, from_attributes=True),
    )


@router.post(
    "/auth/login",
    response_model=Token,
    responses={429: {"description": "too many failed logins from here; see Retry-After"}},
)
def login(body: LoginRequest, attempt: Attempt) -> Token:
    """A short-lived bearer token for the API, the pages and the websocket."""
    return _token_for(attempt, body.username, body.password)


@router.post("/auth/token", response_model=Token, include_in_schema=False)
def login_form(form: Annotated[OAuth2PasswordRequestForm, Depends()], attempt: Attempt) -> Token:
    return _token_for(attempt, form.username, form.password)


@router.post("/auth/refresh", response_model=Token)
def renew(who: CurrentLogin, attempt: Attempt) -> Token:
    """A fresh token for a login still in force, so an open page is not sent to the login
    every half hour. The login itself still ends `session_hours` after it was made."""
    now, hours = attempt.clock.now(), attempt.settings.session_hours
    ends = users.session_end(who.login, now=now, session_hours=hours)
    return _token(who.user, attempt, claims=who.login, ends=ends)


@router.post("/auth/logout", status_code=204)
def logout(
    who: CurrentLogin, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    """End this login on the server: its tokens, renewed or not, are refused from now on,
    and its live sockets close. The user's other logins (another device) go on."""
    users.end_session(
        session,
        who,
        now=clock.now(),
        session_hours=settings.session_hours,
        token_minutes=settings.access_token_minutes,
    )
    return Response(status_code=204)


@router.get("/auth/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@router.post(
    "/auth/password",
    response_model=Token,
    responses={429: {"description": "too many wrong passwords from here; see Retry-After"}},
)
def change_password(
    body: PasswordChange, user: CurrentUser, attempt: Attempt, audit: Audit
) -> Token:
    """A new password for yourself. Every other session of yours ends; this answers with a
    fresh token. A wrong current password counts as a failed login."""
    with attempt.counted(user.username, users.WrongPassword):
        users.change_own_password(attempt.session, user, body.current_password, body.new_password)
    audit.record(AdminActionKind.password_changed, user.username)
    return _token(user, attempt)


@router.get("/users", response_model=list[UserAdminView], tags=["admin"])
def list_users(
    session: SessionDep, admin: Admin, role: Role | None = None, team: str | None = None
) -> list[UserAdminView]:
    return [
        UserAdminView.model_validate(u, from_attributes=True)
        for u in users.list_users(session, role=role, team_code=team)
    ]


@router.post("/users", response_model=UserAdminView, status_code=201, tags=["admin"])
def add_user(
    body: UserCreate, session: SessionDep, admin: Admin, settings: SettingsDep, audit: Audit
) -> UserAdminView:
    user = create_user(
        session,
        username=body.username,
        password=body.password,
        display_name=body.display_name,
        role=body.role,
        team_code=body.team_code,
        phone=body.phone,
        region=settings.default_region,
    )
    view = UserAdminView.model_validate(user, from_attributes=True)
    audit.record(AdminActionKind.user_created, user.username, **view.model_dump(mode="json"))
    return view


@router.patch("/users/{username}", response_model=UserAdminView, tags=["admin"])
def update_user(
    username: str,
    body: UserUpdate,
    session: SessionDep,
    admin: Admin,
    settings: SettingsDep,
    clock: ClockDep,
    audit: Audit,
) -> UserAdminView:
    """Change a user's name, role, team or phone; `active: false` locks them out at once,
    and for good: unlocking them later does not bring their old logins back."""
    user = users.require_user(session, username)
    sent = body.model_dump(exclude_unset=True)
    changes = users.UserChanges(**sent)
    users.update_user(session, user, changes, now=clock.now(), region=settings.default_region)
    view = UserAdminView.model_validate(user, from_attributes=True)
    # As stored (a phone in E.164, a desk role's team gone), not as typed.
    changed = view.model_dump(mode="json", include={*sent, "team_code"})
    audit.record(AdminActionKind.user_updated, username, **changed)
    return view


@router.post("/users/{username}/sign-out", status_code=204, tags=["admin"])
def sign_out(
    username: str, session: SessionDep, admin: Admin, clock: ClockDep, audit: Audit
) -> Response:
    """强制下线: end every login of the user on every device (a lost phone), without
    changing their password. Their open sockets close within seconds."""
    users.end_all_logins(users.require_user(session, username), clock.now())
    audit.record(AdminActionKind.logins_ended, username)
    return Response(status_code=204)


@router.put("/users/{username}/password", status_code=204, tags=["admin"])
def reset_password(
    username: str, body: PasswordReset, session: SessionDep, admin: Admin, audit: Audit
) -> Response:
    """A forgotten password: set a new one; the user's open sessions end."""
    users.set_password(session, users.require_user(session, username), body.new_password)
    audit.record(AdminActionKind.password_reset, username)
    return Response(status_code=204)
