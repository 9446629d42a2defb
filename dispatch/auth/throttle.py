"""Password guessing is slowed down: failed logins are counted per username and address.

After 5 failures for one username from one address within a minute, that pair is refused
with 429 and Retry-After until the oldest failure is a minute old, right password or not,
so the refusal says nothing about the password. One address failing 30 times a minute
across any usernames (spraying one password over many accounts) is refused the same way.
A successful login clears its username's count. The counts are rows in the database
(`login_failure`), so every API instance sharing it counts the same failures and a
restart forgets none.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from math import ceil
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import delete
from sqlmodel import Session, col, select

from dispatch.auth.models import LoginFailure
from dispatch.database import insert_many, keep_on_refusal
from dispatch.limits import TooManyRequests

FAILURES_PER_USERNAME = 5
FAILURES_PER_ADDRESS = 30
WINDOW = timedelta(minutes=1)
_TABLE = LoginFailure.__table__  # type: ignore[attr-defined]


class LoginThrottle:
    def __init__(
        self,
        per_username: int = FAILURES_PER_USERNAME,
        per_address: int = FAILURES_PER_ADDRESS,
        window: timedelta = WINDOW,
    ) -> None:
        self.per_username = per_username
        self.per_address = per_address
        self.window = window

    def check(self, session: Session, username: str, address: str, now: datetime) -> None:
        """Raises TooManyRequests while this username or this address must wait."""
        waits = (
            self._wait(session, _user_key(username, address), self.per_username, now),
            self._wait(session, _address_key(address), self.per_address, now),
        )
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            raise TooManyRequests(
                f"too many failed logins; try again in {wait} s", retry_after=wait
            )

    def failed(self, session: Session, username: str, address: str, now: datetime) -> None:
        """Count one failure; it is committed although the login then answers 401."""
        keep_on_refusal(session)
        # Forget a few expired rows each time; SKIP LOCKED: two instances never wait on
        # (or deadlock over) the same old rows.
        expired = (
            select(LoginFailure.id)
            .where(col(LoginFailure.at) <= now - self.window)
            .order_by(col(LoginFailure.id))
            .limit(100)
            .with_for_update(skip_locked=True)
        )
        session.execute(delete(LoginFailure).where(col(LoginFailure.id).in_(expired)))
        keys = (_user_key(username, address), _address_key(address))
        insert_many(session, _TABLE.insert(), [{"key": key, "at": now} for key in keys])

    def succeeded(self, session: Session, username: str, address: str) -> None:
        key = _user_key(username, address)
        session.execute(delete(LoginFailure).where(col(LoginFailure.key) == key))

    def _wait(self, session: Session, key: str, limit: int, now: datetime) -> int | None:
        """Seconds until the oldest of the last `limit` failures leaves the window, if full."""
        recent = session.exec(
            select(LoginFailure.at)
            .where(LoginFailure.key == key, col(LoginFailure.at) > now - self.window)
            .order_by(col(LoginFailure.at).desc())
            .limit(limit)
        ).all()
        if len(recent) < limit:
            return None
        return max(1, ceil((recent[-1] + self.window - now).total_seconds()))


def _user_key(username: str, address: str) -> str:
    return f"user:{username.casefold()[:64]}|{address[:100]}"


def _address_key(address: str) -> str:
    return f"address:{address[:100]}"


_THROTTLE = LoginThrottle()


async def get_login_throttle() -> LoginThrottle:
    return _THROTTLE


def get_client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]
ClientAddress = Annotated[str, Depends(get_client_address)]
