"""Police matters (警务事项) go to the police platform at once; its reference comes back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from dispatch.events.models import EventKind
from dispatch.orders.actors import Actor
from dispatch.orders.event_log import log_event
from dispatch.orders.models import WorkOrder
from hotline.outbox.models import OutboxMessage

DESTINATION = "police"
PLATFORM = Actor.system("police-platform")


def referral(order: WorkOrder, routed: dict[str, Any]) -> dict[str, Any]:
    """What the police platform needs to act: the facts, the place, a way to call back."""
    return {
        "order_number": order.number,
        "category": order.category_code,
        "priority": order.priority.value,
        "description": order.description,
        "caller": {"name": order.caller_name, "phone": order.caller_phone},
        "address": {
            "community": order.community_code,
            "compound": order.compound_code,
            "building": order.building,
            "text": order.address_text,
        },
        "received_at": order.created_at.isoformat(),
        "rule": routed.get("rule_name"),
    }


def handed_to_police(
    session: Session, message: OutboxMessage, reference: str | None, now: datetime
) -> None:
    """After the platform took it: the order shows "handed to police" with its reference."""
    order = session.get(WorkOrder, message.order_id) if message.order_id else None
    if order is None:
        return
    data = {"platform_reference": reference, "outbox_id": message.id}
    log_event(session, order, EventKind.handed_to_police, PLATFORM, now, data)
