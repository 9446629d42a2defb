"""Queue notifications inside the caller's transaction; cancel them when they no longer apply."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from dispatch.auth.models import User
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


def push_and_sms(
    session: Session,
    user: User,
    message: str,
    *,
    now: datetime,
    ref: str,
    order_id: int | None = None,
) -> list[str]:
    """To one person's phone: a push to their page and an SMS, where they have a number.
    Returns what was queued, as "channel:username"."""
    told: list[str] = []
    for channel in (NotifyChannel.push, NotifyChannel.sms):
        recipient = f"user:{user.username}" if channel == NotifyChannel.push else user.phone
        if not recipient:
            continue
        enqueue(
            session,
            recipient=recipient,
            channel=channel,
            message=message,
            now=now,
            ref=ref,
            order_id=order_id,
            user_id=user.id,
        )
        told.append(f"{channel.value}:{user.username}")
    return told


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
