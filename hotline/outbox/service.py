"""Writing, claiming and settling outbox messages. Services never commit; callers do.

Per-order ordering: a message is due only when every earlier message of the same stream
(destination + order) has been delivered, so results reach the platform in order even
when one of them needs many retries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from dispatch.errors import Conflict, NotFound
from hotline.outbox.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: timedelta = timedelta(seconds=10)
    max_delay: timedelta = timedelta(hours=1)
    max_attempts: int = 10

    def delay(self, attempts: int) -> timedelta:
        """Exponential: 10 s, 20 s, 40 s ... capped at an hour."""
        factor: int = 2 ** min(max(attempts - 1, 0), 30)
        return min(self.first_delay * factor, self.max_delay)


def enqueue(
    session: Session,
    *,
    destination: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    order_id: int | None = None,
    event_id: int | None = None,
) -> OutboxMessage | None:
    """Add a message in the caller's transaction; the same event twice is stored once."""
    message = OutboxMessage(
        destination=destination,
        kind=kind,
        order_id=order_id,
        event_id=event_id,
        payload=payload,
        status=OutboxStatus.pending,
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return None
    return message


def _earlier_unfinished() -> Any:
    earlier = aliased(OutboxMessage)
    return exists().where(
        col(earlier.destination) == col(OutboxMessage.destination),
        col(earlier.order_id) == col(OutboxMessage.order_id),
        col(earlier.id) < col(OutboxMessage.id),
        col(earlier.status) != OutboxStatus.delivered,
    )


def due(session: Session, now: datetime, limit: int) -> Sequence[OutboxMessage]:
    """Pending messages whose time has come, each the head of its stream, oldest first."""
    return session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.pending,
            col(OutboxMessage.next_attempt_at) <= now,
            or_(col(OutboxMessage.locked_until).is_(None), col(OutboxMessage.locked_until) < now),
            or_(col(OutboxMessage.order_id).is_(None), ~_earlier_unfinished()),
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    ).all()


def claim(session: Session, message_id: int, now: datetime, lease: timedelta) -> bool:
    """Take a message for one delivery attempt; two workers never both win."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            and_(
                col(OutboxMessage.id) == message_id,
                col(OutboxMessage.status) == OutboxStatus.pending,
                or_(
                    col(OutboxMessage.locked_until).is_(None),
                    col(OutboxMessage.locked_until) < now,
                ),
            )
        )
        .values(locked_until=now + lease)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def delivered(
    session: Session, message: OutboxMessage, now: datetime, reference: str | None
) -> None:
    message.status = OutboxStatus.delivered
    message.attempts += 1
    message.delivered_at = now
    message.locked_until = None
    message.reference = reference[:200] if reference else None
    message.last_error = None
    session.add(message)
    session.flush()


def attempt_failed(
    session: Session, message: OutboxMessage, now: datetime, error: str, policy: RetryPolicy
) -> None:
    """Try again later (exponential backoff); after the last attempt it is failed, for people."""
    message.attempts += 1
    message.last_error = error[:1000]
    message.locked_until = None
    if message.attempts >= policy.max_attempts:
        message.status = OutboxStatus.failed
    else:
        message.next_attempt_at = now + policy.delay(message.attempts)
    session.add(message)
    session.flush()


def retry(session: Session, message_id: int, now: datetime) -> OutboxMessage:
    """A supervisor sends a failed message again (and unblocks the messages behind it)."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(f"no outbox message {message_id}", field="id")
    if message.status != OutboxStatus.failed:
        raise Conflict(f"outbox message {message_id} is {message.status.value}, not failed")
    message.status = OutboxStatus.pending
    message.attempts = 0
    message.next_attempt_at = now
    message.locked_until = None
    session.add(message)
    session.flush()
    return message


@dataclass(frozen=True)
class OutboxFilter:
    status: OutboxStatus | None = None
    destination: str | None = None
    order_id: int | None = None


def listing(
    session: Session, flt: OutboxFilter, offset: int, limit: int
) -> tuple[Sequence[OutboxMessage], int, dict[str, int]]:
    query = select(OutboxMessage)
    if flt.status:
        query = query.where(OutboxMessage.status == flt.status)
    if flt.destination:
        query = query.where(OutboxMessage.destination == flt.destination)
    if flt.order_id is not None:
        query = query.where(OutboxMessage.order_id == flt.order_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(OutboxMessage.id).desc()).offset(offset).limit(limit)
    ).all()
    counts = {s.value: 0 for s in OutboxStatus}
    for status, count in session.exec(
        select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))
    ).all():
        counts[OutboxStatus(status).value] = int(count)
    return rows, int(total), counts
