"""The messages on `/ws`, as JSON text frames, and the close codes.

Server to client:
  {"type": "ready", "last_event_id": N, "role": ..., "team_code": ...}  replay done, live now
  {"type": "event", "id": N, "order_id", "order_number", "kind", "status", "actor", "at",
   "team_codes": [...], "data": {...}}
  {"type": "heartbeat", "at": iso}
  {"type": "resync", "reason": "queue_overflow"}  then close 4409: reconnect with your last id
Client to server (only when the token is not in the query string), as the first message:
  {"type": "auth" | "resume", "token": "...", "last_event_id": N (optional)}
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from dispatch.events.bus import EventMessage

CLOSE_BAD_HANDSHAKE = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_RESYNC = 4409

# Mainland mobiles (with or without +86) and landlines with an area code.
_PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)|(?<!\d)(0\d{2,3})-?\d{7,8}(?!\d)"
)
_PHONE_KEY = re.compile(r"phone|mobile|tel|caller", re.IGNORECASE)


def _mask_text(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}****{match.group(2)}"
        return f"{match.group(3)}-********"

    return _PHONE.sub(repl, text)


def mask_phones(value: Any, *, key: str = "") -> Any:
    """The guard for team roles: no phone number leaves in an event, whatever its shape.

    Event data carries no phones today; this keeps it so if a later event kind adds one.
    """
    if isinstance(value, dict):
        return {k: mask_phones(v, key=str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_phones(v, key=key) for v in value]
    if isinstance(value, str):
        masked = _mask_text(value)
        if masked == value and _PHONE_KEY.search(key) and sum(c.isdigit() for c in value) >= 7:
            digits = [c for c in value if c.isdigit()]
            if len(digits) == 13 and value.lstrip().startswith(("+86", "86")):
                digits = digits[2:]
            return f"{''.join(digits[:3])}****{''.join(digits[-4:])}"
        return masked
    return value


def _dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def event(message: EventMessage, *, for_team: bool) -> str:
    data = mask_phones(message.data) if for_team else message.data
    return _dumps(
        {
            "type": "event",
            "id": message.id,
            "order_id": message.order_id,
            "order_number": message.order_number,
            "kind": message.kind,
            "status": message.data.get("status"),
            "actor": message.actor,
            "at": message.at.isoformat(),
            "team_codes": list(message.team_codes),
            "data": data,
        }
    )


def heartbeat(at: datetime) -> str:
    return _dumps({"type": "heartbeat", "at": at.isoformat()})


def resync(reason: str) -> str:
    return _dumps({"type": "resync", "reason": reason})


def ready(last_event_id: int, role: str, team_code: str | None) -> str:
    return _dumps(
        {"type": "ready", "last_event_id": last_event_id, "role": role, "team_code": team_code}
    )
