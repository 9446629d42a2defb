"""The phone guard: whatever an event carries, a team's copy has no callable phone number."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from dispatch.events.bus import EventMessage
from dispatch.live import protocol


def test_team_copy_of_an_event_masks_phone_numbers_the_desk_copy_keeps_them() -> None:
    data = {
        "status": "dispatched",
        "text": "请联系陈女士13812345678，或座机0951-5012345",
        "caller_phone": "+86 139 1234 5678",
        "callers": [{"phone": "13700001111"}],
    }
    at = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)
    message = EventMessage(7, 1, "WO-1", "screen_pop", "rules", None, at, data, ("water",))

    team = json.loads(protocol.event(message, for_team=True))
    desk = json.loads(protocol.event(message, for_team=False))

    assert team["data"] == {
        "status": "dispatched",
        "text": "请联系陈女士138****5678，或座机0951-********",
        "caller_phone": "139****5678",
        "callers": [{"phone": "137****1111"}],
    }
    assert desk["data"] == data
    assert team["id"] == 7 and team["status"] == "dispatched" and team["team_codes"] == ["water"]
