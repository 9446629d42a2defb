"""Limits at the door: oversized bodies (413) and too many requests from one place (429)."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
from collections import deque
from collections.abc import Hashable, Sequence
from datetime import UTC, datetime, timedelta
from math import ceil
from typing import Any

import anyio.to_thread
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dispatch import tally
from dispatch.database import Database
from dispatch.errors import DomainError

log = logging.getLogger(__name__)
MINUTE = timedelta(minutes=1)


class BodySizeLimit:
    """`larger` names the paths (a pattern matched from the start) that take bigger bodies,
    such as photos, and how big."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, larger: Sequence[tuple[str, int]] = ()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = [(re.compile(pattern), limit) for pattern, limit in larger]

    def _limit(self, path: str) -> int:
        return next((limit for p, limit in self.larger if p.match(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(send, max_bytes)
            return
        seen, too_large, answered = 0, False, False

        async def counted() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    too_large = True
                    raise BodyTooLarge
            return message

        async def unless_too_large(message: Message) -> None:
            # The framework may catch BodyTooLarge while parsing and answer 400 ("error
            # parsing the body"); that answer is dropped, the 413 below goes out instead.
            nonlocal answered
            if too_large:
                return
            answered = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counted, unless_too_large)
        if too_large and not answered:
            await self._refuse(send, max_bytes)

    async def _refuse(self, send: Send, max_bytes: int) -> None:
        message = f"request body over {max_bytes} bytes"
        await _send_json(send, 413, {"error": {"code": "too_large", "message": message}})


class BodyTooLarge(Exception):
    pass


async def _send_json(
    send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """An error answer straight from the middleware, in the one error shape."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})


# --- rate limits ------------------------------------------------------------------------------


class TooManyRequests(DomainError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class SlidingWindow:
    """At most `limit` hits per key in any `window`; thread-safe (sync routes run in a pool)."""

    def __init__(self, limit: int, window: timedelta, *, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._hits: dict[Hashable, deque[datetime]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: Hashable, now: datetime) -> int | None:
        """Seconds until `key` may try again, or None if it may now."""
        with self._lock:
            hits = self._recent(key, now)
            if len(hits) < self.limit:
                return None
            return max(1, ceil((hits[0] + self.window - now).total_seconds()))

    def hit(self, key: Hashable, now: datetime) -> None:
        with self._lock:
            if key not in self._hits and len(self._hits) >= self.max_keys:
                self._forget_idle(now)
            self._hits.setdefault(key, deque()).append(now)
            self._recent(key, now)

    def _recent(self, key: Hashable, now: datetime) -> deque[datetime]:
        hits = self._hits.get(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        while len(hits) > self.limit:  # only the newest `limit` matter
            hits.popleft()
        return hits

    def _forget_idle(self, now: datetime) -> None:
        # Bounded memory under a flood of distinct keys: idle ones go first, then the oldest.
        for key in [k for k, hits in self._hits.items() if not self._recent(k, now)]:
            del self._hits[key]
        while len(self._hits) >= self.max_keys:
            del self._hits[next(iter(self._hits))]


def client_address(scope: Scope) -> str:
    """The peer's address (behind a proxy, uvicorn's --proxy-headers puts the real one here)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class PathRateLimit:
    """Requests under the given path prefixes: at most `limit` per source address a minute.

    For public endpoints with no login (webhooks): a flood is refused with 429 before any
    body is read, signature checked or order written. This process's own count (a sliding
    minute, in memory) refuses first, without touching the database; what it lets through
    is counted in the database too (`dispatch.tally`, by calendar minute), which every API
    instance shares: behind a balancer the limit holds for all instances together.
    """

    def __init__(
        self, app: ASGIApp, prefixes: tuple[str, ...], limit: int, db: Database | None = None
    ) -> None:
        self.app = app
        self.prefixes = prefixes
        self.window = SlidingWindow(limit, timedelta(minutes=1))
        self.db = db
        self._swept: datetime | None = None  # the minute this process last swept old counts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        key, now = client_address(scope), _now(scope)
        wait = self.window.retry_after(key, now)
        if wait is None:
            self.window.hit(key, now)
            hits = (
                None
                if self.db is None
                else await anyio.to_thread.run_sync(self._count_shared, self.db, key, now)
            )
            if hits is not None and hits > self.window.limit:
                wait = max(1, ceil((tally.minute_of(now) + MINUTE - now).total_seconds()))
        if wait is not None:
            error = TooManyRequests("too many requests from this address", retry_after=wait)
            await _send_json(send, 429, error.to_body(), {"Retry-After": str(wait)})
            return
        await self.app(scope, receive, send)

    def _count_shared(self, db: Database, key: str, now: datetime) -> int | None:
        try:
            with db.session(write=True) as session:
                if self._swept != tally.minute_of(now):
                    self._swept = tally.minute_of(now)
                    tally.forget_old(session, now)
                return tally.count_hit(session, key, now)
        except SQLAlchemyError:
            # The database down is no reason to turn residents away: this process's own
            # count still holds, and the webhook itself answers what the outage allows.
            log.warning("the shared request count could not be read", exc_info=True)
            return None


def _now(scope: Scope) -> datetime:
    """The app's clock (tests move it), or the wall clock outside an app."""
    app = scope.get("app")
    clock = getattr(getattr(app, "state", None), "clock", None)
    return clock.now() if clock is not None else datetime.now(UTC)
