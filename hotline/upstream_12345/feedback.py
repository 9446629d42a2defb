"""Results the 12345 platform is told about: accepted, returned, resolved, callback, police."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dispatch.events.bus import EventMessage
from hotline.upstream_12345.models import UpstreamOrder

DESTINATION = "12345"
# A 办结's proof, not the order's whole album (up to 30): the newest nine show the scene as
# the team left it.
MAX_PHOTOS = 9

# our event kind -> the result type the platform receives
RESULT_TYPES = {
    "accepted": "accepted",
    "returned": "returned",
    "resolved": "resolved",
    "callback_recorded": "callback",
    "handed_to_police": "handed_to_police",
}


@dataclass(frozen=True)
class ScenePhoto:
    """A photo of the scene as the platform is told of it; `url` opens it without a login."""

    id: int
    taken_at: datetime
    caption: str
    url: str
    sha256: str
    bytes: int

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "taken_at": self.taken_at.isoformat(),
            "caption": self.caption,
            "url": self.url,
            "sha256": self.sha256,
            "bytes": self.bytes,
        }


def resolves_the_order(message: EventMessage) -> bool:
    """The lead team's 办结; an assisting team's part leaves the order unresolved."""
    return message.kind == "resolved" and message.data.get("role") in (None, "lead")


def feedback(
    message: EventMessage, upstream: UpstreamOrder, photos: Sequence[ScenePhoto] = ()
) -> tuple[str, dict[str, Any]] | None:
    """The platform's view of one of our events, or None if the platform need not know.

    `photos` go with a 办结 (see `resolves_the_order`).
    """
    result_type = RESULT_TYPES.get(message.kind)
    if result_type is None:
        return None
    data = message.data
    if result_type == "resolved" and not resolves_the_order(message):
        return None
    payload: dict[str, Any] = {
        "upstream_number": upstream.upstream_number,
        "order_number": message.order_number,
        "result_type": result_type,
        "at": message.at.isoformat(),
        "team": data.get("team"),
    }
    if result_type == "returned":
        payload |= {"reason_code": data.get("reason_code"), "reason": data.get("reason")}
    elif result_type == "resolved":
        payload |= {"result": data.get("result"), "photos": [p.payload() for p in photos]}
    elif result_type == "callback":
        payload |= {"satisfaction": data.get("satisfaction"), "note": data.get("note")}
    elif result_type == "handed_to_police":
        payload["police_reference"] = data.get("platform_reference")
    return result_type, payload
