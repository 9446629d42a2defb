"""Queue notifications inside the caller's transaction; cancel them when they no longer apply."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from dispatch.database import insert_on_conflict
from dispatch.notify.models import DeliveryStatus, NotificationDelivery
from dispatch.notify.port import NotifyChannel

_TABLE = NotificationDelivery.__table__  # type: ignore[attr-defined]


def enqueue(
    session: Session,
    *,
    recipient: str,
    channel: NotifyChannel,
    message: str,
    now: datetime,
    ref: str = "",
    step_id: int | None = None,
    order_id: int | None = None,
    user_id: int | None = None,
) -> bool:
    """Add one delivery; False if this step already queued it for this person and channel."""
    statement = (
        insert_on_conflict(session, _TABLE)
        .values(
            step_id=step_id,
            order_id=order_id,
            user_id=user_id,
            recipient=recipient,
            channel=channel.value,
            message=message[:1000],
            ref=ref[:100],
            status=DeliveryStatus.pending.value,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["step_id", "recipient", "channel"])
        .returning(_TABLE.c.id)
    )
    return session.execute(statement).scalar() is not None


def cancel_pending(session: Session, step_ids: Sequence[int]) -> int:
    """Stop messages not yet sent (acceptance stops the accept chain on every channel)."""
    if not step_ids:
        return 0
    result = session.execute(
        update(NotificationDelivery)
        .where(
            col(NotificationDelivery.step_id).in_(list(step_ids)),
            col(NotificationDelivery.status) == DeliveryStatus.pending.value,
        )
        .values(status=DeliveryStatus.cancelled.value)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
