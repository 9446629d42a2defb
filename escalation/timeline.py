"""Events of our own kinds on the order timeline (the event kind column is a plain string)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from dispatch.orders import event_log
from dispatch.orders.actors import Actor
from dispatch.orders.models import WorkOrder


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
    """dispatch.orders.event_log.log_event, for kinds dispatch does not know."""
    event_log.log_event(session, order, kind, actor, now, data)
