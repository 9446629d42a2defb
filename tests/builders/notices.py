"""What the desk queued to tell people (push, SMS, voice), read back from the database."""

from __future__ import annotations

from sqlmodel import col, select

from dispatch.database import Database
from dispatch.notify.models import NotificationDelivery


def notices(db: Database, ref_part: str) -> list[tuple[str, str, str]]:
    """(channel, recipient, message) of every notice whose ref contains `ref_part`, in order."""
    with db.session() as session:
        rows = session.exec(
            select(NotificationDelivery)
            .where(col(NotificationDelivery.ref).contains(ref_part))
            .order_by(col(NotificationDelivery.id))
        ).all()
    return [(r.channel.value, r.recipient, r.message) for r in rows]
