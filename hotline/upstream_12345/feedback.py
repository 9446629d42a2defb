"""Results the 12345 platform is told about: accepted, returned, resolved, callback, police."""

from __future__ import annotations

from typing import Any

from dispatch.events.bus import EventMessage
from hotline.upstream_12345.models import UpstreamOrder

DESTINATION = "12345"

# our event kind -> the result type the platform receives
RESULT_TYPES = {
    "accepted": "accepted",
    "returned": "returned",
    "resolved": "resolved",
    "callback_recorded": "callback",
    "handed_to_police": "handed_to_police",
}


def feedback(message: EventMessage, upstream: UpstreamOrder) -> tuple[str, dict[str, Any]] | None:
    """The platform's view of one of our events, or None if the platform need not know."""
    result_type = RESULT_TYPES.get(message.kind)
    if result_type is None:
        return None
    data = message.data
    if result_type == "resolved" and data.get("role") not in (None, "lead"):
        return None  # an assisting team's part; the order is not resolved yet
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
        payload["result"] = data.get("result")
    elif result_type == "callback":
        payload |= {"satisfaction": data.get("satisfaction"), "note": data.get("note")}
    elif result_type == "handed_to_police":
        payload["police_reference"] = data.get("platform_reference")
    return result_type, payload
