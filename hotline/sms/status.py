"""查询进度 by text: "查询", "进度", "查 WO-20261122-0001" or the number alone is answered with
where the sender's own orders stand; it never makes an order or a note."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from hotline.progress import callers_order, callers_orders, where_it_stands
from hotline.voice.script import ProgressScript

LINE_CHARS = 70  # one SMS segment of Chinese text per order
# Prefix letters (settings.order_number_prefix), the day, the day's count: WO-20261122-0001.
ORDER_NUMBER = re.compile(r"([A-Z]{1,10})-?(\d{8})-?(\d{4,6})")
FILLER = re.compile(r"[\s\-_:：,，.。!！?？、'\"“”‘’()（）]+")

NOT_YOURS = "没有查到本号码反映的工单 {number}。请核对工单号，或拨打本热线查询。"
NONE_FOUND = (
    "没有查到本号码近{days}天反映的问题。如需反映问题，请直接发短信说明问题和地址，"
    "我们会生成工单并派人处理。"
)


@dataclass(frozen=True)
class StatusQuestion:
    number: str | None  # the order asked about, or None for "my latest orders"


def asks_status(body: str, progress: ProgressScript) -> StatusQuestion | None:
    """A question about progress, or None: the text must be only the words and/or a number."""
    # NFKC: phones' full-width input (ＷＯ－２０２６…) reads as the plain number.
    text = unicodedata.normalize("NFKC", body).strip().upper()
    found = ORDER_NUMBER.search(text)
    number = "-".join(found.groups()) if found else None
    rest = FILLER.sub("", ORDER_NUMBER.sub("", text, count=1) if found else text).lower()
    if rest in progress.sms_words or (number is not None and not rest):
        return StatusQuestion(number)
    return None


def status_reply(
    session: Session,
    phone: str | None,
    question: StatusQuestion,
    now: datetime,
    progress: ProgressScript,
) -> str:
    if question.number is not None:
        # Someone else's order and no such order read the same: a number reveals nothing.
        order = callers_order(session, phone, question.number) if phone else None
        if order is None:
            return NOT_YOURS.format(number=question.number)
        return where_it_stands(session, order, progress, "zh-CN", LINE_CHARS)
    orders = callers_orders(session, phone, now, progress) if phone else []
    if not orders:
        return NONE_FOUND.format(days=progress.window_days)
    return "\n".join(where_it_stands(session, o, progress, "zh-CN", LINE_CHARS) for o in orders)
