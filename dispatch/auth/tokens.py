"""Short-lived signed access tokens (JWT, HS256) that a new password ends at once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt

from dispatch.errors import NotAuthenticated

ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    password_stamp: str
    logged_in_at: datetime  # the login it descends from: renewed tokens keep it
    session_id: str  # that login's, kept by renewals too: logging out ends them all


def password_stamp(password_hash: str, secret: str) -> str:
    """Changes whenever the password does. A token carries the stamp of the password it was
    issued under, so a changed or reset password ends every session opened before."""
    digest = hmac.new(secret.encode(), password_hash.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def issue_token(
    user_id: int,
    password_hash: str,
    *,
    secret: str,
    now: datetime,
    expires_at: datetime,
    logged_in_at: datetime | None = None,
    session_id: str | None = None,
) -> str:
    """A renewed token passes on the `logged_in_at` and `session_id` of its login."""
    claims = {
        "sub": str(user_id),
        "pw": password_stamp(password_hash, secret),
        "sid": session_id or secrets.token_hex(8),
        "iat": now,
        "exp": expires_at,
        "auth_time": int((logged_in_at or now).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, *, secret: str, now: datetime) -> TokenClaims:
    try:
        # Expiry is checked against our clock, not the wall clock, so tests can move time.
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={
                "verify_exp": False,
                "verify_iat": False,
                "require": ["exp", "pw", "auth_time", "sid"],
            },
        )
        expires = int(claims["exp"])
        found = TokenClaims(
            user_id=int(claims["sub"]),
            password_stamp=str(claims["pw"]),
            logged_in_at=datetime.fromtimestamp(int(claims["auth_time"]), UTC),
            session_id=str(claims["sid"])[:32],
        )
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as exc:
        raise NotAuthenticated("invalid token") from exc
    if now.timestamp() >= expires:
        raise NotAuthenticated("token expired; log in again")
    return found
