"""A call's progress through the menu, and the one work order it becomes (keyed by CallSid)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dispatch.events.models import EventKind, OrderEvent
from dispatch.orders.actors import Actor
from dispatch.orders.event_log import log_event
from dispatch.orders.models import Priority, WorkOrder
from dispatch.orders.schemas import Caller, OrderCreate
from dispatch.residents.service import assisted
from hotline.intake import Intake
from hotline.progress import callers_orders, where_it_stands
from hotline.voice.models import CallRecord
from hotline.voice.script import IvrScript, MenuChoice

IVR = Actor.system("ivr")
FINAL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
EARLIER_ORDERS_SHOWN = 5


def find_call(session: Session, call_sid: str) -> CallRecord | None:
    return session.exec(select(CallRecord).where(CallRecord.call_sid == call_sid)).first()


def open_call(
    session: Session, params: dict[str, str], intake: Intake, now: datetime
) -> CallRecord:
    """The call's record, created on first sight; a retried webhook finds the same row."""
    sid = params.get("CallSid", "")
    call = find_call(session, sid)
    if call is not None:
        return call
    raw_from = params.get("From", "")
    call = CallRecord(
        call_sid=sid,
        from_number=raw_from[:32],
        to_number=params.get("To", "")[:32],
        caller_phone=intake.phone_or_none(raw_from),
        call_status=params.get("CallStatus", "ringing")[:16],
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(call)
    except IntegrityError:  # the same CallSid arrived twice at once; the first one won
        existing = find_call(session, sid)
        assert existing is not None
        return existing
    return call


def move(session: Session, call: CallRecord, step: str, now: datetime, **changes: Any) -> None:
    call.step = step
    for name, value in changes.items():
        setattr(call, name, value)
    call.updated_at = now
    session.add(call)
    session.flush()


class MenuAnswer(StrEnum):
    """What the caller's answer at the menu leads to; the route says it in TwiML."""

    english = "english"  # 9: the menu again, in English
    unknown_key = "unknown_key"  # a key the menu does not have: apologise, ask again
    describe = "describe"  # a topic was chosen: ask the caller to describe the problem
    progress = "progress"  # 查询进度: read the caller's latest orders; no order is made
    queued = "queued"  # an operator, or a topic guessed from speech: the order is made


def answer_menu(
    session: Session,
    call: CallRecord,
    key: str,
    speech: str,
    script: IvrScript,
    intake: Intake,
    now: datetime,
) -> tuple[MenuAnswer, MenuChoice | None]:
    """The caller pressed a key or spoke; no answer at all goes to an operator."""
    if key == "9":
        move(session, call, "menu", now, language="en-US")
        return MenuAnswer.english, None
    choice = script.choice(key) if key else None
    if key and choice is None:
        return MenuAnswer.unknown_key, None
    if choice is not None and choice.reads_progress:
        move(session, call, "progress", now, menu_choice=choice.key)
        return MenuAnswer.progress, choice
    if choice is not None and choice is not script.operator():
        step = "emergency_reminded" if choice.remind_emergency else "describing"
        move(
            session,
            call,
            step,
            now,
            menu_choice=choice.key,
            emergency_reminded=call.emergency_reminded or choice.remind_emergency,
        )
        return MenuAnswer.describe, choice
    if choice is None and speech:
        asks_progress = script.progress_choice() if script.progress.asked_aloud(speech) else None
        if asks_progress is not None:
            move(session, call, "progress", now, menu_choice=asks_progress.key)
            return MenuAnswer.progress, asks_progress
        choice = script.choice_for_speech(speech)
        move(session, call, call.step, now, speech=speech)
    choice = choice or script.operator()
    move(session, call, "queued", now, menu_choice=choice.key)
    order_for_call(session, call, choice, intake, now)
    return MenuAnswer.queued, choice


def progress_lines(
    session: Session, call: CallRecord, script: IvrScript, now: datetime
) -> list[str] | None:
    """Where the caller's newest orders stand, to be read out; None without a caller id."""
    if call.caller_phone is None:
        return None
    orders = callers_orders(session, call.caller_phone, now, script.progress)
    return [where_it_stands(session, o, script.progress, call.language) for o in orders]


def take_description(
    session: Session,
    call: CallRecord,
    words: str,
    script: IvrScript,
    intake: Intake,
    now: datetime,
) -> None:
    """The caller described the problem (or said nothing): the order is made, the call queued."""
    if words and call.order_id is None:
        move(session, call, call.step, now, speech=words)
    choice = (script.choice(call.menu_choice) if call.menu_choice else None) or script.operator()
    order_for_call(session, call, choice, intake, now)
    move(session, call, "queued", now)


def _description(choice: MenuChoice, speech: str | None, language: str) -> str:
    if speech:
        return speech
    if language.startswith("zh"):
        return f"电话来电（菜单：{choice.topic}），来电人未留下描述，待话务员补充。"
    return f"Phone call (menu: {choice.topic}); the caller left no description yet."


def order_for_call(
    session: Session,
    call: CallRecord,
    choice: MenuChoice,
    intake: Intake,
    now: datetime,
) -> WorkOrder:
    """The call's one work order: created once with the menu choice and the caller's words."""
    if call.order_id is not None:
        order = session.get(WorkOrder, call.order_id)
        assert order is not None
        return order
    category = choice.category_for(call.speech or "")
    data = OrderCreate(
        channel="phone",
        caller=Caller(phone=call.caller_phone) if call.caller_phone else Caller(),
        category=category,
        description=_description(choice, call.speech, call.language)[:4000],
        priority=Priority(choice.priority) if choice.priority else None,
        tags=["ivr", f"ivr:{choice.topic}"],
    )
    order = intake.create(session, data, actor=IVR, now=now)
    move(session, call, call.step, now, order_id=order.id, category_code=category)
    push_screen_pop(session, order, call, choice, now)
    return order


def push_screen_pop(
    session: Session, order: WorkOrder, call: CallRecord, choice: MenuChoice, now: datetime
) -> None:
    """来电弹屏: who is calling, what they asked before, whether the community looks after them."""
    earlier: list[dict[str, Any]] = []
    resident = None
    if call.caller_phone:
        rows = session.exec(
            select(WorkOrder)
            .where(WorkOrder.caller_phone == call.caller_phone, WorkOrder.id != order.id)
            .order_by(col(WorkOrder.created_at).desc(), col(WorkOrder.id).desc())
            .limit(EARLIER_ORDERS_SHOWN)
        ).all()
        earlier = [
            {
                "number": o.number,
                "status": o.status.value,
                "category": o.category_code,
                "created_at": o.created_at.isoformat(),
            }
            for o in rows
        ]
        resident = assisted(session, call.caller_phone)
    data: dict[str, Any] = {
        "call_sid": call.call_sid,
        "number": call.caller_phone or call.from_number,
        "menu": choice.topic,
        "language": call.language,
        "earlier_orders": earlier,
        "assisted_resident": resident is not None,
    }
    if resident is not None:
        data["assisted"] = {
            "name": resident.name,
            "kind": resident.kind.value,
            "care_note": resident.care_note,
        }
    log_event(session, order, EventKind.screen_pop, IVR, now, data)


def note_on_call_order(
    session: Session, call: CallRecord, now: datetime, marker: str, data: dict[str, Any]
) -> bool:
    """Attach a voicemail or transcription to the call's order once (callbacks are retried)."""
    if call.order_id is None:
        return False
    order = session.get(WorkOrder, call.order_id)
    assert order is not None
    notes = session.exec(
        select(OrderEvent).where(
            OrderEvent.order_id == order.id, OrderEvent.kind == EventKind.note_added.value
        )
    ).all()
    if any(n.data.get("marker") == marker for n in notes):
        return False
    log_event(session, order, EventKind.note_added, IVR, now, {"marker": marker, **data})
    return True


def record_status(
    session: Session, call: CallRecord, params: dict[str, str], now: datetime
) -> None:
    """Status callback: completed, busy, no-answer, failed (and the moves before them)."""
    status = params.get("CallStatus", call.call_status)[:16]
    changes: dict[str, Any] = {"call_status": status}
    duration = params.get("CallDuration", "")
    if duration.isdigit():
        changes["duration_seconds"] = int(duration)
    step = call.step
    if status in FINAL_STATUSES:
        changes["ended_at"] = call.ended_at or now
        # Hung up right after hearing "dial 110/119/120": recorded as diverted to emergency.
        if call.step == "emergency_reminded" and call.order_id is None:
            changes["diverted_to_emergency"] = True
        step = "ended"
    move(session, call, step, now, **changes)


def speech_of(params: dict[str, str]) -> str:
    return params.get("SpeechResult", "").strip()[:4000]
