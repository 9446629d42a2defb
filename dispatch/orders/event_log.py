"""An order's changes on the event log (民情日志): one event per change, each carrying the
order's status and active teams; intake's events may be held and written in one INSERT."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from dispatch.events import service as events
from dispatch.orders.actors import Actor
from dispatch.orders.models import WorkOrder
from dispatch.orders.parts import active_team_codes


def log_event(
    session: Session,
    order: WorkOrder,
    kind: StrEnum,  # EventKind, or a kind of another package's (escalation's)
    actor: Actor,
    now: datetime,
    data: dict[str, Any] | None = None,
    extra_teams: Sequence[str] = (),
) -> None:
    teams = active_team_codes(session, order)
    teams += [t for t in extra_teams if t not in teams]
    _record(session, [_touched(session, order, kind, actor, now, data or {}, teams)])


_HELD_EVENTS = "lifecycle_held_events"


@contextmanager
def events_in_one_insert(session: Session) -> Iterator[None]:
    """Hold the events logged inside the block and record them in one INSERT at its end.

    For intake (received, routed, dispatched): the bus's handlers then see the order as the
    block left it, so use it only where no handler needs a state in between.
    """
    if _HELD_EVENTS in session.info:
        yield
        return
    held: list[events.NewEvent] = []
    session.info[_HELD_EVENTS] = held
    try:
        yield
    finally:
        del session.info[_HELD_EVENTS]
    if held:
        events.record_many(session, held)


def log_events(
    session: Session,
    kind: StrEnum,
    actor: Actor,
    now: datetime,
    entries: Sequence[tuple[WorkOrder, dict[str, Any]]],
) -> None:
    """One event per (order, data), all in one flush (the escalation sweeper's batch)."""
    _record(
        session,
        [
            _touched(session, order, kind, actor, now, data, active_team_codes(session, order))
            for order, data in entries
        ],
    )


def _record(session: Session, new: list[events.NewEvent]) -> None:
    """Into the log now, or into the block's one INSERT inside events_in_one_insert."""
    held: list[events.NewEvent] | None = session.info.get(_HELD_EVENTS)
    if held is not None:
        held.extend(new)
    elif new:
        events.record_many(session, new)


def _touched(
    session: Session,
    order: WorkOrder,
    kind: StrEnum,
    actor: Actor,
    now: datetime,
    data: dict[str, Any],
    teams: Sequence[str],
) -> events.NewEvent:
    assert order.id is not None
    order.updated_at = now
    session.add(order)
    return events.NewEvent(
        order_id=order.id,
        order_number=order.number,
        kind=kind.value,
        actor=actor.label,
        actor_id=actor.user_id,
        at=now,
        data={"status": order.status.value, **data},
        team_codes=teams,
    )
