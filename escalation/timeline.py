"""Events of our own kinds on the order timeline (the event kind column is a plain string)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from dispatch.events import service as events
from dispatch.orders.actors import Actor
from dispatch.orders.models import WorkOrder
from dispatch.orders.parts import active_team_codes


class EscalationEventKind(StrEnum):
    extension_requested = "extension_requested"
    extension_refused = "extension_refused"
    callback_due = "callback_due"
    care_visit_created = "care_visit_created"


def log(
    session: Session,
    order: WorkOrder,
    kind: EscalationEventKind,
    actor: Actor,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    """Like dispatch.orders.event_log.log_event, for kinds dispatch does not know."""
    assert order.id is not None
    order.updated_at = now
    session.add(order)
    session.flush()
    events.record(
        session,
        order_id=order.id,
        order_number=order.number,
        kind=kind.value,
        actor=actor.label,
        actor_id=actor.user_id,
        at=now,
        data={"status": order.status.value, **(data or {})},
        team_codes=active_team_codes(session, order),
    )
