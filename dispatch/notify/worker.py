"""The delivery worker: claim due rows, send each outside any transaction, record the outcome.

A claim is a conditional UPDATE (status and due time unchanged), so two workers never send
one row at the same time; a worker that dies mid-send leaves a lease that expires, and the
row is tried again (at-least-once towards the provider, as with any external send).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from dispatch.database import Database
from dispatch.notify.models import DeliveryStatus, NotificationDelivery
from dispatch.notify.port import Notifier, SendResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryPolicy:
    max_attempts: int = 6
    backoff_base: timedelta = timedelta(seconds=30)
    backoff_max: timedelta = timedelta(minutes=30)
    lease: timedelta = timedelta(minutes=2)

    def backoff(self, attempts: int) -> timedelta:
        """30 s, 1 min, 2 min, 4 min ... capped."""
        delay: timedelta = self.backoff_base * (2 ** max(attempts - 1, 0))
        return min(delay, self.backoff_max)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _due_ids(session: Session, now: datetime, limit: int) -> Sequence[int | None]:
    return session.exec(
        select(NotificationDelivery.id)
        .where(
            or_(
                col(NotificationDelivery.status) == DeliveryStatus.pending.value,
                col(NotificationDelivery.status) == DeliveryStatus.sending.value,
            ),
            col(NotificationDelivery.next_attempt_at) <= now,
        )
        .order_by(col(NotificationDelivery.next_attempt_at))
        .limit(limit)
    ).all()


def _claim(
    db: Database, row_id: int, now: datetime, lease: timedelta
) -> NotificationDelivery | None:
    with db.session(write=True) as session:
        claimed = session.execute(
            update(NotificationDelivery)
            .where(
                col(NotificationDelivery.id) == row_id,
                col(NotificationDelivery.status).in_(
                    [DeliveryStatus.pending.value, DeliveryStatus.sending.value]
                ),
                col(NotificationDelivery.next_attempt_at) <= now,
            )
            .values(
                status=DeliveryStatus.sending.value,
                attempts=NotificationDelivery.attempts + 1,
                next_attempt_at=now + lease,
            )
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return session.get(NotificationDelivery, row_id)


def _record(
    db: Database, row: NotificationDelivery, result: SendResult, now: datetime, p: DeliveryPolicy
) -> DeliveryStatus:
    with db.session(write=True) as session:
        stored = session.get(NotificationDelivery, row.id)
        if stored is None:
            return DeliveryStatus.failed
        if result.ok:
            stored.status, stored.sent_at = DeliveryStatus.sent, now
            stored.provider_ref, stored.last_error = result.provider_ref, None
        elif result.retryable and stored.attempts < p.max_attempts:
            stored.status = DeliveryStatus.pending
            stored.next_attempt_at = now + p.backoff(stored.attempts)
            stored.last_error = (result.error or "send failed")[:500]
        else:
            stored.status = DeliveryStatus.failed
            stored.last_error = (result.error or "send failed")[:500]
        session.add(stored)
        return stored.status


def deliver_due(
    db: Database,
    notifier: Notifier,
    now: datetime,
    *,
    limit: int = 100,
    policy: DeliveryPolicy | None = None,
) -> DeliveryReport:
    policy = policy or DeliveryPolicy()
    report = DeliveryReport()
    with db.session() as session:
        ids = [i for i in _due_ids(session, now, limit) if i is not None]
    for row_id in ids:
        row = _claim(db, row_id, now, policy.lease)
        if row is None:
            continue  # another worker has it
        try:
            result = notifier.send(row.recipient, row.channel, row.message, row.ref)
        except Exception as exc:  # a provider bug is a failed attempt, not a dead worker
            log.exception("notifier raised for delivery %s", row_id)
            result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
        status = _record(db, row, result, now, policy)
        if status == DeliveryStatus.sent:
            report.sent += 1
        elif status == DeliveryStatus.pending:
            report.retrying += 1
        else:
            report.failed += 1
    return report
