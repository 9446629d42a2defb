"""交班 and 接班 as plain functions over a session; the request owns the transaction.

The snapshot is taken by the server at the moment of handing over, so the note is read
against what really stood open then, not against what the writer's page happened to show.
Packages built on dispatch add their own queues (`SnapshotQueue`, by name, from
`app.state.handover_queues`): hotline adds the 12345 and police messages not delivered, since
dispatch never imports hotline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, true, update
from sqlmodel import Session, col, select

from dispatch.auth.models import User
from dispatch.auth.service import users_by_id
from dispatch.errors import Conflict, InvalidInput, NotFound
from dispatch.handovers.models import HandoverSnapshot, OpenWork, ShiftHandover
from dispatch.orders.models import OPEN_STATUSES, OrderStatus, Priority, WorkOrder
from dispatch.reports.service import late_orders

# Order numbers kept per queue: enough to follow up the ones that matter; the count says
# how many more there were.
LISTED_ORDERS = 20
MAX_NOTE = 4000

# (session, now) -> one more queue of the snapshot, counted with `open_work`.
SnapshotQueue = Callable[[Session, datetime], OpenWork]


def open_work(
    session: Session,
    where: ColumnElement[bool],
    oldest_first: ColumnElement[Any],
    *,
    merged_too: bool = False,
) -> OpenWork:
    """The orders `where` says, counted; a merged duplicate follows its parent and is left
    out, as on the board, unless it has work of its own (`merged_too`)."""
    alone = true() if merged_too else col(WorkOrder.parent_id).is_(None)
    count = session.exec(select(func.count()).where(where, alone)).one()
    numbers = session.exec(
        select(WorkOrder.number)
        .where(where, alone)
        .order_by(oldest_first, col(WorkOrder.id))
        .limit(LISTED_ORDERS)
    ).all()
    return OpenWork(count=count, orders=list(numbers))


def take_snapshot(
    session: Session, now: datetime, more: Mapping[str, SnapshotQueue] | None = None
) -> HandoverSnapshot:
    """What stands open at the desk now, each queue in the order the desk works it."""
    late = late_orders(session, now)
    return HandoverSnapshot(
        triage=open_work(
            session, col(WorkOrder.status) == OrderStatus.triage, col(WorkOrder.created_at).asc()
        ),
        # Whoever has waited longest for the call first, as in the console's 待回访.
        awaiting_callback=open_work(
            session, col(WorkOrder.status) == OrderStatus.resolved, col(WorkOrder.resolved_at).asc()
        ),
        late=OpenWork(count=len(late), orders=[o.number for o in late[:LISTED_ORDERS]]),
        open_p1=open_work(
            session,
            (col(WorkOrder.priority) == Priority.P1) & col(WorkOrder.status).in_(OPEN_STATUSES),
            col(WorkOrder.created_at).asc(),
        ),
        more={name: queue(session, now) for name, queue in (more or {}).items()},
    )


def hand_over(
    session: Session,
    outgoing: User,
    now: datetime,
    note: str,
    more: Mapping[str, SnapshotQueue] | None = None,
) -> ShiftHandover:
    """交班: the outgoing operator's note, with the snapshot of the desk taken now."""
    text = note.strip()
    if not text:
        raise InvalidInput("write what the next shift must know", field="note")
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"at most {MAX_NOTE} characters", field="note")
    assert outgoing.id is not None
    handover = ShiftHandover(
        handed_by_id=outgoing.id,
        handed_at=now,
        note=text,
        snapshot=take_snapshot(session, now, more).model_dump(),
    )
    session.add(handover)
    session.flush()
    return handover


def get_handover(session: Session, handover_id: int) -> ShiftHandover:
    handover = session.get(ShiftHandover, handover_id)
    if handover is None:
        raise NotFound(f"no handover {handover_id}", field="handover_id")
    return handover


def receive(session: Session, handover: ShiftHandover, incoming: User, now: datetime) -> None:
    """接班: someone other than the writer takes it over, once. Two operators pressing 接班 at
    the same moment: the conditional update lets exactly one of them have it."""
    assert handover.id is not None and incoming.id is not None
    if handover.handed_by_id == incoming.id:
        raise Conflict(
            "you handed this over yourself: the incoming operator takes it over",
            field="handover_id",
        )
    taken = session.execute(
        update(ShiftHandover)
        .where(col(ShiftHandover.id) == handover.id, col(ShiftHandover.received_at).is_(None))
        .values(received_by_id=incoming.id, received_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(handover)
    if taken.rowcount == 0:  # type: ignore[attr-defined]
        assert handover.received_by_id is not None and handover.received_at is not None
        taker = session.get(User, handover.received_by_id)
        name = taker.username if taker else str(handover.received_by_id)
        raise Conflict(
            f"already taken over by {name} at {handover.received_at.isoformat()}",
            field="handover_id",
            received_by=name,
            received_at=handover.received_at.isoformat(),
        )


def list_handovers(
    session: Session, offset: int, limit: int
) -> tuple[Sequence[ShiftHandover], int]:
    """Newest first."""
    total = session.exec(select(func.count()).select_from(ShiftHandover)).one()
    rows = session.exec(
        select(ShiftHandover)
        .order_by(col(ShiftHandover.handed_at).desc(), col(ShiftHandover.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return rows, total


def people(session: Session, handovers: Sequence[ShiftHandover]) -> dict[int, User]:
    """The writers and takers of these handovers, by id, in one query."""
    ids = {h.handed_by_id for h in handovers} | {
        h.received_by_id for h in handovers if h.received_by_id is not None
    }
    return users_by_id(session, sorted(ids)) if ids else {}
