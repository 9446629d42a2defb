"""修改工单: the desk corrects an order's facts after intake (a category or an address taken
down wrong), so that reports, hot spots and the team read what really happened. Each change
is on the timeline with what it was; the order stays with its teams (改派 moves it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from dispatch.events.models import EventKind
from dispatch.orders import event_log, lifecycle
from dispatch.orders.actors import Actor
from dispatch.orders.models import WorkOrder
from dispatch.orders.schemas import OrderCorrection
from dispatch.orders.service import require_category, resolve_place


def correct(
    session: Session, order: WorkOrder, actor: Actor, now: datetime, data: OrderCorrection
) -> dict[str, Any]:
    """Apply the fields given; returns the changes (empty: nothing differed, no event)."""
    lifecycle.require_allowed(order, "correct")
    new: dict[str, Any] = {}
    if data.category is not None:
        new["category_code"] = require_category(session, data.category).code
    if data.priority is not None:
        new["priority"] = data.priority
    if data.description is not None:
        new["description"] = data.description
    if data.address is not None:
        place = resolve_place(session, data.address)
        new.update(
            community_code=place.community,
            compound_code=place.compound,
            building=data.address.building,
            address_text=data.address.text,
        )
    changes = apply_changes(order, new)
    if changes:
        session.add(order)
        event_log.log_event(session, order, EventKind.updated, actor, now, {"changes": changes})
    return changes


def apply_changes(order: WorkOrder, new: dict[str, Any]) -> dict[str, Any]:
    """Set what differs; returns {field: {"from": old, "to": new}} in plain JSON values."""
    changes: dict[str, Any] = {}
    for name, value in new.items():
        if getattr(order, name) != value:
            changes[name] = {"from": plain(getattr(order, name)), "to": plain(value)}
            setattr(order, name, value)
    return changes


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return getattr(value, "value", value)
