"""What an inbound text means: an accept code, a survey answer, 查询进度, a request, or help."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from dispatch.auth.models import User
from dispatch.errors import DomainError
from dispatch.events.models import EventKind
from dispatch.orders import event_log, lifecycle
from dispatch.orders.actors import Actor
from dispatch.orders.models import OPEN_STATUSES, OrderStatus, WorkOrder
from dispatch.orders.schemas import Caller, OrderCreate
from hotline.intake import Intake
from hotline.sms.accept_codes import AcceptByCode, describe_accepted
from hotline.sms.models import SmsMessage
from hotline.sms.status import asks_status, status_reply
from hotline.voice.script import IvrScript

SMS = Actor.system("sms")
SATISFACTION = {
    "1": "satisfied",
    "满意": "satisfied",
    "2": "partly",
    "基本满意": "partly",
    "3": "unsatisfied",
    "不满意": "unsatisfied",
}
HELP_WORDS = frozenset({"help", "帮助", "?", "？", "hi", "hello", "你好", "在吗"})
MIN_REQUEST_CHARS = 4
OPEN_ORDER_WINDOW = timedelta(days=7)

HELP = (
    "这里是黄河东路街道24小时民生服务热线。请直接发短信说明问题和地址，我们会生成工单并派人处理。"
    "查询办理进度请回复“查询”。紧急情况请拨打110/119/120。"
)
LEADER_HELP = "未识别的签收码。请回复派单短信中的签收码签收工单，或登录工作台处理。"
SURVEY_THANKS = {
    "satisfied": "感谢您的评价！工单 {number} 已办结。",
    "partly": "感谢您的评价，我们会继续改进。工单 {number} 已办结。",
    "unsatisfied": "抱歉没有让您满意，工单 {number} 已重新交办，我们会尽快再联系您。",
}


@dataclass(frozen=True)
class Reply:
    outcome: str
    text: str
    order_id: int | None = None


# Texts the desk answers automatically to one number in an hour: a resident writing in, a
# survey answered, a progress asked for, many times over. Past it the texts are still read
# and kept (notes on their order) but not answered: a sender forged by a flood would
# otherwise have the desk text a stranger over and over, at the office's cost.
REPLIES_PER_HOUR = 20


def replies_used_up(session: Session, sender: str, now: datetime, intake: Intake) -> bool:
    """This number had its hour's answers; team members, texting accept codes, never do.
    The count first: only a number past it is looked up among the teams (`understand`
    looks every sender up once already)."""
    answered = session.exec(
        select(func.count())
        .select_from(SmsMessage)
        .where(
            SmsMessage.from_number == sender[:32],
            SmsMessage.reply != "",
            col(SmsMessage.received_at) > now - timedelta(hours=1),
        )
    ).one()
    if int(answered) < REPLIES_PER_HOUR:
        return False
    phone = intake.phone_or_none(sender)
    return phone is None or _team_user(session, phone) is None


def already_answered(session: Session, message_sid: str) -> SmsMessage | None:
    return session.exec(select(SmsMessage).where(SmsMessage.message_sid == message_sid)).first()


def remember(
    session: Session, message_sid: str, sender: str, body: str, reply: Reply, now: datetime
) -> None:
    """Log the text and our answer; a concurrent duplicate of the same MessageSid rolls back."""
    row = SmsMessage(
        message_sid=message_sid,
        from_number=sender[:32],
        body=body[:1600],
        outcome=reply.outcome,
        reply=reply.text[:1600],
        order_id=reply.order_id,
        received_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        pass


def _team_user(session: Session, phone: str) -> User | None:
    users = session.exec(select(User).where(User.phone == phone, col(User.active))).all()
    return next((u for u in users if u.role.is_team_role), None)


def _awaiting_callback(session: Session, phone: str) -> WorkOrder | None:
    return session.exec(
        select(WorkOrder)
        .where(WorkOrder.caller_phone == phone, WorkOrder.status == OrderStatus.resolved)
        .order_by(col(WorkOrder.resolved_at).desc(), col(WorkOrder.id).desc())
    ).first()


def _open_order(session: Session, phone: str, now: datetime) -> WorkOrder | None:
    return session.exec(
        select(WorkOrder)
        .where(
            WorkOrder.caller_phone == phone,
            col(WorkOrder.status).in_(OPEN_STATUSES),
            col(WorkOrder.parent_id).is_(None),
            col(WorkOrder.created_at) >= now - OPEN_ORDER_WINDOW,
        )
        .order_by(col(WorkOrder.created_at).desc(), col(WorkOrder.id).desc())
    ).first()


def understand(
    session: Session,
    *,
    sender: str,
    body: str,
    now: datetime,
    intake: Intake,
    script: IvrScript,
    accept_by_code: AcceptByCode | None,
) -> Reply:
    text = body.strip()
    phone = intake.phone_or_none(sender)
    if phone is not None and _team_user(session, phone) is not None:
        return _leader_text(session, phone, text, now, accept_by_code)
    verdict = SATISFACTION.get(text)
    if verdict is not None and phone is not None:
        resolved = _awaiting_callback(session, phone)
        if resolved is not None:
            note = f"短信回访：{text}"
            lifecycle.record_callback(session, resolved, SMS, now, verdict, note)
            return Reply(
                "satisfaction", SURVEY_THANKS[verdict].format(number=resolved.number), resolved.id
            )
    question = asks_status(text, script.progress)
    if question is not None:  # before help and notes: "查询" is short, "查询进度" is not
        return Reply("status", status_reply(session, phone, question, now, script.progress))
    if len(text) < MIN_REQUEST_CHARS or text.lower() in HELP_WORDS:
        return Reply("help", HELP)
    if phone is not None:
        existing = _open_order(session, phone, now)
        if existing is not None:
            data = {"text": f"短信补充：{text}"[:4000], "source": "sms"}
            event_log.log_event(session, existing, EventKind.note_added, SMS, now, data)
            return Reply("note_added", f"已将您的补充说明记入工单 {existing.number}。", existing.id)
    choice = script.choice_for_speech(text)
    category = choice.category_for(text)
    if category == choice.category and choice is script.choice("1"):
        category = "other"  # no phrase matched at all: the desk sorts it out in triage
    order = intake.create(
        session,
        OrderCreate(
            channel="sms",
            caller=Caller(phone=phone) if phone else Caller(),
            category=category,
            description=text[:4000],
            tags=["sms"],
        ),
        actor=SMS,
        now=now,
    )
    return Reply(
        "order_created", f"您的诉求已受理，工单号 {order.number}。我们会尽快处理。", order.id
    )


def _leader_text(
    session: Session, phone: str, text: str, now: datetime, accept_by_code: AcceptByCode | None
) -> Reply:
    if accept_by_code is None:
        return Reply("accept_unavailable", LEADER_HELP)
    try:
        with session.begin_nested():
            result = accept_by_code(session, text, phone, now)
    except DomainError as exc:
        return Reply("accept_refused", f"签收未成功：{exc.message}")
    answer = describe_accepted(result)
    if answer is None:
        return Reply("accept_unknown", LEADER_HELP)
    outcome = str(getattr(result, "outcome", "accepted"))
    return Reply(outcome[:32], answer, getattr(result, "id", None))
