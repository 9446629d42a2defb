"""Many dispatched orders with pending steps, inserted in bulk (tests and bench/)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert
from sqlmodel import col, select

from dispatch.database import Database
from dispatch.events.models import OrderEvent
from dispatch.orders.models import OrderAssignment, WorkOrder
from escalation.timers.models import EscalationStep


def seed_orders(
    db: Database,
    count: int,
    *,
    due_at: datetime,
    now: datetime,
    prefix: str = "BULK",
    team: str = "jindi-property",
    kind: str = "renotify_leader",
    batch: int = 5000,
) -> list[int]:
    """`count` dispatched orders, each with one pending accept step due at `due_at`."""
    orders = WorkOrder.__table__  # type: ignore[attr-defined]
    parts = OrderAssignment.__table__  # type: ignore[attr-defined]
    steps = EscalationStep.__table__  # type: ignore[attr-defined]
    ids: list[int] = []
    for start in range(0, count, batch):
        rows = [
            {
                "number": f"{prefix}-{i:07d}",
                "channel": "phone",
                "status": "dispatched",
                "priority": "P2",
                "category_code": "fire_lane",
                "description": "金地花园D区电动车堵住消防通道",
                "caller_flags": [],
                "confidential": False,
                "tags": [],
                "rule_matched": [],
                "police_matter": False,
                "escalation_level": 0,
                "created_at": now,
                "updated_at": now,
                "dispatched_at": now,
                "accept_due_at": due_at,
            }
            for i in range(start, min(start + batch, count))
        ]
        with db.session(write=True) as session:
            new_ids = list(
                session.execute(
                    insert(orders).returning(orders.c.id, sort_by_parameter_order=True), rows
                ).scalars()
            )
            session.execute(
                insert(parts),
                [
                    {
                        "order_id": oid,
                        "team_code": team,
                        "role": "lead",
                        "status": "dispatched",
                        "assigned_at": now,
                    }
                    for oid in new_ids
                ],
            )
            session.execute(
                insert(steps),
                [
                    {
                        "order_id": oid,
                        "chain": "accept",
                        "round": 1,
                        "step_no": 1,
                        "kind": kind,
                        "offset_seconds": 0,
                        "due_at": due_at,
                        "status": "pending",
                        "params": {},
                        "late": False,
                        "created_at": now,
                    }
                    for oid in new_ids
                ],
            )
        ids += new_ids
    return ids


def escalated_per_step(db: Database) -> dict[int, int]:
    """How many `escalated` events name each step id."""
    with db.session() as session:
        rows = session.exec(select(OrderEvent.data).where(OrderEvent.kind == "escalated")).all()
    counts: dict[int, int] = {}
    for data in rows:
        step_id = int(data["step_id"])
        counts[step_id] = counts.get(step_id, 0) + 1
    return counts


def count_steps(db: Database, status: str) -> int:
    with db.session() as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(EscalationStep)
                .where(EscalationStep.status == status)
            ).one()
        )


def claims(db: Database) -> int:
    """How many claims (transactions) ran the steps that ran."""
    with db.session() as session:
        return int(
            session.exec(
                select(func.count(func.distinct(EscalationStep.claim_token))).where(
                    col(EscalationStep.claim_token).is_not(None)
                )
            ).one()
        )
