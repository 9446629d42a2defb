"""Where an order's events go once recorded: handlers inside the transaction, then after commit.

In-transaction handlers write their own rows (deadlines, outbox) atomically with the change;
after-commit handlers (pushes) only ever see events that are really stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventMessage:
    """An immutable copy of a stored event, safe to hand to other threads."""

    id: int
    order_id: int
    order_number: str
    kind: str
    actor: str
    actor_id: int | None
    at: datetime
    data: dict[str, Any]
    team_codes: tuple[str, ...] = field(default=())
    # 巡查上报: the field worker who reported the order follows it live, whichever team has it,
    # and so does the leader of the team they are in (本队上报).
    reporter_id: int | None = None
    reporter_team: str | None = None


InTransactionHandler = Callable[[Session, EventMessage], None]
AfterCommitHandler = Callable[[list[EventMessage]], None]


class EventBus:
    def __init__(self) -> None:
        self._in_transaction: list[InTransactionHandler] = []
        self._after_commit: list[AfterCommitHandler] = []
        self._named: set[str] = set()

    def on_recorded(self, handler: InTransactionHandler) -> None:
        self._in_transaction.append(handler)

    def on_recorded_once(self, name: str, handler: InTransactionHandler) -> None:
        """Apps made in one process share their database's bus: the first app's handler
        named `name` serves them all, rather than each adding one more."""
        if name not in self._named:
            self._named.add(name)
            self.on_recorded(handler)

    def on_committed(self, handler: AfterCommitHandler) -> None:
        self._after_commit.append(handler)

    def recorded(self, session: Session, message: EventMessage) -> None:
        for handler in self._in_transaction:
            handler(session, message)
        session.info.setdefault("pending_events", []).append(message)

    def committed(self, messages: list[EventMessage]) -> None:
        for handler in self._after_commit:
            try:
                handler(messages)
            except Exception:  # a failed push must never undo or fail a stored change
                log.exception("after-commit handler failed")


@sa_event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    messages: list[EventMessage] = session.info.pop("pending_events", [])
    bus = session.info.get("bus")
    if messages and isinstance(bus, EventBus):
        bus.committed(messages)


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous_transaction: Any) -> None:
    session.info.pop("pending_events", None)
