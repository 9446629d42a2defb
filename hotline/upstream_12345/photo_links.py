"""Links to the scene photos of a 12345 order, opened by the platform without a login.

`sig` is the 12345 shared secret's signature (hotline/signing.py) of `expires.photo:<id>`:
only we and the platform hold that secret, and a link opens one photo until one moment. The
same secret signs what we send the platform, so no second secret needs to be kept and
handed over.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from dispatch.errors import Forbidden
from dispatch.settings import Settings
from hotline.signing import signature, signed_by
from hotline.twilio.signature import public_url

PATH = "/hotline/12345/photos/{photo_id}"


def _signed_text(photo_id: int) -> bytes:
    # The prefix keeps a link's signature apart from any pushed order's (`timestamp.body`).
    return f"photo:{photo_id}".encode()


def expiry(settings: Settings, issued_at: datetime) -> int:
    """Unix seconds when a link issued at `issued_at` stops opening."""
    lifetime = timedelta(days=settings.upstream_12345_photo_link_days)
    return int((issued_at + lifetime).timestamp())


def photo_url(settings: Settings, photo_id: int, issued_at: datetime) -> str:
    """The absolute link, on our public address: the platform fetches it from outside."""
    expires = expiry(settings, issued_at)
    sig = signature(settings.upstream_12345_secret, str(expires), _signed_text(photo_id))
    query = urlencode({"expires": expires, "sig": sig})
    return public_url(settings, PATH.format(photo_id=photo_id), query)


def check(secret: str, photo_id: int, expires: int | None, sig: str, now: datetime) -> int:
    """The seconds the link has left; 403 if we did not sign it or it has run out.

    The signature is checked first: only someone holding a link of ours learns whether it
    expired, or anything of the photo behind it.
    """
    if not secret:
        raise Forbidden("photo links are refused: no 12345 secret is configured", field="sig")
    if expires is None or not sig:
        raise Forbidden("the link is not signed: it needs expires and sig", field="sig")
    if not signed_by(secret, str(expires), _signed_text(photo_id), sig):
        raise Forbidden("bad signature for this photo and expiry", field="sig")
    left = expires - int(now.timestamp())
    if left <= 0:
        ended = datetime.fromtimestamp(expires, UTC).isoformat()
        raise Forbidden(f"the link expired at {ended}", field="expires")
    return left
