"""Issue accept codes for messages, and accept an order from a reply that quotes one."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from dispatch.auth.models import User
from dispatch.database import insert_many
from dispatch.errors import DomainError
from dispatch.orders import lifecycle
from dispatch.orders.actors import Actor
from dispatch.orders.models import OrderStatus, WorkOrder
from dispatch.phones import normalise_phone
from escalation.codes.models import AcceptCode

CODE_LENGTH = 6
_CODES = AcceptCode.__table__  # type: ignore[attr-defined]


class CodeBook:
    """Accept codes issued in one unit of work.

    A leader's live code for an order is reused (the SMS and the call show the same one); a
    new code must not clash with another live code on the same phone, since a reply quotes
    only the code. Live codes are read once per set of orders and once per phone, and new
    ones are inserted together by write(): a batch of 100 steps costs a few statements.
    """

    def __init__(self, session: Session, now: datetime, valid_for: timedelta) -> None:
        self.session, self.now, self.valid_for = session, now, valid_for
        self._live: dict[tuple[int, int], str] = {}  # (order, user) -> code
        self._read_orders: set[int] = set()
        self._on_phone: dict[str, set[str]] = {}
        self._new: list[dict[str, Any]] = []

    def read_orders(self, order_ids: Iterable[int]) -> None:
        wanted = set(order_ids) - self._read_orders
        if not wanted:
            return
        rows = self.session.exec(
            select(AcceptCode.order_id, AcceptCode.user_id, AcceptCode.code)
            .where(
                col(AcceptCode.order_id).in_(wanted),
                col(AcceptCode.used_at).is_(None),
                col(AcceptCode.expires_at) > self.now,
            )
            .order_by(col(AcceptCode.id))
        ).all()
        for order_id, user_id, code in rows:
            self._live.setdefault((order_id, user_id), code)
        self._read_orders |= wanted

    def _taken(self, phone: str) -> set[str]:
        if phone not in self._on_phone:
            self._on_phone[phone] = set(
                self.session.exec(
                    select(AcceptCode.code).where(
                        AcceptCode.phone == phone, col(AcceptCode.expires_at) > self.now
                    )
                ).all()
            )
        return self._on_phone[phone]

    def code_for(self, *, order: WorkOrder, user: User, team_code: str, step_id: int | None) -> str:
        assert order.id is not None and user.id is not None and user.phone
        self.read_orders([order.id])
        live = self._live.get((order.id, user.id))
        if live is not None:
            return live
        taken = self._taken(user.phone)
        for _ in range(20):
            code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
            if code not in taken:
                break
        taken.add(code)
        self._live[(order.id, user.id)] = code
        self._new.append(
            {
                "code": code,
                "order_id": order.id,
                "user_id": user.id,
                "team_code": team_code,
                "phone": user.phone,
                "step_id": step_id,
                "created_at": self.now,
                "expires_at": self.now + self.valid_for,
                "used_at": None,
            }
        )
        return code

    def mark(self) -> int:
        return len(self._new)

    def undo(self, mark: int) -> None:
        """Take back the codes issued since `mark` (the step that asked for them failed)."""
        for row in self._new[mark:]:
            self._live.pop((row["order_id"], row["user_id"]), None)
            self._on_phone[row["phone"]].discard(row["code"])
        del self._new[mark:]

    def write(self) -> None:
        insert_many(self.session, insert(_CODES), self._new)
        self._new.clear()


def issue_code(
    session: Session,
    *,
    order: WorkOrder,
    user: User,
    team_code: str,
    now: datetime,
    valid_for: timedelta,
    step_id: int | None = None,
) -> str:
    """The leader's live code for this order, written at once."""
    book = CodeBook(session, now, valid_for)
    code = book.code_for(order=order, user=user, team_code=team_code, step_id=step_id)
    book.write()
    return code


class AcceptOutcome(StrEnum):
    accepted = "accepted"
    unknown_code = "unknown_code"
    expired = "expired"
    already_accepted = "already_accepted"
    no_longer_open = "no_longer_open"
    not_your_order = "not_your_order"


@dataclass(frozen=True)
class AcceptResult:
    outcome: AcceptOutcome
    reply: str  # the confirmation (or explanation) texted back to the leader
    order_number: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == AcceptOutcome.accepted


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def accept_by_code(session: Session, code: str, from_phone: str, now: datetime) -> AcceptResult:
    """签收 by SMS reply or keypad: the code must be this phone's, live, for an order still
    waiting for this team. Never raises for a bad code: the answer says what went wrong."""
    wanted = _digits(code)[-CODE_LENGTH:]
    try:
        phone = normalise_phone(from_phone)
    except (DomainError, ValueError):
        phone = from_phone
    row = session.exec(
        select(AcceptCode)
        .where(AcceptCode.code == wanted, AcceptCode.phone == phone)
        .order_by(col(AcceptCode.id).desc())
    ).first()
    if row is None or len(wanted) != CODE_LENGTH:
        return AcceptResult(
            AcceptOutcome.unknown_code,
            f"签收码 {code.strip()} 无效，请核对短信中的6位签收码。"
            " (Unknown accept code; check the 6 digits in the message.)",
        )
    order = session.get(WorkOrder, row.order_id)
    assert order is not None
    number = order.number
    if order.status in (OrderStatus.accepted, OrderStatus.in_progress):
        return AcceptResult(
            AcceptOutcome.already_accepted,
            f"工单 {number} 已签收，无需重复操作。 (Order {number} is already accepted.)",
            number,
        )
    if order.status != OrderStatus.dispatched or order.parent_id is not None:
        return AcceptResult(
            AcceptOutcome.no_longer_open,
            f"工单 {number} 当前状态为 {order.status.value}，无法签收。"
            f" (Order {number} is {order.status.value}; nothing to accept.)",
            number,
        )
    if row.expires_at <= now:
        return AcceptResult(
            AcceptOutcome.expired,
            f"签收码已过期，请登录系统签收工单 {number}。"
            f" (The code has expired; accept {number} in the app.)",
            number,
        )
    user = session.get(User, row.user_id)
    if user is None or not user.active or user.team_code != row.team_code:
        return AcceptResult(
            AcceptOutcome.not_your_order,
            f"您已不在该队伍，无法签收工单 {number}。 (You can no longer accept {number}.)",
            number,
        )
    try:
        lifecycle.accept(session, order, Actor.of(user), now)
    except DomainError as exc:
        return AcceptResult(
            AcceptOutcome.not_your_order,
            f"无法签收工单 {number}：{exc.message}",
            number,
        )
    row.used_at = now
    session.add(row)
    return AcceptResult(
        AcceptOutcome.accepted,
        f"已签收工单 {number}，请尽快处理。 (Order {number} accepted. Thank you.)",
        number,
    )
