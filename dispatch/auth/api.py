"""Log in and see who you are."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from dispatch.auth.models import Role
from dispatch.auth.service import authenticate, create_user
from dispatch.auth.throttle import ClientAddress, LoginThrottleDep
from dispatch.auth.tokens import issue_token
from dispatch.deps import Admin, ClockDep, CurrentUser, SessionDep, SettingsDep
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


Attempt = Annotated[LoginAttempt, Depends()]


def _token_for(attempt: Attempt, username: str, password: str) -> Token:
    now, settings = attempt.clock.now(), attempt.settings
    session, throttle = attempt.session, attempt.throttle
    throttle.check(session, username, attempt.address, now)
    try:
        user = authenticate(session, username, password)
    except NotAuthenticated:
        throttle.failed(session, username, attempt.address, now)
        raise
    throttle.succeeded(session, username, attempt.address)
    assert user.id is not None
    minutes = settings.access_token_minutes
    return Token(
        access_token=issue_token(user.id, secret=settings.secret_key, now=now, minutes=minutes),
        expires_in=minutes * 60,
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


@router.get("/auth/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@router.post("/users", response_model=UserPublic, status_code=201, tags=["admin"])
def add_user(body: UserCreate, session: SessionDep, admin: Admin) -> UserPublic:
    user = create_user(
        session,
        username=body.username,
        password=body.password,
        display_name=body.display_name,
        role=body.role,
        team_code=body.team_code,
        phone=body.phone,
    )
    return UserPublic.model_validate(user, from_attributes=True)
