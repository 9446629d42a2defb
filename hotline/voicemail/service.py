"""Which Twilio recording a voicemail note names, and whether it is one of this order's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from dispatch.errors import NotFound
from dispatch.events.models import EventKind, OrderEvent
from dispatch.orders.models import WorkOrder
from hotline.twilio.recordings import RECORDING_SID
from hotline.voice.service import IVR

# Notes written before they carried `recording_sid`: the RecordingUrl ends with it.
_SID_IN_URL = re.compile(r"/Recordings/(RE[0-9a-fA-F]{32})(?:\.\w+)?$")


def recording_sid_of(data: Mapping[str, Any]) -> str | None:
    """The recording a note names: its `recording_sid`, else the end of its `recording_url`."""
    sid = data.get("recording_sid")
    if isinstance(sid, str) and RECORDING_SID.fullmatch(sid):
        return sid
    url = data.get("recording_url")
    found = _SID_IN_URL.search(url) if isinstance(url, str) else None
    return found.group(1) if found else None


def voicemail_note(recording_sid: str, url: str, duration: str) -> dict[str, Any]:
    """The note a finished recording leaves on the call's order: how long, and which recording
    (the order page plays it through /api/v1/orders/{ref}/recordings/{sid}). The address, which
    names the Twilio account, stays in the data, out of the words a reader sees."""
    note: dict[str, Any] = {
        "text": f"语音留言（{duration}秒）",
        "source": "voicemail",
        "recording_url": url,
        "recording_duration": duration,
    }
    sid = recording_sid_of({"recording_sid": recording_sid, "recording_url": url})
    if sid:
        note["recording_sid"] = sid
    return note


def require_voicemail(session: Session, order: WorkOrder, recording_sid: str) -> None:
    """404 unless the IVR left a note on this order naming that recording."""
    notes = session.exec(
        select(OrderEvent.data).where(
            OrderEvent.order_id == order.id,
            OrderEvent.kind == EventKind.note_added.value,
            OrderEvent.actor == IVR.label,
            col(OrderEvent.actor_id).is_(None),
        )
    ).all()
    if not any(recording_sid_of(data) == recording_sid for data in notes):
        raise NotFound(
            f"order {order.number} has no voicemail {recording_sid}", field="recording_sid"
        )
