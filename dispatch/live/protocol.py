"""The messages on `/ws`, as JSON text frames, and the close codes.

Server to client:
  {"type": "ready", "last_event_id": N, "role": ..., "team_code": ...}  replay done, live now
  {"type": "event", "id": N, "order_id", "order_number", "kind", "status", "actor", "at",
   "team_codes": [...], "reporter_id": user id of a patrol report's reporter or null,
   "data": {...}}
  {"type": "heartbeat", "at": iso}
  {"type": "resync", "reason": "queue_overflow"}  then close 4409: reconnect with your last id
Client to server (only when the token is not in the query string), as the first message:
  {"type": "auth" | "resume", "token": "...", "last_event_id": N (optional)}
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from dispatch.events.bus import EventMessage
from dispatch.phones import mask_phones

CLOSE_BAD_HANDSHAKE = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_RESYNC = 4409


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
            "reporter_id": message.reporter_id,
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
