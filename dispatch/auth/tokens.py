"""Short-lived signed access tokens (JWT, HS256) that a new password ends at once."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from dispatch.errors import NotAuthenticated

ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    password_stamp: str


def password_stamp(password_hash: str, secret: str) -> str:
    """Changes whenever the password does. A token carries the stamp of the password it was
    issued under, so a changed or reset password ends every session opened before."""
    digest = hmac.new(secret.encode(), password_hash.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def issue_token(
    user_id: int, password_hash: str, *, secret: str, now: datetime, minutes: int
) -> str:
    claims = {
        "sub": str(user_id),
        "pw": password_stamp(password_hash, secret),
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, *, secret: str, now: datetime) -> TokenClaims:
    try:
        # Expiry is checked against our clock, not the wall clock, so tests can move time.
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False, "require": ["exp", "pw"]},
        )
        expires = int(claims["exp"])
        found = TokenClaims(user_id=int(claims["sub"]), password_stamp=str(claims["pw"]))
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as exc:
        raise NotAuthenticated("invalid token") from exc
    if now.timestamp() >= expires:
        raise NotAuthenticated("token expired; log in again")
    return found
