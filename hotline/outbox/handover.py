"""交接班: the 12345 and police messages the next shift must chase, in the desk's snapshot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from dispatch.handovers.models import OpenWork
from dispatch.handovers.service import open_work
from dispatch.orders.models import WorkOrder
from hotline.outbox.models import OutboxMessage, OutboxStatus
from hotline.police.referral import DESTINATION as POLICE
from hotline.upstream_12345.feedback import DESTINATION as UPSTREAM_12345

QUEUE = "undelivered_to_platforms"
PLATFORMS = (UPSTREAM_12345, POLICE)  # a text to a resident that fails is not the desk's to chase


def undelivered_to_platforms(session: Session, now: datetime) -> OpenWork:
    """Orders with a message given up on (failed) or failing (retried) on its way to a
    platform: the platform counts the order late until it hears."""
    stuck = select(OutboxMessage.order_id).where(
        col(OutboxMessage.destination).in_(PLATFORMS),
        or_(
            col(OutboxMessage.status) == OutboxStatus.failed,
            and_(
                col(OutboxMessage.status) == OutboxStatus.pending, col(OutboxMessage.attempts) > 0
            ),
        ),
    )
    return open_work(
        session, col(WorkOrder.id).in_(stuck), col(WorkOrder.created_at).asc(), merged_too=True
    )
