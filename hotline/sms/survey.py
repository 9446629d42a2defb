"""回访 by text: when a phone or SMS order is resolved, the resident is asked 1, 2 or 3."""

from __future__ import annotations

from typing import Any

from dispatch.events.bus import EventMessage
from dispatch.orders.models import Channel, WorkOrder

DESTINATION = "sms"
SURVEYED_CHANNELS = (Channel.phone, Channel.sms)


def survey(message: EventMessage, order: WorkOrder) -> dict[str, Any] | None:
    if message.kind != "resolved" or message.data.get("role") not in (None, "lead"):
        return None
    if message.data.get("answered_at_desk"):
        return None  # 直接答复: the resident heard the answer in the call itself
    if order.channel not in SURVEYED_CHANNELS or not order.caller_phone:
        return None
    body = (
        f"您反映的问题（工单 {order.number}）已办结：{order.result or ''}。"
        "请回复数字评价：1 满意，2 基本满意，3 不满意。"
    )
    return {"to": order.caller_phone, "body": body, "order_number": order.number}
