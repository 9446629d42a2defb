"""Inside the transaction that records an order event: what must leave the desk because of it.

Registered with `db.bus.on_recorded`, so the outbox row commits or rolls back with the change;
the settings sign the links to the scene photos a 办结 sends 12345.
"""

from __future__ import annotations

from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from dispatch.events.bus import EventMessage
from dispatch.orders.models import WorkOrder
from dispatch.settings import Settings
from hotline.outbox.service import enqueue
from hotline.police import referral as police
from hotline.sms import receipt, survey
from hotline.upstream_12345 import feedback
from hotline.upstream_12345.service import for_order, scene_photos

WATCHED = frozenset({"routed", "resolved", *feedback.RESULT_TYPES})


def record_outgoing(orm_session: OrmSession, message: EventMessage, *, settings: Settings) -> None:
    if message.kind not in WATCHED:
        return
    session = orm_session
    assert isinstance(session, Session)  # the desk's units of work are SQLModel sessions
    order = session.get(WorkOrder, message.order_id)
    if order is None:
        return

    def put(destination: str, kind: str, payload: dict[str, object]) -> None:
        enqueue(
            session,
            destination=destination,
            kind=kind,
            payload=payload,
            now=message.at,
            order_id=message.order_id,
            event_id=message.id,
        )

    if message.kind == "routed" and message.data.get("police_matter"):
        put(police.DESTINATION, "referral", police.referral(order, message.data))
    if message.kind in feedback.RESULT_TYPES:
        upstream = for_order(session, message.order_id)
        if upstream is not None:
            photos = (
                scene_photos(session, message.order_id, settings, message.at)
                if feedback.resolves_the_order(message)
                else []
            )
            result = feedback.feedback(message, upstream, photos)
            if result is not None:
                put(feedback.DESTINATION, result[0], result[1])
    told = receipt.receipt(message, order)
    if told is not None:
        put(receipt.DESTINATION, "receipt", told)
    asked = survey.survey(message, order)
    if asked is not None:
        put(survey.DESTINATION, "survey", asked)
