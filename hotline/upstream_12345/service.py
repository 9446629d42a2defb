"""12345 orders become work orders once; later versions update them, older ones are ignored.
Their scene photos go back with the 办结, and open from the link sent."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dispatch.categories.models import Category
from dispatch.errors import Gone, NotFound
from dispatch.events.models import EventKind
from dispatch.orders import event_log
from dispatch.orders.actors import Actor
from dispatch.orders.corrections import apply_changes, plain
from dispatch.orders.models import Priority, WorkOrder
from dispatch.orders.schemas import Address, Caller, OrderCreate
from dispatch.photos.models import OrderPhoto
from dispatch.places.models import Community, Compound
from dispatch.settings import Settings
from hotline.intake import Intake
from hotline.upstream_12345.feedback import MAX_PHOTOS, ScenePhoto
from hotline.upstream_12345.models import UpstreamOrder
from hotline.upstream_12345.photo_links import photo_url
from hotline.upstream_12345.schemas import (
    Outcome,
    UpstreamAddress,
    UpstreamOrderAck,
    UpstreamOrderIn,
)

PLATFORM = Actor.system("12345")
PRIORITY = {"emergency": Priority.P1, "urgent": Priority.P2, "normal": None, "low": Priority.P4}


def find(session: Session, upstream_number: str) -> UpstreamOrder | None:
    return session.exec(
        select(UpstreamOrder).where(UpstreamOrder.upstream_number == upstream_number)
    ).first()


def for_order(session: Session, order_id: int) -> UpstreamOrder | None:
    return session.exec(select(UpstreamOrder).where(UpstreamOrder.order_id == order_id)).first()


def scene_photos(
    session: Session, order_id: int, settings: Settings, issued_at: datetime
) -> list[ScenePhoto]:
    """The newest photos still in the database, oldest first, with links issued at
    `issued_at`: the event's time, so the message is the same however often it is built.

    The sha256 and size are those kept since upload: this runs inside the 办结's transaction,
    which should not read nine full pictures to hash them."""
    rows = session.execute(
        sa_select(
            col(OrderPhoto.id),
            col(OrderPhoto.at),
            col(OrderPhoto.caption),
            col(OrderPhoto.sha256),
            col(OrderPhoto.size_bytes),
        )
        .where(col(OrderPhoto.order_id) == order_id, col(OrderPhoto.archived_at).is_(None))
        .order_by(col(OrderPhoto.at).desc(), col(OrderPhoto.id).desc())
        .limit(MAX_PHOTOS)
    ).all()
    unknown = [photo_id for photo_id, _, _, sha256, size in rows if sha256 is None or size is None]
    digests = _digests_from_pictures(session, unknown) if unknown else {}
    photos = []
    for photo_id, at, caption, sha256, size in reversed(rows):
        if photo_id is None:
            continue
        if sha256 is None or size is None:
            sha256, size = digests[photo_id]
        url = photo_url(settings, photo_id, issued_at)
        photos.append(ScenePhoto(photo_id, at, caption, url, sha256=sha256, bytes=size))
    return photos


def _digests_from_pictures(session: Session, photo_ids: list[int]) -> dict[int, tuple[str, int]]:
    """For a photo stored before its digest was kept, which migration 0017 should have filled
    in: read the picture after all rather than fail the 办结."""
    found = session.exec(
        select(OrderPhoto.id, OrderPhoto.image).where(col(OrderPhoto.id).in_(photo_ids))
    ).all()
    return {
        photo_id: (hashlib.sha256(image).hexdigest(), len(image))
        for photo_id, image in found
        if photo_id is not None
    }


def scene_picture(session: Session, photo_id: int) -> bytes:
    """The full picture of a photo of a 12345 order; any other order's is as good as missing,
    whoever signed the link."""
    found = session.exec(
        select(OrderPhoto.image, OrderPhoto.archived_at)
        .join(UpstreamOrder, col(UpstreamOrder.order_id) == col(OrderPhoto.order_id))
        .where(OrderPhoto.id == photo_id)
    ).first()
    if found is None:
        raise NotFound(f"no photo {photo_id}", field="photo")
    image, archived_at = found
    if archived_at is not None:
        # Where in the desk's archive it went is the desk's business, not the link holder's.
        raise Gone(
            f"photo {photo_id} was moved to the desk's photo archive on {archived_at.date()};"
            " ask the desk for it",
            field="photo",
        )
    return bytes(image)


def receive(
    session: Session, data: UpstreamOrderIn, intake: Intake, now: datetime
) -> UpstreamOrderAck:
    """Take one delivery of an upstream order: create, update, or recognise a repeat."""
    claim = UpstreamOrder(
        upstream_number=data.upstream_number,
        version=data.version,
        upstream_deadline=data.deadline,
        received_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():  # the unique number is the lock: one order, never two
            session.add(claim)
    except IntegrityError:
        existing = find(session, data.upstream_number)
        assert existing is not None and existing.order_id is not None
        return _again(session, existing, data, now)
    order = intake.create(session, _order_data(session, data, intake), actor=PLATFORM, now=now)
    claim.order_id = order.id
    session.add(claim)
    _apply_deadline(session, order, data.deadline)
    return _ack(data, order, "created")


def _again(
    session: Session, row: UpstreamOrder, data: UpstreamOrderIn, now: datetime
) -> UpstreamOrderAck:
    order = session.get(WorkOrder, row.order_id)
    assert order is not None
    if data.version == row.version:
        return _ack(data, order, "duplicate")
    if data.version < row.version:  # arrived late, after a newer version: nothing to change
        return _ack(data, order, "stale_version_ignored")
    changes = _update(session, order, data)
    event_log.log_event(
        session,
        order,
        EventKind.updated,
        PLATFORM,
        now,
        {"upstream_version": data.version, "from_version": row.version, "changes": changes},
    )
    row.version = data.version
    row.upstream_deadline = data.deadline
    row.updated_at = now
    session.add(row)
    return _ack(data, order, "updated")


def _update(session: Session, order: WorkOrder, data: UpstreamOrderIn) -> dict[str, Any]:
    new = {
        "description": data.content,
        "address_text": data.address.text or order.address_text,
        "caller_name": data.caller.name or order.caller_name,
    }
    priority = PRIORITY[data.urgency]
    if priority is not None and priority < order.priority:
        new["priority"] = priority
    changes = apply_changes(order, new)
    before = order.resolve_due_at
    _apply_deadline(session, order, data.deadline)
    if order.resolve_due_at != before:
        changes["resolve_due_at"] = {"from": plain(before), "to": plain(order.resolve_due_at)}
    return changes


def _apply_deadline(session: Session, order: WorkOrder, deadline: datetime | None) -> None:
    """The platform's deadline binds us: the resolve deadline is never later than it."""
    if deadline is None:
        return
    deadline = deadline.astimezone(UTC)
    if order.resolve_due_at is None or deadline < order.resolve_due_at:
        order.resolve_due_at = deadline
        session.add(order)
        session.flush()


def _category(session: Session, given: str) -> str:
    if session.get(Category, given) is not None:
        return given
    by_name = session.exec(select(Category).where(Category.name == given)).first()
    return by_name.code if by_name else "other"


def _address(session: Session, given: UpstreamAddress) -> Address:
    """Codes we know are kept; anything else the platform sent goes into the address text."""
    compound = given.compound if given.compound and session.get(Compound, given.compound) else None
    community = (
        given.community if given.community and session.get(Community, given.community) else None
    )
    if compound is not None:
        owner = session.get(Compound, compound)
        if owner is not None and community not in (None, owner.community_code):
            community = None
    unknown = [c for c in (given.community, given.compound) if c and c not in (community, compound)]
    text = " ".join(part for part in (given.text, *unknown) if part) or None
    return Address(community=community, compound=compound, building=given.building, text=text)


def _order_data(session: Session, data: UpstreamOrderIn, intake: Intake) -> OrderCreate:
    category = _category(session, data.category)
    tags = ["12345"] if category == data.category else ["12345", f"12345:{data.category}"[:60]]
    return OrderCreate(
        channel="12345",
        caller=Caller(name=data.caller.name, phone=intake.phone_or_none(data.caller.phone)),
        address=_address(session, data.address),
        category=category,
        description=data.content,
        priority=PRIORITY[data.urgency],
        tags=tags,
        upstream_ref=data.upstream_number,
    )


def _ack(data: UpstreamOrderIn, order: WorkOrder, outcome: Outcome) -> UpstreamOrderAck:
    return UpstreamOrderAck(
        upstream_number=data.upstream_number,
        version=data.version,
        order_number=order.number,
        status=order.status.value,
        outcome=outcome,
        received_at=order.created_at,
    )
