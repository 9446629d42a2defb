"""An order's photos: adding one (who may, how many, the event that tells the desk) and
reading them back."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from dispatch.database import unread
from dispatch.errors import Conflict, Gone, NotFound
from dispatch.events.models import EventKind
from dispatch.orders import event_log, lifecycle
from dispatch.orders.actors import Actor
from dispatch.orders.models import WorkOrder
from dispatch.photos.images import FIELD, prepare
from dispatch.photos.models import OrderPhoto

# Enough for before, during and after at several spots; a camera left on burst is not.
MAX_PHOTOS_PER_ORDER = 30


def add_photo(
    session: Session, order: WorkOrder, actor: Actor, now: datetime, raw: bytes, caption: str = ""
) -> OrderPhoto:
    """While the order is being handled or just resolved (the lifecycle's `add_photo`): after
    it is closed or cancelled the record is what it is.

    The same picture sent to the same order again is the photo it already has: a phone on a
    weak signal sends again when the answer to a stored upload was lost, and the order must
    not show the scene twice."""
    assert order.id is not None
    lifecycle.require_allowed(order, "add_photo")  # before the picture is decoded and resized
    prepared = prepare(raw)
    digest = hashlib.sha256(prepared.image).hexdigest()
    already = session.exec(
        select(OrderPhoto)
        .where(OrderPhoto.order_id == order.id, OrderPhoto.sha256 == digest)
        .options(*unread(OrderPhoto.image, OrderPhoto.thumbnail))
    ).first()
    if already is not None:
        return already
    if photo_count(session, order) >= MAX_PHOTOS_PER_ORDER:
        raise Conflict(
            f"order {order.number} already has {MAX_PHOTOS_PER_ORDER} photos", field=FIELD
        )
    photo = OrderPhoto(
        order_id=order.id,
        at=now,
        actor=actor.label,
        actor_id=actor.user_id,
        team_code=actor.team_code,
        caption=caption,
        width=prepared.width,
        height=prepared.height,
        image=prepared.image,
        thumbnail=prepared.thumbnail,
        sha256=digest,
        size_bytes=len(prepared.image),
    )
    session.add(photo)
    session.flush()
    data = {"photo_id": photo.id, "caption": caption}
    event_log.log_event(session, order, EventKind.photo_added, actor, now, data)
    return photo


def photo_count(session: Session, order: WorkOrder) -> int:
    query = select(func.count()).select_from(OrderPhoto).where(OrderPhoto.order_id == order.id)
    return int(session.exec(query).one())


def photos_of(session: Session, order: WorkOrder) -> Sequence[OrderPhoto]:
    """Oldest first, without the pictures themselves: a list must not read megabytes."""
    return session.exec(
        select(OrderPhoto)
        .where(OrderPhoto.order_id == order.id)
        .options(*unread(OrderPhoto.image, OrderPhoto.thumbnail))
        .order_by(col(OrderPhoto.id))
    ).all()


def picture(session: Session, order: WorkOrder, photo_id: int, *, thumbnail: bool) -> bytes:
    column = col(OrderPhoto.thumbnail) if thumbnail else col(OrderPhoto.image)
    found = session.exec(
        select(column, OrderPhoto.archived_at, OrderPhoto.archived_as).where(
            OrderPhoto.id == photo_id, OrderPhoto.order_id == order.id
        )
    ).first()
    if found is None:
        raise NotFound(f"order {order.number} has no photo {photo_id}", field="photo_id")
    data, archived_at, archived_as = found
    if archived_at is not None and not thumbnail:
        raise Gone(
            f"the full picture of photo {photo_id} was moved to the photo archive"
            f" ({archived_as}) on {archived_at.date()}; its thumbnail stays",
            field="photo_id",
        )
    return bytes(data)
