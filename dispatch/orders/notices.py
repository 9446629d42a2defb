"""What a member is told when the leader hands them an order (组内派工): push and SMS to their
own phone, so a volunteer out in the compound hears of it without the page open. Queued in
the transaction that records the `handed_over` event (registered with `db.bus.on_recorded`):
no notice for a hand-over that was not stored, none stored goes untold."""

from __future__ import annotations

from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from dispatch.auth.models import User
from dispatch.categories.models import Category
from dispatch.events.bus import EventBus, EventMessage
from dispatch.events.models import EventKind
from dispatch.notify.service import push_and_sms
from dispatch.orders.models import WorkOrder
from dispatch.places.service import area_name, place_line
from dispatch.reference import reference_row

HEADING = "【派工】"


def place_text(session: Session, order: WorkOrder) -> str:
    """金地花园D区8号楼: where to go, as the member would say it."""
    area = area_name(session, order.compound_code, order.community_code)
    # Stripped: what was typed may carry stray spaces, and a text message shows them.
    return place_line(area, building=order.building, said=order.address_text).strip()


def notice_text(session: Session, heading: str, order: WorkOrder, news: str) -> str:
    """【heading】number｜category｜place｜news: the job and where, never the caller."""
    category = reference_row(session, Category, order.category_code)
    parts = [order.number, category.name if category else order.category_code]
    place = place_text(session, order)
    if place:
        parts.append(place)
    parts.append(news)
    return heading + "｜".join(parts)


def hand_over_text(session: Session, order: WorkOrder, leader: str, note: str) -> str:
    """Who the caller is stays off the member's phone: the text names the job, not the caller."""
    return notice_text(
        session, HEADING, order, f"队长 {leader} 交给您办理" + (f"：{note}" if note else "")
    )


def tell_member(session: Session, message: EventMessage) -> list[str]:
    """Push and SMS to the member the order was handed to; returns who was told."""
    member = session.exec(select(User).where(User.username == message.data["member"])).first()
    order = session.get(WorkOrder, message.order_id)
    if member is None or order is None or member.id == message.actor_id:
        return []  # a leader who keeps the job for himself needs no message about it
    leader = session.get(User, message.actor_id) if message.actor_id is not None else None
    text = hand_over_text(
        session, order, leader.display_name if leader else message.actor, message.data["note"]
    )
    return push_and_sms(
        session, member, text, now=message.at, ref=f"handed_over:{message.id}", order_id=order.id
    )


def hand_over_notices(orm_session: OrmSession, message: EventMessage) -> None:
    """The bus handler: one `handed_over` event, one message per channel."""
    if message.kind != EventKind.handed_over.value:
        return
    session = orm_session
    assert isinstance(session, Session)  # the desk's units of work are SQLModel sessions
    tell_member(session, message)


def install_hand_over_notices(bus: EventBus) -> None:
    bus.on_recorded_once("hand_over_notices", hand_over_notices)
