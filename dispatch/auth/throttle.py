"""Password guessing is slowed down: failed logins are counted per username and address.

After 5 failures for one username from one address within a minute, that pair is refused
with 429 and Retry-After until the oldest failure is a minute old, right password or not,
so the refusal says nothing about the password. One address failing 30 times a minute
across any usernames (spraying one password over many accounts) is refused the same way.
A successful login clears its username's count. Counts live in this process's memory.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request

from dispatch.limits import SlidingWindow, TooManyRequests

FAILURES_PER_USERNAME = 5
FAILURES_PER_ADDRESS = 30
WINDOW = timedelta(minutes=1)


class LoginThrottle:
    def __init__(
        self,
        per_username: int = FAILURES_PER_USERNAME,
        per_address: int = FAILURES_PER_ADDRESS,
        window: timedelta = WINDOW,
    ) -> None:
        self._by_username = SlidingWindow(per_username, window)
        self._by_address = SlidingWindow(per_address, window)

    def check(self, username: str, address: str, now: datetime) -> None:
        """Raises TooManyRequests while this username or this address must wait."""
        waits = (
            self._by_username.retry_after((username.casefold(), address), now),
            self._by_address.retry_after(address, now),
        )
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            raise TooManyRequests(
                f"too many failed logins; try again in {wait} s", retry_after=wait
            )

    def failed(self, username: str, address: str, now: datetime) -> None:
        self._by_username.hit((username.casefold(), address), now)
        self._by_address.hit(address, now)

    def succeeded(self, username: str, address: str) -> None:
        self._by_username.clear((username.casefold(), address))


_creating = threading.Lock()


def get_login_throttle(request: Request) -> LoginThrottle:
    """One throttle per app, made on first use."""
    state = request.app.state
    with _creating:
        if getattr(state, "login_throttle", None) is None:
            state.login_throttle = LoginThrottle()
    throttle: LoginThrottle = state.login_throttle
    return throttle


def get_client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]
ClientAddress = Annotated[str, Depends(get_client_address)]
