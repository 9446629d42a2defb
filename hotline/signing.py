"""HMAC-SHA256 over `timestamp + "." + body`: how the 12345 and police platforms and we sign.

Inbound requests older or newer than five minutes are refused, so a captured request
cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from dispatch.errors import Forbidden, NotAuthenticated

TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, body: bytes, now: datetime, prefix: str = "X-12345"
) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {
        f"{prefix}-Timestamp": timestamp,
        f"{prefix}-Signature": signature(secret, timestamp, body),
    }


def verify(
    secret: str, timestamp: str | None, given: str | None, body: bytes, now: datetime
) -> None:
    """401 when the proof is missing or stale, 403 when it is wrong (or no secret is set)."""
    if not secret:
        raise Forbidden("signed requests are refused: no shared secret is configured")
    if not timestamp or not given:
        raise NotAuthenticated("missing signature headers")
    if not timestamp.isdigit():
        raise NotAuthenticated("the signature timestamp is not a unix time")
    if abs(now.timestamp() - int(timestamp)) > TOLERANCE_SECONDS:
        raise NotAuthenticated("stale signature timestamp (more than 5 minutes off)")
    if not signed_by(secret, timestamp, body, given):
        raise Forbidden("bad signature")


def signed_by(secret: str, timestamp: str, body: bytes, given: str) -> bool:
    """Whether `given` is the signature of `timestamp.body`, in constant time."""
    expected = signature(secret, timestamp, body).encode()
    # As bytes: compare_digest raises on a str with non-ASCII characters, and anyone may send
    # those.
    return hmac.compare_digest(expected, given.removeprefix("sha256=").strip().lower().encode())
