"""Dependencies defined once: the unit of work, the clock, the current user and role guards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from dispatch.auth.models import Role, User
from dispatch.auth.service import SignedIn, signed_in
from dispatch.clock import Clock
from dispatch.database import MAX_ROW_ID, Database
from dispatch.errors import Forbidden, NotAuthenticated
from dispatch.settings import Settings

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


# Dependencies that only read app.state are `async def`: FastAPI runs a plain `def` dependency
# in its thread pool, and those hops cost more than the work itself on every request.
async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def get_session(request: Request) -> Iterator[Session]:
    """The request owns the transaction: committed before the response leaves."""
    db = get_database(request)
    with db.session(write=request.method not in _READ_METHODS) as session:
        yield session


# Sync dependencies and endpoints share FastAPI's 40 threads. A request waiting there for a
# pooled connection or for SQLite's writer lock blocks a thread, while the request holding it
# needs a thread to finish: 40 such waiters stall the server for good (bench/fault_sigkill.py,
# 50 concurrent creations). At most this many sessions are open at once; the rest queue on the
# event loop. Few: a process runs Python on one core at a time (the GIL), so units beyond a
# handful only take turns at it and stretch each other's latency. Measured with 16 clients
# creating orders as fast as they can (2 cores): 24 open units against 4 gave the same rate on
# PostgreSQL with p99 1.4 s against 0.53 s; on SQLite, whose writer goes one at a time
# anyway, 4 gave 12% more orders per second.
MAX_OPEN_SESSIONS = 4

# scope="function": commit before the response leaves, so a 201 means the order is stored.
SessionDep = Annotated[
    Session, Depends(get_session, scope="function", max_concurrency=MAX_OPEN_SESSIONS)
]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ClockDep = Annotated[Clock, Depends(get_clock)]
# A row id in a path: one larger than the database can hold is a 422, never sent to it.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Repeat a create with the same key to get the same order, never two "
        "(a phone on a poor signal sends again).",
    ),
]
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]

_bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")


async def get_bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The token as sent, not yet checked: checking it needs the database."""
    if credentials is None:
        raise NotAuthenticated("missing bearer token")
    return credentials.credentials


BearerToken = Annotated[str, Depends(get_bearer_token)]


def get_signed_in(
    session: SessionDep, settings: SettingsDep, clock: ClockDep, token: BearerToken
) -> SignedIn:
    return signed_in(session, token, secret=settings.secret_key, now=clock.now())


CurrentLogin = Annotated[SignedIn, Depends(get_signed_in)]


def get_current_user(who: CurrentLogin) -> User:
    return who.user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> Callable[[User], Awaitable[User]]:
    async def guard(user: CurrentUser) -> User:
        if user.role not in roles:
            allowed = ", ".join(sorted(r.value for r in roles))
            raise Forbidden(f"role {user.role.value} may not do this; needs one of: {allowed}")
        return user

    return guard


Operator = Annotated[User, Depends(require_roles(Role.operator, Role.supervisor, Role.admin))]
TeamWorker = Annotated[User, Depends(require_roles(Role.team_leader, Role.team_member))]
TeamLeader = Annotated[User, Depends(require_roles(Role.team_leader))]
Supervisor = Annotated[User, Depends(require_roles(Role.supervisor, Role.admin))]
Admin = Annotated[User, Depends(require_roles(Role.admin))]
