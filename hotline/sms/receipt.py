"""受理短信: a resident who phoned gets the order's number by text, and how to ask where it
stands (查询进度), as 12345 does. Sent through the outbox like every text."""

from __future__ import annotations

from typing import Any

from dispatch.events.bus import EventMessage
from dispatch.orders.models import Channel, WorkOrder
from dispatch.phones import takes_texts
from hotline.sms import survey

DESTINATION = survey.DESTINATION  # texts to residents, one stream per order: receipt first
BODY = "您反映的问题已受理，工单号 {number}。如需了解办理进度，请回复“查询”。"


def receipt(message: EventMessage, order: WorkOrder) -> dict[str, Any] | None:
    """On the phone order's `routed` (once, at intake, whether a rule took it or triage did):
    its number for the caller. A call answered at the desk is never routed (heard in the
    call); a text is answered in the conversation. Not for a confidential order either (a
    text on a shared phone can endanger the caller), nor a number that takes no texts."""
    if message.kind != "routed" or order.channel != Channel.phone or order.confidential:
        return None
    if not order.caller_phone or not takes_texts(order.caller_phone):
        return None
    body = BODY.format(number=order.number)
    return {"to": order.caller_phone, "body": body, "order_number": order.number}
