"""One transaction's worth of due steps: what they share, and what they write together.

A burst of steps (1,000 orders due in the same second) mostly asks the same questions (who
leads this team right now, who the supervisors are) and writes the same kinds of rows (accept
codes, messages). Asked once per batch and inserted together at its end, a step costs a few
statements instead of fifteen. A step that fails takes back what it queued (mark/undo);
its `escalated` event is queued only once nothing can fail any more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from dispatch.auth.models import Role, User
from dispatch.database import insert_many, insert_on_conflict
from dispatch.events.models import EventKind
from dispatch.notify.models import DeliveryStatus, NotificationDelivery
from dispatch.notify.port import NotifyChannel
from dispatch.orders.actors import Actor
from dispatch.orders.event_log import log_events
from dispatch.orders.models import WorkOrder
from dispatch.teams.service import on_duty_leader
from escalation.codes.service import CodeBook
from escalation.policies.config import EscalationConfig

ACTOR = Actor.system("escalation")
_DELIVERY = NotificationDelivery.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class StepContext:
    config: EscalationConfig
    timezone: str


@dataclass(frozen=True)
class BatchMark:
    codes: int
    deliveries: int


@dataclass
class StepBatch:
    session: Session
    now: datetime
    ctx: StepContext
    codes: CodeBook
    _leaders: dict[str, User | None] = field(default_factory=dict)
    _supervisors: Sequence[User] | None = None
    _deliveries: list[dict[str, Any]] = field(default_factory=list)
    _escalated: list[tuple[WorkOrder, dict[str, Any]]] = field(default_factory=list)

    @classmethod
    def open(cls, session: Session, now: datetime, ctx: StepContext) -> StepBatch:
        valid_for = ctx.config.notifications.accept_code_valid_for
        return cls(session, now, ctx, CodeBook(session, now, valid_for))

    def leader(self, team: str) -> User | None:
        """The team's leader on duty at the batch's time (the rota cannot change mid-batch)."""
        if team not in self._leaders:
            self._leaders[team] = on_duty_leader(self.session, team, self.now, self.ctx.timezone)
        return self._leaders[team]

    def supervisors(self) -> Sequence[User]:
        if self._supervisors is None:
            self._supervisors = self.session.exec(
                select(User)
                .where(User.role == Role.supervisor, col(User.active))
                .order_by(col(User.id))
            ).all()
        return self._supervisors

    def queue_message(
        self,
        *,
        recipient: str,
        channel: NotifyChannel,
        message: str,
        ref: str,
        step_id: int | None,
        order_id: int | None,
        user_id: int | None,
    ) -> None:
        """One delivery for the notification worker, written with the batch."""
        self._deliveries.append(
            {
                "step_id": step_id,
                "order_id": order_id,
                "user_id": user_id,
                "recipient": recipient,
                "channel": channel.value,
                "message": message[:1000],
                "ref": ref[:100],
                "status": DeliveryStatus.pending.value,
                "attempts": 0,
                "next_attempt_at": self.now,
                "created_at": self.now,
            }
        )

    def log_escalated(self, order: WorkOrder, data: dict[str, Any]) -> None:
        """The step's `escalated` event, written with the batch's others in one flush."""
        self._escalated.append((order, data))

    def mark(self) -> BatchMark:
        return BatchMark(self.codes.mark(), len(self._deliveries))

    def undo(self, mark: BatchMark) -> None:
        """Forget what a failed step queued, as its savepoint forgot what it wrote."""
        self.codes.undo(mark.codes)
        del self._deliveries[mark.deliveries :]

    def write(self) -> None:
        """Write what the batch queued (events, codes, messages): one statement each."""
        log_events(self.session, EventKind.escalated, ACTOR, self.now, self._escalated)
        self._escalated.clear()
        self.codes.write()
        if not self._deliveries:
            return
        # A step never sends twice to one person on one channel, whatever ran it before.
        statement = insert_on_conflict(self.session, _DELIVERY).on_conflict_do_nothing(
            index_elements=["step_id", "recipient", "channel"]
        )
        insert_many(self.session, statement, self._deliveries)
        self._deliveries.clear()
