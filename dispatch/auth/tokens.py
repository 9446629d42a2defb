"""Short-lived signed access tokens (JWT, HS256)."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt

from dispatch.errors import NotAuthenticated

ALGORITHM = "HS256"


def issue_token(user_id: int, *, secret: str, now: datetime, minutes: int) -> str:
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def user_id_from_token(token: str, *, secret: str, now: datetime) -> int:
    try:
        # Expiry is checked against our clock, not the wall clock, so tests can move time.
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False, "require": ["exp"]},
        )
        expires = int(claims["exp"])
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as exc:
        raise NotAuthenticated("invalid token") from exc
    if now.timestamp() >= expires:
        raise NotAuthenticated("token expired; log in again")
    return user_id
